/* SPDX-License-Identifier: MIT */
/*
 * The parts of fpu-isolation that must run with no compiled code around them
 * (regs.h): compiled code may use any xmm register as scratch, so only here
 * can values stay in the FPU registers and be checked. Nothing here touches
 * an FPU register except to load the pattern and to store images.
 *
 * _start takes the image the kernel starts the process with, then enters the
 * runtime (crt0.S, rt_entry) with the start-up registers as they came.
 * fpu_hold loads a pattern, stores it as the wanted image and then compares
 * image after image with it (general registers only), counting rdtsc gaps:
 * each gap is time other threads ran, so a switch away and back happened
 * while the registers held the pattern.
 */
#include "regs.h"

#define CPUID1_ECX_OSXSAVE	27
#define CPUID1_ECX_AVX		28
#define XCR0_SSE_AVX		6

	.text

/* _start(ring, pid, capset): the image first, then the runtime's entry. */
	.globl _start
	.type _start, @function
_start:
	fxsave64 fpu_entry_image(%rip)
	movq	%rdi, %r12
	movq	%rsi, %r13
	movq	%rdx, %r14
	movl	$1, %eax
	xorl	%ecx, %ecx
	cpuid
	btl	$CPUID1_ECX_OSXSAVE, %ecx
	jnc	1f
	btl	$CPUID1_ECX_AVX, %ecx
	jnc	1f
	xorl	%ecx, %ecx
	xgetbv
	andl	$XCR0_SSE_AVX, %eax
	cmpl	$XCR0_SSE_AVX, %eax
	jne	1f
	leaq	fpu_entry_image + FPU_IMAGE_YMMH(%rip), %rax
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vextractf128 $1, %ymm\n, 16*\n(%rax)
	.endr
1:	movq	%r12, %rdi
	movq	%r13, %rsi
	movq	%r14, %rdx
	xorl	%eax, %eax	/* the start-up contract: other registers zero */
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	jmp	rt_entry
	.size _start, . - _start

/* snapshot: the registers into the image at %rdi; %r15 is the struct fpu_hold. */
	.type snapshot, @function
snapshot:
	fxsave64 (%rdi)
	cmpq	$0, HOLD_AVX(%r15)
	je	1f
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vextractf128 $1, %ymm\n, FPU_IMAGE_YMMH+16*\n(%rdi)
	.endr
1:	ret
	.size snapshot, . - snapshot

/* qwords [%rcx, %rdx) of the images at %rdi and %rsi: %rax = first differing offset, or -1. */
	.type range_diff, @function
range_diff:
1:	cmpq	%rdx, %rcx
	jae	2f
	movq	(%rdi,%rcx), %rax
	cmpq	(%rsi,%rcx), %rax
	jne	3f
	addq	$8, %rcx
	jmp	1b
2:	movq	$-1, %rax
	ret
3:	movq	%rcx, %rax
	ret
	.size range_diff, . - range_diff

/*
 * image_diff: the images at %rdi and %rsi as regs.c's fpu_image_diff
 * compares them (all fxsave64 writes but MXCSR_MASK, then the ymm halves if
 * HOLD_AVX), to the qword: %rax = first differing offset, or -1.
 */
	.type image_diff, @function
image_diff:
	xorl	%ecx, %ecx
	movl	$FX_MXCSR, %edx
	call	range_diff
	cmpq	$-1, %rax
	jne	9f
	movl	FX_MXCSR(%rdi), %eax
	cmpl	FX_MXCSR(%rsi), %eax
	movq	$FX_MXCSR, %rax
	jne	9f
	movl	$FX_MXCSR_MASK + 4, %ecx
	movl	$FX_END, %edx
	call	range_diff
	cmpq	$-1, %rax
	jne	9f
	cmpq	$0, HOLD_AVX(%r15)
	je	9f
	movl	$FPU_IMAGE_YMMH, %ecx
	movl	$FPU_IMAGE_SIZE, %edx
	call	range_diff
9:	ret
	.size image_diff, . - image_diff

/* rdtsc as one 64-bit value in %rax (clobbers %rdx). */
.macro TSC
	lfence
	rdtsc
	shlq	$32, %rdx
	orq	%rdx, %rax
.endm

/* void fpu_hold(pattern, want, scratch, hold): regs.h. */
	.globl fpu_hold
	.type fpu_hold, @function
fpu_hold:
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	movq	%rdi, %r12		/* pattern */
	movq	%rsi, %r13		/* want */
	movq	%rdx, %r14		/* scratch */
	movq	%rcx, %r15		/* hold */
	/* mm0 first, emms to free the tags, then two pushes land in the other registers. */
	fninit
	fldcw	PAT_FCW(%r12)
	movq	PAT_MM0(%r12), %mm0
	emms
	fldl	PAT_ST1(%r12)
	fldl	PAT_ST0(%r12)
	ldmxcsr	PAT_MXCSR(%r12)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqu	PAT_XMM+16*\n(%r12), %xmm\n
	.endr
	cmpq	$0, HOLD_AVX(%r15)
	je	1f
	/* after the movdqu: legacy SSE writes keep the upper halves */
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vinsertf128 $1, PAT_YMMH+16*\n(%r12), %ymm\n, %ymm\n
	.endr
1:	movq	%r13, %rdi
	call	snapshot
	movq	$0, HOLD_PAUSES(%r15)
	movq	$0, HOLD_ITERS(%r15)
	movq	$0, HOLD_BAD(%r15)
	movq	$-1, HOLD_FIRST_BAD(%r15)
	TSC
	movq	%rax, %rbx		/* the last rdtsc */
2:	movq	HOLD_ITERS(%r15), %rax
	cmpq	HOLD_MAX_ITERS(%r15), %rax
	jae	4f
	movq	HOLD_PAUSES(%r15), %rax
	cmpq	HOLD_PAUSES_WANTED(%r15), %rax
	jae	4f
	movq	%r14, %rdi
	call	snapshot
	movq	%r14, %rdi
	movq	%r13, %rsi
	call	image_diff
	cmpq	$-1, %rax
	je	3f
	incq	HOLD_BAD(%r15)
	cmpq	$-1, HOLD_FIRST_BAD(%r15)
	jne	3f
	movq	%rax, HOLD_FIRST_BAD(%r15)
3:	TSC
	movq	%rax, %rcx
	subq	%rbx, %rax
	movq	%rcx, %rbx
	cmpq	HOLD_PAUSE_CYCLES(%r15), %rax
	jbe	5f
	incq	HOLD_PAUSES(%r15)
5:	incq	HOLD_ITERS(%r15)
	jmp	2b
4:	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size fpu_hold, . - fpu_hold

	.bss
	.balign 64
	.globl fpu_entry_image
	.type fpu_entry_image, @object
fpu_entry_image:
	.skip FPU_IMAGE_SIZE
	.size fpu_entry_image, . - fpu_entry_image

	.section .note.GNU-stack, "", @progbits
