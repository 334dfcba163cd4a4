/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_ARCH_X86_64_TRAP_H
#define CAPOS_ARCH_X86_64_TRAP_H

#include <stdint.h>
#include "arch/x86_64/trap_offsets.h"

/* Saved state of an interrupted context, built by entry.S (lowest address first). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t swapped;	/* 1 if entry did swapgs (exit must swap back) */
	uint64_t vector;
	uint64_t error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};
_Static_assert(__builtin_offsetof(struct trap_frame, rbp) == TF_RBP, "asm offset");
_Static_assert(__builtin_offsetof(struct trap_frame, swapped) == TF_SWAPPED, "asm offset");
_Static_assert(__builtin_offsetof(struct trap_frame, rip) == TF_RIP, "asm offset");
_Static_assert(__builtin_offsetof(struct trap_frame, cs) == TF_CS, "asm offset");

#define VEC_PAGE_FAULT		14
#define VEC_IRQ_BASE		32	/* legacy PIC remapped here, then masked */
#define VEC_TIMER		48
#define VEC_COM1		49	/* IRQ4 through the I/O APIC (serial.c) */
#define VEC_DEVICE_BASE		64	/* 64..127: PCI device interrupts (dev/pci_arch.h) */
#define VEC_IPI			240	/* the mailbox IPI (ipi.c) */
#define VEC_SPURIOUS		255

typedef void (*irq_handler_fn)(struct trap_frame *tf);

void idt_init(void);
/* Loads the one IDT idt_init built on the calling CPU (an AP). */
void idt_load(void);
/* Installs the handler for an interrupt vector (>= 32). Boot time only. */
void trap_set_handler(unsigned vector, irq_handler_fn fn);
void trap_dispatch(struct trap_frame *tf);

#endif
