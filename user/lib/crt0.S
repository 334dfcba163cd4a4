/* SPDX-License-Identifier: MIT */
/*
 * Process entry. The kernel starts the first thread here with the start-up
 * contract of <capos/startup.h>: rdi = ring, rsi = pid, rdx = CapSet page (or
 * 0), rsp = CAPOS_USER_STACK_TOP (16-byte aligned), other registers zero.
 * Those are already rt_start's three arguments; the call pushes the return
 * address, so rt_start sees rsp = 8 mod 16 as the SysV ABI requires. rbp = 0
 * ends frame-pointer walks. rt_start never returns; ud2 makes sure of it.
 *
 * _start is weak: a program that must see the registers exactly as the
 * kernel left them, before any compiled code runs (fpu-isolation reads the
 * FPU reset state), defines its own _start and jumps to rt_entry with the
 * start-up registers intact.
 */
	.section .text.entry, "ax"
	.weak _start
	.globl rt_entry
	.type _start, @function
	.type rt_entry, @function
_start:
rt_entry:
	xorl	%ebp, %ebp
	andq	$-16, %rsp
	call	rt_start
	ud2
	.size _start, . - _start
	.size rt_entry, . - rt_entry

	.section .note.GNU-stack, "", @progbits
