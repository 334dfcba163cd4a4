/* SPDX-License-Identifier: MIT */
/*
 * The application processors' first instructions (docs/smp.md). smp.c
 * copies this code to a page P below 1 MiB and sends INIT-SIPI-SIPI with
 * vector P >> 12: the AP starts in real mode at P:0 with CS = P >> 4. The
 * code only ever addresses its own page, through DS = CS in real mode and
 * RIP-relative in long mode, so it runs wherever it is copied. It goes
 * straight from real mode to long mode (PAE, the temporary PML4, EFER.LME,
 * then PE and PG in one CR0 write and a far jump to a 64-bit segment), takes
 * its stack and cpu index from the data smp.c left at TRAMP_DATA, and jumps
 * to ap_main in the kernel half, which the temporary tables map. ap_main
 * then moves to the kernel's own page tables.
 */
#include "arch/x86_64/trampoline.h"

#define MSR_EFER	0xc0000080
#define KERNEL_DS	0x10

	.section .rodata.trampoline, "a"
	.globl ap_trampoline_start, ap_trampoline_end
	.code16
ap_trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	lgdtl TRAMP_DATA + TD_GDTR
	movl TRAMP_DATA + TD_CR4, %eax
	movl %eax, %cr4
	movl TRAMP_DATA + TD_CR3, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	movl TRAMP_DATA + TD_EFER, %eax
	xorl %edx, %edx
	wrmsr
	movl TRAMP_DATA + TD_CR0, %eax
	movl %eax, %cr0
	ljmpl *TRAMP_DATA + TD_FAR

	.code64
	.globl ap_trampoline_long
ap_trampoline_long:
	movl $KERNEL_DS, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorl %eax, %eax
	movw %ax, %fs
	movw %ax, %gs
	movq ap_trampoline_start + TRAMP_DATA + TD_STACK(%rip), %rsp
	movl ap_trampoline_start + TRAMP_DATA + TD_CPU(%rip), %edi
	movq ap_trampoline_start + TRAMP_DATA + TD_ENTRY(%rip), %rax
	xorl %ebp, %ebp
	pushq $0		/* no return address: backtraces end here */
	jmp *%rax
ap_trampoline_end:
