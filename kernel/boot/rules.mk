# SPDX-License-Identifier: MIT
# kernel/boot: boot information parsers (multiboot1/2 into struct boot_info;
# the ACPI walk to the MADT's I/O APIC),
# linked into the kernel, compile-checked with the kernel flags, and fuzzed.
# The fuzz targets are declared here, not in tests/unit/boot, because
# tests/fuzz/rules.mk turns FUZZ_TARGETS into FUZZERS when it is included,
# which is after kernel/ and before tests/unit/.

BOOT_SRCS := kernel/boot/bootinfo.c kernel/boot/multiboot.c kernel/boot/multiboot1.c
KERNEL_SRCS += $(BOOT_SRCS) kernel/boot/acpi.c
ALL_TARGETS += $(patsubst %.c,$(BUILD)/kernel-check/%.o,$(BOOT_SRCS) kernel/boot/acpi.c)

FUZZ_TARGETS += fuzz_multiboot2 fuzz_multiboot1
FUZZ_SRCS_fuzz_multiboot2 := $(BOOT_SRCS)
FUZZ_SRCS_fuzz_multiboot1 := $(BOOT_SRCS)
FUZZ_CFLAGS_fuzz_multiboot2 := -Ikernel
FUZZ_CFLAGS_fuzz_multiboot1 := -Ikernel
FUZZ_TARGETS += fuzz_acpi
FUZZ_SRCS_fuzz_acpi := kernel/boot/acpi.c
FUZZ_CFLAGS_fuzz_acpi := -Ikernel
