/* SPDX-License-Identifier: MIT */
/*
 * Lock checks of debug builds (CAPOS_DEBUG; `make test` boots the debug
 * kernel, `make bench` the release one, which compiles all of this away):
 *   assert_held(l)   at the top of every `_locked` function: its lock is
 *                    held (by someone: spin_is_held cannot tell who, but a
 *                    caller that forgot the lock is caught in any test that
 *                    reaches the function with it free);
 *   endpoint locks   are counted per CPU as they are taken and dropped
 *                    (ipc/endpoint_impl.h), and kobj_put() asserts the count
 *                    is zero: an object's destroy() may take an endpoint
 *                    lock, and a spinlock taken twice by one CPU spins
 *                    forever (docs/locking.md);
 *   blocking         sched_block() asserts its thread is not consuming its
 *                    ring: no call handler blocks (sched_restart relies on it);
 *   lock order       every spin_lock checks the new lock's rank against the
 *                    locks this CPU holds (lib/lockorder.h, lib/lockdep.c),
 *                    and a context switch asserts that only the scheduler's
 *                    lock, which the next thread releases, is held across it.
 * The count and the held-lock stack live with the CPU (the kernel: struct
 * cpu; host tests: thread-locals), behind lockdep_ipc_count() and
 * lockdep_held_locks().
 */
#ifndef CAPOS_KERNEL_LIB_LOCKDEP_H
#define CAPOS_KERNEL_LIB_LOCKDEP_H

#include "lib/kprintf.h"
#include "lib/spinlock.h"
#include "lib/types.h"

#ifdef CAPOS_DEBUG

/* This CPU's count of endpoint locks held. */
uint32_t *lockdep_ipc_count(void);
/* This CPU's stack of held locks; NULL until the boot CPU's per-CPU area exists. */
struct lock_held_stack *lockdep_held_locks(void);
/* Before arch_switch_stacks: nothing but `handed_over` is held (sched_finish_switch drops it). */
void lockdep_assert_switch(const struct spinlock *handed_over);

#define assert_held(l) assert(spin_is_held(l))

static inline void lockdep_ipc_acquired(void)
{
	(*lockdep_ipc_count())++;
}

static inline void lockdep_ipc_released(void)
{
	assert(*lockdep_ipc_count() > 0);
	(*lockdep_ipc_count())--;
}

static inline void lockdep_assert_no_ipc_locks(void)
{
	assert(*lockdep_ipc_count() == 0);
}

/*
 * A thread blocks only outside ring_consume (its ring's `consuming` flag
 * clear): no call handler blocks, which is what lets a kill abandon a
 * switched-out thread's kernel stack (sched_restart, docs/processes.md).
 */
static inline void lockdep_assert_may_block(const uint32_t *consuming)
{
	assert(__atomic_load_n(consuming, __ATOMIC_RELAXED) == 0);
}

#else

#define assert_held(l) ((void)(l))
static inline void lockdep_ipc_acquired(void) {}
static inline void lockdep_ipc_released(void) {}
static inline void lockdep_assert_no_ipc_locks(void) {}
static inline void lockdep_assert_may_block(const uint32_t *consuming) { (void)consuming; }
static inline void lockdep_assert_switch(const struct spinlock *l) { (void)l; }

#endif
#endif
