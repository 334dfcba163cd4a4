/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlock. A locker takes a ticket from `next` and spins until `owner`
 * reaches it, so waiters are served in FIFO order and none starves. Only
 * __atomic builtins are used, so the same code runs (and is tested) on the host.
 *
 * Ordering: taking the lock is an acquire (the owner load that sees our ticket),
 * releasing is a release store of owner + 1; everything written inside the
 * critical section is visible to the next holder.
 *
 * Interrupts are the caller's business: a lock that an interrupt handler may
 * also take must be taken with interrupts disabled (arch_irq_save/restore around
 * it), or a handler on the same CPU deadlocks against the interrupted holder.
 * The lock is not recursive; spin_is_held() says whether anyone holds it, not
 * whether the caller does, so it suits assertions ("must be held"), not logic.
 */
#ifndef CAPOS_KERNEL_LIB_SPINLOCK_H
#define CAPOS_KERNEL_LIB_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct spinlock {
	uint32_t next;		/* next ticket to hand out; fetch-add by lockers */
	uint32_t owner;		/* ticket now being served; written only by the holder */
};

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_init(struct spinlock *l)
{
	__atomic_store_n(&l->next, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
}

static inline __attribute__((always_inline)) void spin_lock(struct spinlock *l)
{
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		__builtin_ia32_pause();
}

/* Takes the lock only if nobody holds it or waits for it; returns true on success. */
static inline bool spin_trylock(struct spinlock *l)
{
	uint32_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint32_t expect = owner;

	return __atomic_compare_exchange_n(&l->next, &expect, owner + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline __attribute__((always_inline)) void spin_unlock(struct spinlock *l)
{
	/* Only the holder writes owner, so a plain read of it is race-free. */
	uint32_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);

	__atomic_store_n(&l->owner, owner + 1, __ATOMIC_RELEASE);
}

/* True while some CPU holds the lock (or has taken a ticket for it). */
static inline bool spin_is_held(const struct spinlock *l)
{
	return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
}

#endif
