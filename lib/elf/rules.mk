# SPDX-License-Identifier: MIT
# lib/elf: ELF64 validation and load planning. Built for the host tests and
# compiled once with the kernel flags (build/kernel-check/) to prove it stays
# freestanding; the kernel links it from KERNEL_SRCS when the loader lands.

ELF_SRCS := lib/elf/elf64.c
ELF_HOST_OBJS := $(call host_obj,$(ELF_SRCS))
ELF_KCHECK_OBJS := $(patsubst %.c,$(BUILD)/kernel-check/%.o,$(ELF_SRCS))

$(BUILD)/kernel-check/lib/elf/%.o: lib/elf/%.c
	@mkdir -p $(@D)
	$(KERNEL_CC) $(KERNEL_CFLAGS) -fno-lto -c $< -o $@

ALL_TARGETS += $(ELF_KCHECK_OBJS)
