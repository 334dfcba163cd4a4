# SPDX-License-Identifier: MIT
# Host tests for pure kernel logic that has no other owner.

$(BUILD)/host/tests/test_cmdline: $(call host_obj,tests/unit/kernel/test_cmdline.c kernel/lib/cmdline.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

HOST_TESTS += $(BUILD)/host/tests/test_cmdline
ALL_TARGETS += $(BUILD)/host/tests/test_cmdline
