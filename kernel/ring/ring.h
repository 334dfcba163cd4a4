/* SPDX-License-Identifier: MIT */
/*
 * The kernel's view of one capability ring (docs/ring.md is the protocol,
 * include/capos/ring.h the layout). The ring region is user memory that the
 * kernel also reaches through its own mapping (`base`), so no user-copy is
 * needed for it; but user code may write any byte of it at any time, so:
 *   - the kernel owns private copies of the indices it writes (sq_head,
 *     cq_tail) and of its status (cq_overflow, flags) and never reads them
 *     back from the ring: it rewrites them from the copies each time;
 *   - it reads each user-written index (sq_tail, cq_head) with one
 *     load-acquire and each SQE with one 64-byte copy, then decides only
 *     from the copies;
 *   - it uses compile-time geometry (CAPOS_RING_*), never the header's.
 *
 * CQ credits: an SQE is accepted only while (cq_tail - cq_head) + in_flight
 * < CAPOS_RING_CQ_ENTRIES; accepting it takes a credit (in_flight + 1) that
 * ring_post() gives back when the CQE is written. An operation that completes
 * later (a pending CALL or RECV, M4) keeps its credit until then, so
 * legitimate use never loses a completion. A CQE that still finds the CQ
 * full (user code moved cq_head backwards) is dropped and counted.
 *
 * Locking: `consuming` is a flag, not a lock: one thread at a time consumes
 * the SQ (another gets CAPOS_ERR_BUSY at once instead of spinning behind
 * it); sq_head belongs to the holder. cq_lock (a
 * spinlock, leaf: nothing is taken inside it) guards cq_tail, cq_overflow,
 * flags and the shared CQ slots; wait_min is set by its waiter with a
 * compare-exchange and cleared by the poster that wakes it, under cq_lock. Credits (in_flight, atomic) are
 * taken only by the consumer: under cq_lock by ring_consume, without it by
 * the IPC fast path (posters publish cq_tail, then give the credit back
 * with a release that the taker's load-acquire of in_flight pairs with, so
 * an unlocked taker sees too many in use, never too few); they are given
 * back under it or, for a success that posts no CQE, without it (the
 * taker can only see too many in use); ring_post() may run
 * on any CPU (a server completing a call, M4). No ring lock is held while
 * dispatching, so object and cap-table locks never nest inside a ring lock.
 * Nothing here runs in interrupt context.
 */
#ifndef CAPOS_KERNEL_RING_RING_H
#define CAPOS_KERNEL_RING_RING_H

#include <capos/ring.h>

#include "lib/spinlock.h"
#include "lib/types.h"

struct addrspace;
struct cap_table;
struct ipc_claim_cache;
struct ipc_peer;
struct proc;

/* Everything dispatch needs to know about the process that owns the ring. */
struct ring_caller {
	struct cap_table *caps;		/* its capability table */
	struct addrspace *as;		/* for uaccess_copy_in/out (ring/seam.h) */
	struct proc *proc;		/* opaque to ring/; handed to object handlers */
	struct ipc_peer *peer;		/* the submitting thread's: its completions' way back */
	struct ipc_claim_cache *claim;	/* the thread's last IPC buffer claim, or NULL */
	struct mem_account *kmem;	/* pays for kernel memory its calls pin (proc.h) */
};

struct ring {
	/* set by ring_init, never change */
	struct capos_ring_header *hdr;	/* kernel mapping of the shared header */
	struct capos_sqe *sq;		/* kernel mapping of the SQ (shared, hostile) */
	struct capos_cqe *cq;		/* kernel mapping of the CQ (shared) */
	/* consumer side */
	uint32_t consuming;		/* atomic flag: a thread is in ring_consume */
	uint32_t sq_head;		/* next SQE to consume (private copy), consumer only */
	/* completion side, guarded by cq_lock */
	struct spinlock cq_lock;
	uint32_t cq_tail;		/* next CQE slot (private copy) */
	uint32_t in_flight;		/* credits held: accepted SQEs not yet posted;
					 * atomic, taken by the consumer (under
					 * cq_lock, or without it by the fast path),
					 * given back with or without it */
	uint32_t cq_overflow;		/* CQEs dropped (private copy) */
	uint32_t flags;			/* CAPOS_RING_F_* sticky (private copy) */
	uint32_t wait_min;		/* non-zero: a waiter wants this many ready CQEs */
	/* IPC fast path batches (ipc/fastpath.c): only the ring's thread counts them */
	uint32_t fast_declined;
	uint32_t fast_taken;
};

/*
 * Takes over the ring region at base (CAPOS_RING_SIZE bytes, kernel mapping,
 * page aligned): zeroes it, writes the geometry into the header, resets the
 * private state. Call before the region is mapped into user space.
 */
void ring_init(struct ring *r, void *base, uint32_t ring_id, uint32_t owner_thread);

