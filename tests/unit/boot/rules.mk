# SPDX-License-Identifier: MIT
# Host tests for kernel/boot (multiboot1/2 parsers, the ACPI walk) and the replay of the
# fuzzers' committed corpora under gcc's sanitizers on every make test (the
# fuzz targets themselves are declared in kernel/boot/rules.mk).

BOOT_TEST_CFLAGS := $(HOST_CFLAGS) -Itests/unit
BOOT_HOST_OBJS := $(call host_obj,kernel/boot/bootinfo.c kernel/boot/multiboot.c \
	kernel/boot/multiboot1.c)

$(BUILD)/host/boottest/%.o: tests/unit/boot/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(BOOT_TEST_CFLAGS) -c $< -o $@

$(BUILD)/host/boottest/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(BOOT_TEST_CFLAGS) -c $< -o $@

$(BUILD)/host/tests/test_multiboot2: $(BUILD)/host/boottest/test_multiboot2.o $(BOOT_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(BUILD)/host/tests/test_multiboot1: $(BUILD)/host/boottest/test_multiboot1.o $(BOOT_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(BUILD)/host/tests/test_fuzz_%_replay: $(BUILD)/host/fuzzreplay/replay_fuzz_%.o \
		$(BUILD)/host/boottest/fuzz_%.o $(BOOT_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(BUILD)/host/tests/test_acpi: $(BUILD)/host/boottest/test_acpi.o $(call host_obj,kernel/boot/acpi.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(BUILD)/host/tests/test_fuzz_acpi_replay: $(BUILD)/host/fuzzreplay/replay_fuzz_acpi.o \
		$(BUILD)/host/boottest/fuzz_acpi.o $(call host_obj,kernel/boot/acpi.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

BOOT_TESTS := $(BUILD)/host/tests/test_multiboot2 $(BUILD)/host/tests/test_multiboot1 \
	$(BUILD)/host/tests/test_acpi \
	$(BUILD)/host/tests/test_fuzz_multiboot2_replay \
	$(BUILD)/host/tests/test_fuzz_multiboot1_replay \
	$(BUILD)/host/tests/test_fuzz_acpi_replay
HOST_TESTS += $(BOOT_TESTS)
ALL_TARGETS += $(BOOT_TESTS)
