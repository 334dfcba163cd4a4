/* SPDX-License-Identifier: MIT */
/*
 * arch_switch_stacks(uint64_t *save_ksp, uint64_t new_ksp): saves the
 * callee-saved registers on the current stack, stores the stack pointer in
 * *save_ksp, loads new_ksp and pops the next thread's registers. A new thread's
 * stack is prepared (thread_arch.c) so that the `ret` lands in its start routine.
 */
	.text
	.globl arch_switch_stacks
arch_switch_stacks:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
