# SPDX-License-Identifier: MIT
# capnpc-c: the C code generator plugin (capnp compile -o build/host/capnpc-c:OUTDIR).

CAPNPC_C_SRCS := tools/capnpc-c/main.c tools/capnpc-c/names.c tools/capnpc-c/gen.c \
	tools/capnpc-c/gen_struct.c tools/capnpc-c/gen_const.c tools/capnp-print/schema.c
CAPNPC_C_OBJS := $(call host_obj,$(CAPNPC_C_SRCS))

$(CAPNPC_C_OBJS): HOST_CFLAGS += -Itools/capnp-print

$(BUILD)/host/capnpc-c: $(CAPNPC_C_OBJS) $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TOOLS += $(BUILD)/host/capnpc-c
ALL_TARGETS += $(BUILD)/host/capnpc-c
