// SPDX-License-Identifier: MIT
/*
 * The interrupt descriptor table: every one of the 256 vectors has a stub
 * (entry.S), so an unexpected vector is diagnosed instead of triple-faulting.
 * Double fault, NMI and machine check run on their own IST stacks.
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"

#define IDT_GATE_INTERRUPT	0x8e	/* present, DPL 0, 64-bit interrupt gate */
#define VECTOR_STUB_SIZE	16

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate is 16 bytes");

extern const char vector_stubs[];

static struct idt_gate idt[256] __attribute__((aligned(16)));

static uint8_t ist_for_vector(unsigned v)
{
	switch (v) {
	case 2:
		return IST_NMI;
	case 8:
		return IST_DOUBLE_FAULT;
	case 18:
		return IST_MACHINE_CHECK;
	default:
		return 0;
	}
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = { sizeof(idt) - 1, (uint64_t)idt };

	lidt(&ptr);
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		uint64_t addr = (uint64_t)(vector_stubs + v * VECTOR_STUB_SIZE);

		idt[v] = (struct idt_gate){
			.offset_low = addr & 0xffff,
			.selector = GDT_KERNEL_CS,
			.ist = ist_for_vector(v),
			.type_attr = IDT_GATE_INTERRUPT,
			.offset_mid = (addr >> 16) & 0xffff,
			.offset_high = addr >> 32,
		};
	}
	idt_load();
}
