// SPDX-License-Identifier: MIT
/*
 * Per-CPU GDT and TSS. Each CPU has its own TSS because rsp[0] (the stack the
 * CPU switches to when an interrupt arrives in user mode) and the IST stacks
 * belong to that CPU. The IST stacks give double fault, NMI and machine check a
 * known-good stack even when the interrupted kernel stack has overflowed into
 * its guard page.
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/x86.h"
#include "lib/types.h"

#define SEG_CODE64_KERNEL	0x00af9a000000ffffull
#define SEG_DATA_KERNEL		0x00cf92000000ffffull
#define SEG_DATA_USER		0x00cff2000000ffffull
#define SEG_CODE64_USER		0x00affa000000ffffull

/* IST stacks for the boot CPU, each after its own guard page (see paging.c). */
struct ist_stack {
	uint8_t guard[PAGE_SIZE];
	uint8_t stack[IST_STACK_SIZE];
} __attribute__((aligned(PAGE_SIZE)));

__attribute__((section(".bss.stacks"))) struct ist_stack boot_ist_stacks[GDT_IST_COUNT];

static void tss_descriptor(uint64_t *slot, const struct tss *tss)
{
	uint64_t base = (uint64_t)tss;
	uint64_t limit = sizeof(*tss) - 1;

	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		  (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

void gdt_init(void)
{
	uint64_t tops[GDT_IST_COUNT];

	for (int i = 0; i < GDT_IST_COUNT; i++)
		tops[i] = (uint64_t)(boot_ist_stacks[i].stack + IST_STACK_SIZE);
	gdt_init_cpu(tops);
}

void gdt_init_cpu(const uint64_t ist_tops[GDT_IST_COUNT])
{
	struct cpu *c = this_cpu();
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = { sizeof(c->gdt) - 1, (uint64_t)c->gdt };

	c->gdt[0] = 0;
	c->gdt[GDT_KERNEL_CS / 8] = SEG_CODE64_KERNEL;
	c->gdt[GDT_KERNEL_DS / 8] = SEG_DATA_KERNEL;
	c->gdt[GDT_USER_DS / 8] = SEG_DATA_USER;
	c->gdt[GDT_USER_CS / 8] = SEG_CODE64_USER;
	tss_descriptor(&c->gdt[GDT_TSS / 8], &c->tss);

	/* The boot CPU's IST stacks are in .bss; an AP's come from the kernel stack area. */
	for (int i = 0; i < GDT_IST_COUNT; i++)
		c->tss.ist[i] = ist_tops[i];
	c->tss.iomap_base = sizeof(c->tss);	/* no I/O bitmap: user port I/O faults */

	lgdt(&ptr);
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w1, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 : : "i"((uint64_t)GDT_KERNEL_CS), "i"(GDT_KERNEL_DS) : "rax", "memory");
	ltr(GDT_TSS);
}
