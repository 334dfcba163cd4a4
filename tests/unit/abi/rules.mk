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

ABI_RING_TEST := $(BUILD)/host/tests/test_ring_protocol

$(ABI_RING_TEST): $(call host_obj,tests/unit/abi/test_ring_protocol.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -pthread $^ -o $@

HOST_TESTS += $(ABI_RING_TEST)
ALL_TARGETS += $(ABI_RING_TEST)

# The same protocol test under ThreadSanitizer: weakening any release or
# acquire in <capos/ring.h> makes TSan report a data race and exit non-zero.
ABI_RING_TSAN := $(BUILD)/host/tests/test_ring_protocol_tsan

$(ABI_RING_TSAN): tests/unit/abi/test_ring_protocol.c include/capos/ring.h
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 $(WARN) -g -O1 -fsanitize=thread -Iinclude -pthread $< -o $@

HOST_TESTS += $(ABI_RING_TSAN)
ALL_TARGETS += $(ABI_RING_TSAN)
