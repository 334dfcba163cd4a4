/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry. One small stub per vector pushes a zero error
 * code where the CPU pushes none, then the vector number, and jumps to a common
 * path that saves every general register into a struct trap_frame (trap.h)
 * and calls trap_dispatch(frame).
 *
 * GS: the kernel runs with GS_BASE = this CPU's struct cpu. Entries from user
 * mode (CS & 3) swapgs on the way in and out. NMI, double fault and machine
 * check can interrupt the kernel at any instruction, including around a
 * swapgs, so they decide from the GS_BASE MSR itself (a kernel pointer is
 * negative) and record the decision in the frame ("paranoid" entry).
 */
#include "arch/x86_64/trap_offsets.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"

#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)
#define IS_PARANOID(v) ((v) == 2 || (v) == 8 || (v) == 18)

	.macro SAVE_REGS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	.endm

	.macro RESTORE_REGS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	.endm

	.text
/*
 * syscall entry: the CPU left the user RIP in rcx and RFLAGS in r11, masked
 * IF/DF/TF/AC, and did not switch stacks. We swap to the kernel GS, move to
 * this thread's kernel stack and save a struct syscall_frame (syscall.h):
 * the argument registers (preserved for the caller, as the ABI promises) and
 * what sysret needs. rbx, rbp and r12-r15 are preserved by the C code itself.
 * syscall_dispatch has already refused a non-canonical return RIP, so sysretq
 * cannot fault in ring 0 with the user's GS.
 */
	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:CPU_OFF_USER_RSP
	movq %gs:CPU_OFF_KERNEL_RSP, %rsp
	pushq %gs:CPU_OFF_USER_RSP
	pushq %r11
	pushq %rcx
	pushq %r9
	pushq %r8
	pushq %r10
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rax
	movq %rsp, %rdi
	sti
	call syscall_dispatch		/* result in rax */
	cli
	addq $8, %rsp			/* the saved system call number */
	popq %rdi
	popq %rsi
	popq %rdx
	popq %r10
	popq %r8
	popq %r9
	popq %rcx			/* user RIP */
	popq %r11			/* user RFLAGS */
	popq %rsp			/* user RSP (SS is implied by sysret) */
	swapgs
	sysretq

	.balign 16
	.globl vector_stubs
vector_stubs:
	/* Stub v is at vector_stubs + 16 * v (idt.c relies on it). */
	.set v, 0
	.rept 256
	.balign 16
	.if (HAS_ERROR_CODE(v)) == 0
	pushq $0
	.endif
	pushq $v
	.if IS_PARANOID(v)
	jmp trap_entry_paranoid
	.else
	jmp trap_entry
	.endif
	.set v, v + 1
	.endr

trap_entry:
	/* 8 bytes for frame->swapped, then the registers. */
	subq $8, %rsp
	SAVE_REGS
	/* An interrupted user copy (usercopy.S) left RFLAGS.AC set: not for the handler. */
	cmpb $0, uaccess_smap(%rip)
	je 1f
	clac
1:
	xorl %eax, %eax
	testb $3, TF_CS(%rsp)
	jz 1f
	swapgs
	movl $1, %eax
1:	movq %rax, TF_SWAPPED(%rsp)
	jmp trap_call

trap_entry_paranoid:
	subq $8, %rsp
	SAVE_REGS
	movl $0xc0000101, %ecx		/* MSR_GS_BASE */
	rdmsr
	xorl %ebx, %ebx
	testl %edx, %edx
	js 1f				/* already the kernel's GS */
	swapgs
	movl $1, %ebx
1:	movq %rbx, TF_SWAPPED(%rsp)

trap_call:
	cld
	movq %rsp, %rdi
	/* Frame pointer chain for backtraces: point rbp at a fake frame {rbp, rip}. */
	pushq TF_RIP(%rsp)
	pushq TF_RBP+8(%rsp)
	movq %rsp, %rbp
	call trap_dispatch
	addq $16, %rsp

	.globl trap_exit
trap_exit:
	cli
	cmpq $0, TF_SWAPPED(%rsp)
	je 2f
	swapgs
2:	RESTORE_REGS
	addq $24, %rsp			/* swapped, vector, error code */
	iretq

/*
 * A new thread's first switch-in returns here (thread_arch.c): finish the
 * switch (release the scheduler lock), then leave through trap_exit with the
 * trap frame prepared at the top of the stack. thread_entry_irqs_on tells
 * the interrupts-off instrument (irqoff.h) that they come on at the iretq.
 */
	.globl thread_first_entry
thread_first_entry:
	call sched_finish_switch
	call thread_entry_irqs_on
	jmp trap_exit

/*
 * A thread restarted in the kernel (thread_arch.c, arch_thread_restart)
 * returns here from its next switch-in: finish the switch, then run the
 * function left in r12 (callee-saved, so it survives the call) with
 * interrupts on, as a system call runs. It does not return; rsp is
 * 16-aligned here, as the calls need.
 */
	.globl thread_restart_entry
thread_restart_entry:
	call sched_finish_switch
	call thread_entry_irqs_on
	sti
	call *%r12
	ud2
