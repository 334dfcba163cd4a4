# SPDX-License-Identifier: MIT
# Host tests for lib/fmt (compared against the host libc's snprintf).

FMT_TEST_CFLAGS := $(HOST_CFLAGS) -Itests/unit -Wno-format

$(BUILD)/host/fmt/%.o: tests/unit/fmt/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(FMT_TEST_CFLAGS) -c $< -o $@

$(BUILD)/host/tests/test_fmt: $(BUILD)/host/fmt/test_fmt.o $(call host_obj,lib/fmt/fmt.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(BUILD)/host/tests/test_fmt
ALL_TARGETS += $(BUILD)/host/tests/test_fmt
