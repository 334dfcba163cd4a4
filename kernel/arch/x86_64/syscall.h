/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_ARCH_X86_64_SYSCALL_H
#define CAPOS_ARCH_X86_64_SYSCALL_H

#include <stdint.h>

/* What syscall_entry (entry.S) saves on the kernel stack, lowest address first. */
struct syscall_frame {
	uint64_t nr;			/* rax: system call number */
	uint64_t rdi, rsi, rdx, r10, r8, r9;	/* arguments, restored on return */
	uint64_t rip;			/* rcx at entry: where sysret returns */
	uint64_t rflags;		/* r11 at entry */
	uint64_t rsp;			/* user stack pointer */
};

/* Points the syscall instruction at syscall_entry (entry.S). Per CPU, at boot. */
void syscall_init(void);
/* Runs one system call; returns its result (rax). */
uint64_t syscall_dispatch(struct syscall_frame *f);

#endif
