# SPDX-License-Identifier: MIT
# capnp-print: binary Cap'n Proto messages to text, like `capnp convert binary:text`.
# The schema model (schema.c) and text rules (text.c) are shared with tools/capnpc-c and
# tests/fuzz/fuzz_capnp_print.c.

CAPNP_PRINT_LIB_SRCS := tools/capnp-print/print.c tools/capnp-print/schema.c \
	tools/capnp-print/schema_load.c \
	tools/capnp-print/text.c
CAPNP_PRINT_OBJS := $(call host_obj,tools/capnp-print/main.c tools/lib/slurp.c $(CAPNP_PRINT_LIB_SRCS))
$(call host_obj,tools/capnp-print/main.c): HOST_CFLAGS += -Itools/lib

$(BUILD)/host/capnp-print: $(CAPNP_PRINT_OBJS) $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TOOLS += $(BUILD)/host/capnp-print
ALL_TARGETS += $(BUILD)/host/capnp-print
