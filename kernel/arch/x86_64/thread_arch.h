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
/*
 * Rewrites t's kernel stack so that its next switch-in runs fn (which must
 * not return) from the top of that stack, with the scheduler lock released
 * and interrupts on; whatever t's stack held is abandoned. t must not be
 * running (sched_restart). Also how a kernel thread gets its first
 * switch-in (sched_kthread_create).
 */
void arch_thread_restart(struct thread *t, void (*fn)(void));
/* Loads what belongs to `t` into this CPU: kernel stack for traps, FS base, page tables. */
void arch_thread_activate(struct thread *t);
void arch_switch_stacks(uint64_t *save_ksp, uint64_t new_ksp);

/* Gives a user thread its FPU save area, in the reset state. Returns 0 or ERR_NOMEM. */
__must_check int arch_thread_fpu_alloc(struct thread *t);
/* Frees t's area (none is fine). The current thread may free its own: it stops using FPU state. */
void arch_thread_fpu_free(struct thread *t);
/* At every switch, interrupts off: prev's FPU registers to its area, next's from its area. */
void arch_thread_switch_fpu(struct thread *prev, struct thread *next);

#endif
