# SPDX-License-Identifier: MIT
# ABI header tests: layout/property unit test and the self-containment script.

ABI_TEST := $(BUILD)/host/tests/test_abi

$(ABI_TEST): $(call host_obj,tests/unit/abi/test_abi.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(ABI_TEST)
TEST_SCRIPTS += tests/unit/abi/check-headers.sh
ALL_TARGETS += $(ABI_TEST)
TEST_SCRIPTS += tests/unit/abi/check-schemas.sh
