# SPDX-License-Identifier: MIT
# capnpc-c: the C code generator plugin (capnp compile -o build/host/capnpc-c:OUTDIR).
#
# Bootstrap: stage 0 (capnpc-c0) reads the CodeGeneratorRequest with hand-written raw
# accessors (tools/capnp-print/schema_load.c) and generates schema.capnp.h from the
# installed capnp/schema.capnp; the real plugin (capnpc-c, stage 1) is the same generator
# reading its input through that generated header (schema_load_gen.c).
# tests/capnp/bootstrap.sh checks that both stages generate identical headers.

CAPNPC_C_COMMON := tools/capnpc-c/main.c tools/capnpc-c/names.c tools/capnpc-c/gen.c \
	tools/capnpc-c/gen_struct.c tools/capnpc-c/gen_const.c tools/capnpc-c/gen_desc.c tools/capnpc-c/gen_server.c tools/capnpc-c/gen_client.c \
	tools/capnp-print/schema.c tools/lib/slurp.c
CAPNPC_C0_OBJS := $(call host_obj,$(CAPNPC_C_COMMON) tools/capnp-print/schema_load.c)
CAPNPC_C_OBJS := $(call host_obj,$(CAPNPC_C_COMMON) tools/capnpc-c/schema_load_gen.c)
CAPNPC_C_GEN := $(BUILD)/host/gen

$(CAPNPC_C0_OBJS) $(CAPNPC_C_OBJS): HOST_CFLAGS += -Itools/capnp-print -Itools/lib -I$(CAPNPC_C_GEN)

$(BUILD)/host/capnpc-c0: $(CAPNPC_C0_OBJS) $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(CAPNPC_C_GEN)/schema.capnp.h: /usr/include/capnp/schema.capnp $(BUILD)/host/capnpc-c0
	@mkdir -p $(@D)
	capnp compile --src-prefix=/usr/include/capnp -o $(BUILD)/host/capnpc-c0:$(@D) $<

$(call host_obj,tools/capnpc-c/schema_load_gen.c): $(CAPNPC_C_GEN)/schema.capnp.h

$(BUILD)/host/capnpc-c: $(CAPNPC_C_OBJS) $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TOOLS += $(BUILD)/host/capnpc-c0 $(BUILD)/host/capnpc-c
ALL_TARGETS += $(BUILD)/host/capnpc-c0 $(BUILD)/host/capnpc-c
