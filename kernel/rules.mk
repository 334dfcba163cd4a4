# SPDX-License-Identifier: MIT
# The kernel: one ELF64 (build/kernel/capos.elf, for GRUB/multiboot2) and a
# 32-bit copy (capos32.elf) for QEMU's -kernel, which loads only 32-bit ELF
# through multiboot1. The kernel is linked twice: the second link adds the
# symbol table made from the first, which backtraces print. .text precedes the
# table, so no code address moves between the links (checked below).

KERNEL_SRCS += \
	kernel/arch/x86_64/boot.S \
	kernel/arch/x86_64/entry.S \
	kernel/arch/x86_64/apic.c \
	kernel/arch/x86_64/arch.c \
	kernel/arch/x86_64/cpu.c \
	kernel/arch/x86_64/gdt.c \
	kernel/arch/x86_64/idt.c \
	kernel/arch/x86_64/paging.c \
	kernel/arch/x86_64/percpu.c \
	kernel/arch/x86_64/serial.c \
	kernel/arch/x86_64/setup.c \
	kernel/arch/x86_64/timer.c \
	kernel/arch/x86_64/trap.c \
	kernel/lib/cmdline.c \
	kernel/lib/kprintf.c \
	kernel/lib/ksym.c \
	kernel/mm/frame.c \
	kernel/mm/heap.c \
	kernel/test/ktest.c \
	kernel/main.c \
	lib/fmt/fmt.c

KERNEL_ELF := $(BUILD)/kernel/capos.elf
KERNEL_ELF32 := $(BUILD)/kernel/capos32.elf
KERNEL_LDS := kernel/arch/x86_64/kernel.ld
KERNEL_OBJS = $(patsubst %,$(BUILD)/kernel/obj/%.o,$(sort $(KERNEL_SRCS)))

$(BUILD)/kernel/obj/%.c.o: %.c
	@mkdir -p $(@D)
	$(KERNEL_CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/obj/%.S.o: %.S
	@mkdir -p $(@D)
	$(KERNEL_CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(BUILD)/kernel/ksyms-empty.S: scripts/ksyms.sh
	@mkdir -p $(@D)
	scripts/ksyms.sh > $@

$(BUILD)/kernel/ksyms.S: $(BUILD)/kernel/capos.stage1.elf scripts/ksyms.sh
	scripts/ksyms.sh $< > $@

$(BUILD)/kernel/%.o: $(BUILD)/kernel/%.S
	$(KERNEL_CC) $(KERNEL_ASFLAGS) -c $< -o $@

KERNEL_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T $(KERNEL_LDS)

$(BUILD)/kernel/capos.stage1.elf: $(KERNEL_OBJS) $(BUILD)/kernel/ksyms-empty.o $(KERNEL_LDS)
	$(KERNEL_LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/kernel/ksyms-empty.o

$(KERNEL_ELF): $(KERNEL_OBJS) $(BUILD)/kernel/ksyms.o $(KERNEL_LDS)
	$(KERNEL_LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/kernel/ksyms.o
	@cmp -s <(nm -n $@ | grep ' [tT] ') <(nm -n $(BUILD)/kernel/capos.stage1.elf | grep ' [tT] ') || \
		{ echo "kernel: code moved between links; symbol table would lie" >&2; rm -f $@; exit 1; }

$(KERNEL_ELF32): $(KERNEL_ELF)
	objcopy -O elf32-i386 $< $@

ALL_TARGETS += $(KERNEL_ELF) $(KERNEL_ELF32)
