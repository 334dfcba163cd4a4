# SPDX-License-Identifier: MIT
# Host tests for kernel/mm: buddy allocator, slab caches, kmalloc and VM regions.

MM_TEST_CFLAGS := $(HOST_CFLAGS) -Itests/unit

$(BUILD)/host/mmtest/%.o: tests/unit/mm/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(MM_TEST_CFLAGS) -c $< -o $@

$(BUILD)/host/tests/test_buddy: $(BUILD)/host/mmtest/test_buddy.o $(call host_obj,kernel/mm/buddy.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(BUILD)/host/tests/test_buddy
ALL_TARGETS += $(BUILD)/host/tests/test_buddy

MM_SLAB_OBJS := $(call host_obj,kernel/mm/slab.c kernel/mm/kmalloc.c)
$(BUILD)/host/tests/test_slab: $(BUILD)/host/mmtest/test_slab.o $(MM_SLAB_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(BUILD)/host/tests/test_slab
ALL_TARGETS += $(BUILD)/host/tests/test_slab

$(BUILD)/host/tests/test_vm_map: $(BUILD)/host/mmtest/test_vm_map.o $(call host_obj,kernel/mm/vm_map.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(BUILD)/host/tests/test_vm_map
ALL_TARGETS += $(BUILD)/host/tests/test_vm_map

# The account takes its kmalloc, locks and panic from the cap tests' kernel stand-ins.
$(BUILD)/host/tests/test_account: $(call capring_obj,tests/unit/mm/test_account.c tests/unit/cap/kstub.c kernel/mm/account.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -pthread $^ -o $@

HOST_TESTS += $(BUILD)/host/tests/test_account
ALL_TARGETS += $(BUILD)/host/tests/test_account
