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
 *
 * Every lock has a rank (lib/lockorder.h, docs/locking.md): SPINLOCK_INIT_RANK
 * or spin_init_class. Debug builds (CAPOS_DEBUG) keep the rank in the lock and
 * check the order at each spin_lock (lockdep_acquire, lib/lockdep.c); release
 * builds drop both the field and the check.
 */
#ifndef CAPOS_KERNEL_LIB_SPINLOCK_H
#define CAPOS_KERNEL_LIB_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/lockorder.h"

struct spinlock {
	uint32_t next;		/* next ticket to hand out; fetch-add by lockers */
	uint32_t owner;		/* ticket now being served; written only by the holder */
#ifdef CAPOS_DEBUG
	uint16_t rank;		/* enum lock_rank: its place in the lock order */
	uint16_t key;		/* order among locks of a LOCK_NEST_BY_KEY rank */
#endif
};

#ifdef CAPOS_DEBUG
#define SPINLOCK_INIT_RANK(r) { 0, 0, (r), 0 }
/* Checks the order against the locks this CPU holds, then records the lock (lib/lockdep.c). */
void lockdep_acquire(const struct spinlock *l);
/* Records a lock taken by spin_trylock: a try never waits, so it is not checked. */
void lockdep_acquired_try(const struct spinlock *l);
void lockdep_release(const struct spinlock *l);
#else
#define SPINLOCK_INIT_RANK(r) { 0, 0 }
static inline void lockdep_acquire(const struct spinlock *l) { (void)l; }
static inline void lockdep_acquired_try(const struct spinlock *l) { (void)l; }
static inline void lockdep_release(const struct spinlock *l) { (void)l; }
#endif

/* Unclassified: for locks of host tests only (the kernel refuses to take one). */
#define SPINLOCK_INIT SPINLOCK_INIT_RANK(LOCK_RANK_NONE)

/* A lock of a LOCK_NEST_BY_KEY rank: locks of that rank nest in ascending `key`. */
static inline void spin_init_class_key(struct spinlock *l, enum lock_rank rank, uint16_t key)
{
	__atomic_store_n(&l->next, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
#ifdef CAPOS_DEBUG
	l->rank = (uint16_t)rank;
	l->key = key;
#else
	(void)rank;
	(void)key;
#endif
}

static inline void spin_init_class(struct spinlock *l, enum lock_rank rank)
{
	spin_init_class_key(l, rank, 0);
}

static inline void spin_init(struct spinlock *l)
{
	spin_init_class(l, LOCK_RANK_NONE);
}

static inline __attribute__((always_inline)) void spin_lock(struct spinlock *l)
{
	uint32_t ticket;

	lockdep_acquire(l);
	ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		__builtin_ia32_pause();
}

/* Takes the lock only if nobody holds it or waits for it; returns true on success. */
static inline bool spin_trylock(struct spinlock *l)
{
	uint32_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint32_t expect = owner;

	/*
	 * Release builds keep the one expression: the if/return form, though
	 * equivalent, changed LTO's inlining around the IPI mailbox loops and
	 * cost ipc_call_rtt 24 instructions (1,484 -> 1,508).
	 */
#ifdef CAPOS_DEBUG
	if (!__atomic_compare_exchange_n(&l->next, &expect, owner + 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	lockdep_acquired_try(l);
	return true;
#else
	return __atomic_compare_exchange_n(&l->next, &expect, owner + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
#endif
}

static inline __attribute__((always_inline)) void spin_unlock(struct spinlock *l)
{
	/* Only the holder writes owner, so a plain read of it is race-free. */
	uint32_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);

	lockdep_release(l);
	__atomic_store_n(&l->owner, owner + 1, __ATOMIC_RELEASE);
}

/* True while some CPU holds the lock (or has taken a ticket for it). */
static inline bool spin_is_held(const struct spinlock *l)
{
	return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
}

#endif
