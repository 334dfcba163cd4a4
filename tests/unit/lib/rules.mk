# SPDX-License-Identifier: MIT
# Host tests for kernel/lib: the byte ring, the interrupts-off window record,
# string functions (renamed to kstr_* so they can be compared with libc in one
# program), the ticket spinlock (with threads) and the debug build's
# lock-order check.

KLIB_TEST_CFLAGS := $(HOST_CFLAGS) -Ikernel -Itests/unit
KLIB_RENAME := -fno-builtin -Dmemcpy=kstr_memcpy -Dmemmove=kstr_memmove \
	-Dmemset=kstr_memset -Dmemcmp=kstr_memcmp -Dstrlen=kstr_strlen \
	-Dstrnlen=kstr_strnlen -Dstrncmp=kstr_strncmp

$(BUILD)/host/klib/string_renamed.o: kernel/lib/string.c
	@mkdir -p $(@D)
	$(HOST_CC) $(KLIB_TEST_CFLAGS) $(KLIB_RENAME) -c $< -o $@

$(BUILD)/host/klib/%.o: tests/unit/lib/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(KLIB_TEST_CFLAGS) -c $< -o $@

KLIB_STRING_OBJS := $(BUILD)/host/klib/test_string.o $(BUILD)/host/klib/string_renamed.o
$(BUILD)/host/tests/test_string: $(KLIB_STRING_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(BUILD)/host/tests/test_spinlock: $(BUILD)/host/klib/test_spinlock.o
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -pthread $^ -o $@

# The lock-order check (lib/lockorder.h) and spinlock.h's debug hooks.
$(BUILD)/host/klib/test_lockorder.o: tests/unit/lib/test_lockorder.c
	@mkdir -p $(@D)
	$(HOST_CC) $(KLIB_TEST_CFLAGS) -DCAPOS_DEBUG -c $< -o $@

$(BUILD)/host/tests/test_lockorder: $(BUILD)/host/klib/test_lockorder.o
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(BUILD)/host/tests/test_byte_ring: $(BUILD)/host/klib/test_byte_ring.o
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(BUILD)/host/tests/test_irqoff_stat: $(BUILD)/host/klib/test_irqoff_stat.o
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

KLIB_TESTS := $(BUILD)/host/tests/test_string $(BUILD)/host/tests/test_spinlock \
	$(BUILD)/host/tests/test_byte_ring $(BUILD)/host/tests/test_irqoff_stat \
	$(BUILD)/host/tests/test_lockorder
HOST_TESTS += $(KLIB_TESTS)
ALL_TARGETS += $(KLIB_TESTS)
