/* SPDX-License-Identifier: MIT */
/*
 * First instructions of the kernel. Both loaders enter here in 32-bit protected
 * mode with paging off: GRUB through the multiboot2 header (EAX = 0x36d76289)
 * and QEMU's -kernel through the multiboot1 header (EAX = 0x2badb002); EBX
 * holds the physical address of the boot information either way.
 *
 * We build throw-away page tables that map the first 4 GiB three times:
 * identity (so this code keeps running when paging turns on), at the direct map
 * (so C can read the boot information) and at KERNEL_VMA (where C is linked),
 * enter long mode, and call kmain(magic, info_pa, boot_tsc) on the boot stack.
 * kmain replaces these tables with the real ones (paging.c).
 */
#include "arch/x86_64/layout.h"

#define MB1_MAGIC		0x1badb002
#define MB1_FLAGS		0x00000003	/* page-align modules, want memory info */
#define MB2_MAGIC		0xe85250d6
#define MB2_ARCH_I386		0
#define PHYS(sym)		((sym) - KERNEL_VMA)

#define CR0_PE			(1 << 0)
#define CR0_WP			(1 << 16)
#define CR0_PG			(1 << 31)
#define CR4_PAE			(1 << 5)
#define MSR_EFER		0xc0000080
#define EFER_LME		(1 << 8)
#define EFER_NXE		(1 << 11)
#define PTE_P			(1 << 0)
#define PTE_W			(1 << 1)
#define PTE_PS			(1 << 7)

	.section .multiboot, "a"
	.balign 8
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)

	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* entry address tag: where to jump, as a physical address */
	.balign 8
	.word 3, 0
	.long 12
	.long _start
	/* end tag */
	.balign 8
	.word 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	/* Cycle count at the first instruction, for the boot_to_banner benchmark. */
	movl %eax, %esi
	rdtsc
	movl %eax, PHYS(boot_tsc)
	movl %edx, PHYS(boot_tsc) + 4
	movl %esi, PHYS(boot_magic)
	movl %ebx, PHYS(boot_info_pa)
	movl $PHYS(boot_stack_top), %esp

	call check_long_mode
	call build_early_tables

	movl $PHYS(early_pml4), %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4

	/* EFER.NXE only when the CPU has NX (CPUID 0x80000001 EDX bit 20). */
	movl $0x80000001, %eax
	cpuid
	xorl %edi, %edi
	btl $20, %edx
	jnc 1f
	movl $EFER_NXE, %edi
1:	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	orl %edi, %eax
	wrmsr

	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP | CR0_PE), %eax
	movl %eax, %cr0

	lgdt early_gdt_ptr
	ljmp $0x08, $long_mode_entry

/* Halts with a message on COM1 if the CPU cannot run a 64-bit kernel. */
check_long_mode:
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode
	ret
no_long_mode:
	movl $msg_no_lm, %esi
2:	lodsb
	testb %al, %al
	jz 3f
	movw $0x3f8, %dx
	outb %al, %dx
	jmp 2b
3:	hlt
	jmp 3b

/*
 * early_pdpt maps 4 GiB with four page directories of 2 MiB pages. PML4[0] and
 * PML4[256] (direct map) share it; PML4[511] -> early_pdpt_high, whose entry 510
 * maps KERNEL_VMA to physical 0.
 */
build_early_tables:
	movl $PHYS(early_pd), %edi
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, (%edi, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax			/* high half of (ecx << 21) */
	movl %eax, 4(%edi, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b

	movl $PHYS(early_pdpt), %edi
	movl $PHYS(early_pd), %eax
	orl $(PTE_P | PTE_W), %eax
	xorl %ecx, %ecx
2:	movl %eax, (%edi, %ecx, 8)
	addl $4096, %eax
	incl %ecx
	cmpl $4, %ecx
	jne 2b

	movl $PHYS(early_pd), %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, PHYS(early_pdpt_high) + 510 * 8

	movl $PHYS(early_pdpt), %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, PHYS(early_pml4)
	movl %eax, PHYS(early_pml4) + 256 * 8
	movl $PHYS(early_pdpt_high), %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, PHYS(early_pml4) + 511 * 8
	ret

	.code64
long_mode_entry:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $higher_half, %rax
	jmp *%rax

	.section .boot.rodata, "a"
msg_no_lm:
	.asciz "capOS: this CPU has no long mode; a 64-bit x86 CPU is required\r\n"
	.balign 8
early_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
early_gdt_end:
early_gdt_ptr:
	.word early_gdt_end - early_gdt - 1
	.long early_gdt

	.text
higher_half:
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl boot_magic(%rip), %edi
	movl boot_info_pa(%rip), %esi
	movq boot_tsc(%rip), %rdx
	call kmain
1:	cli
	hlt
	jmp 1b

	.data
	.globl boot_tsc
	.balign 8
boot_tsc:	.quad 0
boot_magic:	.long 0
boot_info_pa:	.long 0

	.section .bss.pagetables, "aw", @nobits
	.balign 4096
early_pml4:	.skip 4096
early_pdpt:	.skip 4096
early_pdpt_high: .skip 4096
early_pd:	.skip 4 * 4096

	/* Each stack has a guard page below it that paging.c leaves unmapped. */
	.section .bss.stacks, "aw", @nobits
	.balign 4096
	.globl boot_stack_guard, boot_stack_top
boot_stack_guard: .skip 4096
	.skip BOOT_STACK_SIZE
boot_stack_top:
