# SPDX-License-Identifier: MIT
# Host tests for lib/inet: dotted IPv4 text, parsed and printed.

$(call host_obj,tests/unit/inet/test_ipv4.c): HOST_CFLAGS += -Itests/unit

$(BUILD)/host/tests/test_ipv4: $(call host_obj,tests/unit/inet/test_ipv4.c lib/inet/ipv4.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(BUILD)/host/tests/test_ipv4
ALL_TARGETS += $(BUILD)/host/tests/test_ipv4
