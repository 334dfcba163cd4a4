# SPDX-License-Identifier: MIT
# Host tests for kernel/sched's pure logic: the deadline heap of the timer
# queue (test_dlheap). panic/assert come from the cap tests' kernel stubs.

$(BUILD)/host/tests/test_dlheap: $(call host_obj,tests/unit/sched/test_dlheap.c \
		kernel/sched/dlheap.c tests/unit/cap/kstub.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(call host_obj,tests/unit/sched/test_dlheap.c): HOST_CFLAGS += -Itests/unit

HOST_TESTS += $(BUILD)/host/tests/test_dlheap
ALL_TARGETS += $(BUILD)/host/tests/test_dlheap \
	$(BUILD)/kernel-check/kernel/sched/dlheap.o
