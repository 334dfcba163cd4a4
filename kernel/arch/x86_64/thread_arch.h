/* SPDX-License-Identifier: MIT */
/* Thread start-up and switching, x86_64 side (used by kernel/sched and kernel/proc). */
#ifndef CAPOS_ARCH_X86_64_THREAD_ARCH_H
#define CAPOS_ARCH_X86_64_THREAD_ARCH_H

#include "sched/thread.h"

/*
 * Prepares t's kernel stack so that its first switch-in enters user mode at
 * `entry` with stack `user_rsp` and rdi/rsi/rdx = a0/a1/a2, interrupts on, every
 * other register zero.
 */
void arch_thread_init_user(struct thread *t, uint64_t entry, uint64_t user_rsp, uint64_t a0,
			   uint64_t a1, uint64_t a2);
/* Loads what belongs to `t` into this CPU: kernel stack for traps, FS base, page tables. */
void arch_thread_activate(struct thread *t);
void arch_switch_stacks(uint64_t *save_ksp, uint64_t new_ksp);

#endif
