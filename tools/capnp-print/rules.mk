# SPDX-License-Identifier: MIT
# capnp-print: binary Cap'n Proto messages to text, like `capnp convert binary:text`.
# The schema model (schema.c) is shared with tools/capnpc-c.

CAPNP_PRINT_SRCS := tools/capnp-print/main.c tools/capnp-print/print.c \
	tools/capnp-print/schema.c tools/capnp-print/text.c
CAPNP_PRINT_RT_SRCS := $(sort $(wildcard lib/capnp/*.c))
CAPNP_PRINT_OBJS := $(call host_obj,$(CAPNP_PRINT_SRCS) $(CAPNP_PRINT_RT_SRCS))

$(BUILD)/host/capnp-print: $(CAPNP_PRINT_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TOOLS += $(BUILD)/host/capnp-print
ALL_TARGETS += $(BUILD)/host/capnp-print
