/* SPDX-License-Identifier: MIT */
/*
 * Direct access to the current address space's user memory (uaccess.h).
 * The caller has already checked that every user address lies in the user
 * half; what can still go wrong is an unmapped or read-only page, which
 * faults. Each instruction that touches user memory has an entry in
 * __ex_table: the page-fault handler (extable.c) resumes at the entry's
 * fixup, which returns CAPOS_ERR_BAD_ADDRESS. With SMAP on, user pages are
 * reachable only between stac and clac; CPUs without SMAP have neither
 * instruction, hence the test of uaccess_smap.
 */
#define CAPOS_ERR_BAD_ADDRESS (-4)	/* include/capos/errors.h */
#define PAGE_SIZE 4096

	.macro USER_ACCESS_BEGIN
	cmpb $0, uaccess_smap(%rip)
	je 98f
	stac
98:
	.endm

	.macro USER_ACCESS_END
	cmpb $0, uaccess_smap(%rip)
	je 99f
	clac
99:
	.endm

	.macro EX_ENTRY insn, fixup
	.pushsection __ex_table, "a"
	.balign 8
	.quad \insn, \fixup
	.popsection
	.endm

	.text
/*
 * int uaccess_copy(void *dst, const void *src, size_t n): either side (or
 * both) may be user memory of the current address space. Words, then the
 * remaining bytes.
 */
	.globl uaccess_copy
uaccess_copy:
	USER_ACCESS_BEGIN
	movq %rdx, %rcx
	shrq $3, %rcx
1:	rep movsq
	movl %edx, %ecx
	andl $7, %ecx
2:	rep movsb
	xorl %eax, %eax
uaccess_return:
	USER_ACCESS_END
	ret
uaccess_fault:
	movl $CAPOS_ERR_BAD_ADDRESS, %eax
	jmp uaccess_return
	EX_ENTRY 1b, uaccess_fault
	EX_ENTRY 2b, uaccess_fault

/*
 * int uaccess_probe_write(uint64_t addr, uint64_t end): every page of
 * [addr, end) (end > addr) is writable. A locked add of zero is a write
 * that changes nothing, so it is safe against other threads writing the
 * same bytes.
 */
	.globl uaccess_probe_write
uaccess_probe_write:
	USER_ACCESS_BEGIN
3:	lock addb $0, (%rdi)
	addq $PAGE_SIZE, %rdi
	andq $-PAGE_SIZE, %rdi
	cmpq %rsi, %rdi
	jb 3b
	xorl %eax, %eax
	jmp uaccess_return
	EX_ENTRY 3b, uaccess_fault