/*
 * Consumes up to `budget` SQEs (clamped to CAPOS_RING_SQ_ENTRIES) from the
 * SQ, each validated and dispatched (ring/dispatch.c) for `caller`, and
 * publishes the new sq_head. Stops early when no CQ credit is left.
 * Returns the number consumed (>= 0), CAPOS_ERR_RING_CORRUPT when sq_tail
 * is more than CAPOS_RING_SQ_ENTRIES ahead of sq_head (nothing is consumed,
 * CAPOS_RING_F_SQ_CORRUPT is set; a sane sq_tail recovers), or
 * CAPOS_ERR_BUSY if another thread is consuming this ring.
 * Context: process context, the ring's owner; no locks held; never blocks
 * (no call handler does: an answer that waits is queued, ipc/kcall.h).
 */
int ring_consume(struct ring *r, const struct ring_caller *caller, uint32_t budget);

/*
 * Posts one completion, giving back the credit its SQE took. If the CQ looks
 * full (user code corrupted cq_head), the CQE is dropped, counted in
 * cq_overflow, CAPOS_RING_F_CQ_OVERFLOW set, and CAPOS_ERR_CQ_FULL returned.
 * Calls ring_wake() (ring/seam.h) when a waiter's condition becomes true.
 * Context: any thread, any CPU; takes cq_lock; never blocks.
 */
int ring_post(struct ring *r, const struct capos_cqe *cqe);

/*
 * ring_post without the wake-up: *wake says whether a waiter's condition
 * became true, and the caller then owes it ring_wake(), with what keeps
 * that thread alive still held. Same context as ring_post.
 */
int ring_post_defer_wake(struct ring *r, const struct capos_cqe *cqe, bool *wake);

/*
 * ring_post in two steps, for a caller that writes the CQE in place:
 * ring_post_begin() takes cq_lock, gives back the credit and returns the
 * CQE slot to fill, or NULL if the CQ is full (the CQE is dropped and
 * counted as ring_post does); ring_post_end() publishes the slot (if any),
 * drops cq_lock and returns true if a waiter's condition became true: the
 * caller then owes it ring_wake(), with what keeps that thread alive still
 * held. Nothing may be taken in between.
 */
struct capos_cqe *ring_post_begin(struct ring *r);
bool ring_post_end(struct ring *r, const struct capos_cqe *slot);

/*
 * The IPC fast path (ipc/fastpath.c) consumes the short SQ batches of an IPC
 * round trip itself, so only these three functions touch the SQ for it:
 *   ring_fast_peek() returns how many SQEs are ready and, if that is 1 to
 *     RING_FAST_MAX, the first one's opcode: a look that only picks a path;
 *   ring_fast_claim() takes the consumer flag and one CQ credit for each of
 *     exactly n SQEs (without cq_lock: only the consumer takes credits) and
 *     copies them to w[] with one load per word; false, with nothing
 *     taken, if another thread consumes, the SQ no longer holds exactly n,
 *     or credits are short;
 *   ring_fast_release() ends a claim: `consumed` SQEs (0 or n) leave the SQ,
 *     `unused` credits go back (declined SQEs, successes that post nothing),
 *     and the flag is dropped.
 * Context: as ring_consume.
 */
#define RING_FAST_MAX 2u
uint32_t ring_fast_peek(struct ring *r, uint8_t *opcode);
bool ring_fast_claim(struct ring *r, uint32_t n, uint64_t (*w)[CAPOS_SQE_SIZE / 8]);
void ring_fast_release(struct ring *r, uint32_t consumed, uint32_t unused);

/*
 * CQEs ready for user code (cq_tail - cq_head), CAPOS_RING_CQ_ENTRIES if
 * cq_head is corrupt (so a waiter returns at once). Any context.
 */
uint32_t ring_cq_ready(struct ring *r);

/*
 * Blocking in cap_enter (the lead's code), without lost wake-ups:
 *	if (ring_wait_prepare(r, min)) {   // false: min already met, or busy
 *		sleep until ring_wake(r) or the timeout;
 *		ring_wait_finish(r);
 *	}
 *	n = ring_cq_ready(r);
 * ring_wait_prepare() registers the waiter (lock-free: a compare-exchange
 * of wait_min, then a look at cq_tail, against the posters' store of
 * cq_tail, then a look at wait_min, all sequentially consistent) and
 * returns true only if fewer than min CQEs are ready; *busy (may be NULL) is set if
 * another thread already waits (CAPOS_ERR_BUSY). A ring_post() that brings
 * the count to min clears the registration and calls ring_wake(), which may
 * come before the waiter actually sleeps: the sleep must be a token wait
 * (park/unpark), not an unconditional sleep.
 */
bool ring_wait_prepare(struct ring *r, uint32_t min, bool *busy);
void ring_wait_finish(struct ring *r);
/*
 * After a wake-up that found min met: clears the registration if the post
 * did not (a corrupt cq_head posts nothing and clears nothing); lock-free in
 * the usual case where it is already clear.
 */
void ring_wait_done(struct ring *r);

/* Status flags and overflow count (private copies), for tests and logs. */
static inline uint32_t ring_flags(struct ring *r)
{
	return __atomic_load_n(&r->flags, __ATOMIC_RELAXED);
}

#endif
