// SPDX-License-Identifier: MIT
/*
 * The ring engine of cap_enter: SQ consumption with CQ credits, CQE posting,
 * overflow and corruption accounting, and the wait registration (model and
 * locking in ring.h, protocol in docs/ring.md).
 *
 * Every value read from the shared region is read once: sq_tail and cq_head
 * with one load-acquire each (per consume or per lock hold), an SQE with one
 * atomic load per 8-byte word into a local copy, so the compiler cannot
 * re-read the shared SQE in place of the copy. Kernel-owned header fields are
 * only ever written, from the private copies, so a scribbled header never
 * feeds back into a decision. No division anywhere: geometry is constant and
 * slots are index & mask.
 *
 * Fast path: a plain NOP (every word but user_data zero, which is also what
 * ring_dispatch would accept as a NOP) is completed inline. A run of them is
 * written under one cq_lock hold, the same hold that took the CQ credits, and
 * cq_tail is published once per run, so a batch of 32 NOPs costs one lock,
 * one release store of cq_tail and four stores per CQE.
 */
#include <capos/errors.h>

#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "lib/string.h"
#include "ring/dispatch.h"
#include "ring/ring.h"
#include "ring/seam.h"

#define RING_SQ_MASK	(CAPOS_RING_SQ_ENTRIES - 1)
#define RING_CQ_MASK	(CAPOS_RING_CQ_ENTRIES - 1)

void ring_init(struct ring *r, void *base, uint32_t ring_id, uint32_t owner_thread)
{
	struct capos_ring_header *h = base;

	memset(base, 0, CAPOS_RING_SIZE);
	h->magic = CAPOS_RING_MAGIC;
	h->version = CAPOS_RING_VERSION;
	h->size = CAPOS_RING_SIZE;
	h->ring_id = ring_id;
	h->sq_entries = CAPOS_RING_SQ_ENTRIES;
	h->cq_entries = CAPOS_RING_CQ_ENTRIES;
	h->sq_mask = RING_SQ_MASK;
	h->cq_mask = RING_CQ_MASK;
	h->sq_offset = CAPOS_RING_SQ_OFFSET;
	h->cq_offset = CAPOS_RING_CQ_OFFSET;
	h->owner_thread = owner_thread;
	r->hdr = h;
	r->sq = (struct capos_sqe *)((uint8_t *)base + CAPOS_RING_SQ_OFFSET);
	r->cq = (struct capos_cqe *)((uint8_t *)base + CAPOS_RING_CQ_OFFSET);
	r->consuming = 0;
	r->sq_head = 0;
	spin_init_class(&r->cq_lock, LOCK_RANK_RING_CQ);
	r->cq_tail = 0;
	r->in_flight = 0;
	r->cq_overflow = 0;
	r->flags = 0;
	r->wait_min = 0;
	r->fast_declined = 0;
	r->fast_taken = 0;
}

/* Sets sticky status flags and republishes them. Caller holds cq_lock. */
static void ring_set_flags_locked(struct ring *r, uint32_t flags)
{
	assert_held(&r->cq_lock);
	r->flags |= flags;
	capos_store_release_u32(&r->hdr->flags, r->flags);
}

/* CQEs in the CQ from user code's point of view; > CQ entries means corrupt. */
static uint32_t ring_cq_used(struct ring *r)
{
	/* Pairs with user code's store-release of cq_head after reading CQEs. */
	return r->cq_tail - capos_load_acquire_u32(&r->hdr->cq_head);
}

/* Clears the waiter's registration if `ready` CQEs satisfy it; true: wake it. */
static bool ring_wait_check_locked(struct ring *r, uint32_t ready)
{
	/* After the seq_cst store of cq_tail: the poster's half of ring_wait_prepare's pair. */
	uint32_t min = __atomic_load_n(&r->wait_min, __ATOMIC_SEQ_CST);

	assert_held(&r->cq_lock);
	if (!min || ready < min)
		return false;
	__atomic_store_n(&r->wait_min, 0, __ATOMIC_RELAXED);	/* see ring_wait_done */
	return true;
}

/* A CQE found the CQ full (user code moved cq_head): count and flag the loss. */
static void __attribute__((noinline, cold)) ring_overflow_locked(struct ring *r, uint32_t used)
{
	assert_held(&r->cq_lock);
	r->cq_overflow++;
	capos_store_release_u32(&r->hdr->cq_overflow, r->cq_overflow);
	ring_set_flags_locked(r, CAPOS_RING_F_CQ_OVERFLOW |
				 (used > CAPOS_RING_CQ_ENTRIES ? CAPOS_RING_F_CQ_CORRUPT : 0));
}

/*
 * Completion-side state while ring_consume holds cq_lock across a run of
 * plain NOPs: their CQEs are written with the lock held once, and cq_tail and
 * in_flight are updated once, when the run ends. Kept in locals of
 * ring_consume_sq so the compiler can hold them in registers.
 */
struct ring_batch {
	uint32_t head;		/* cq_head as loaded (acquire) when locking */
	uint32_t start;		/* cq_tail when locking */
	uint32_t tail;		/* cq_tail including the CQEs written in this run */
	uint32_t dropped;	/* NOPs of this run whose CQE found the CQ full */
};

static inline struct ring_batch ring_batch_lock(struct ring *r)
{
	struct ring_batch b;

	spin_lock(&r->cq_lock);
	/* Pairs with user code's store-release of cq_head after reading CQEs. */
	b.head = capos_load_acquire_u32(&r->hdr->cq_head);
	b.start = b.tail = r->cq_tail;
	b.dropped = 0;
	return b;
}

static inline __attribute__((always_inline)) void ring_batch_unlock(struct ring *r,
								   struct ring_batch b)
{
	bool wake = false;

	if (b.tail != r->cq_tail) {
		/* Read unlocked by ring_cq_ready, ring_take_credits_unlocked and
		 * ring_wait_prepare (seq_cst: ordered before the load of wait_min). */
		__atomic_store_n(&r->cq_tail, b.tail, __ATOMIC_SEQ_CST);
		/* Pairs with user code's load-acquire of cq_tail before reading CQEs. */
		capos_store_release_u32(&r->hdr->cq_tail, b.tail);
		wake = ring_wait_check_locked(r, b.tail - b.head);
	}
	/*
	 * Every NOP of the run gives its credit back, posted or dropped: after
	 * cq_tail, with release, so an unlocked credit taker that sees the
	 * credits back also sees the CQEs (ring_take_credits_unlocked).
	 */
	__atomic_sub_fetch(&r->in_flight, b.tail - b.start + b.dropped, __ATOMIC_RELEASE);
	spin_unlock(&r->cq_lock);
	if (wake)
		ring_wake(r);
}

/* Takes up to n CQ credits under the batch lock; returns how many were taken. */
static uint32_t ring_take_credits_locked(struct ring *r, struct ring_batch b, uint32_t n)
{
	uint32_t used = b.tail - b.head, avail;
	/* Atomic: credits of skipped CQEs come back without the lock (ring_consume_sq). */
	uint32_t held = __atomic_load_n(&r->in_flight, __ATOMIC_RELAXED);

	assert_held(&r->cq_lock);
	if (used > CAPOS_RING_CQ_ENTRIES) {
		ring_set_flags_locked(r, CAPOS_RING_F_CQ_CORRUPT);
		avail = 0;
	} else if (used + held >= CAPOS_RING_CQ_ENTRIES) {
		avail = 0;
	} else {
		avail = CAPOS_RING_CQ_ENTRIES - used - held;
	}
	if (n > avail)
		n = avail;
	__atomic_add_fetch(&r->in_flight, n, __ATOMIC_RELAXED);
	return n;
}

/* SQE and CQE as machine words, for the NOP fast path (one load or store each). */
typedef uint64_t __attribute__((may_alias)) ring_word_t;

union ring_sqe_words {
	struct capos_sqe sqe;
	uint64_t w[CAPOS_SQE_SIZE / 8];
};

/*
 * Completes a plain NOP (an SQE whose every word but user_data is zero) with
 * the batch lock held: one 32-byte CQE, result 0, opcode NOP.
 */
static inline void ring_post_nop_locked(struct ring *r, struct ring_batch *b, uint64_t user_data)
{
	ring_word_t *cqe = (ring_word_t *)&r->cq[b->tail & RING_CQ_MASK];
	uint32_t used = b->tail - b->head;

	assert_held(&r->cq_lock);
	if (__builtin_expect(used >= CAPOS_RING_CQ_ENTRIES, 0)) {
		ring_overflow_locked(r, used);
		b->dropped++;
		return;
	}
	cqe[0] = user_data;
	cqe[1] = 0;
	cqe[2] = 0;
	cqe[3] = 0;
	b->tail++;
}

/* One relaxed load per word of SQE `index` into w[] (kept in registers). */
#define RING_LOAD_SQE(r, index, w)                                                         \
	do {                                                                               \
		const ring_word_t *src_ = (const ring_word_t *)&(r)->sq[(index) & RING_SQ_MASK]; \
		(w)[0] = __atomic_load_n(&src_[0], __ATOMIC_RELAXED);                     \
		(w)[1] = __atomic_load_n(&src_[1], __ATOMIC_RELAXED);                     \
		(w)[2] = __atomic_load_n(&src_[2], __ATOMIC_RELAXED);                     \
		(w)[3] = __atomic_load_n(&src_[3], __ATOMIC_RELAXED);                     \
		(w)[4] = __atomic_load_n(&src_[4], __ATOMIC_RELAXED);                     \
		(w)[5] = __atomic_load_n(&src_[5], __ATOMIC_RELAXED);                     \
		(w)[6] = __atomic_load_n(&src_[6], __ATOMIC_RELAXED);                     \
		(w)[7] = __atomic_load_n(&src_[7], __ATOMIC_RELAXED);                     \
	} while (0)

/* Opcode NOP is 0, so word 0 (opcode, xfer_count, flags, cap_id) is all zero. */
#define RING_SQE_PLAIN_NOP(w) (((w)[0] | (w)[2] | (w)[3] | (w)[4] | (w)[5] | (w)[6] | (w)[7]) == 0)

/*
 * The slow path: copies SQE `index` into kernel memory (once more) and
 * dispatches that copy. Reading it a second time is safe: the first read
 * only chose between the NOP path and this one, and ring_dispatch decides
 * everything from this copy alone, including a NOP if user code changed the
 * SQE in between. Out of line, so the NOP loop keeps its words in registers.
 */
static bool __attribute__((noinline)) ring_dispatch_slot(struct ring *r,
							 const struct ring_caller *caller,
							 uint32_t index)
{
	union ring_sqe_words c;

	RING_LOAD_SQE(r, index, c.w);
	return ring_dispatch(r, caller, &c.sqe);
}

/*
 * Consumes up to `budget` SQEs from sq_head. The sq_tail acquire orders the
 * SQE loads after user code's writes. Runs of plain NOPs complete under one
 * cq_lock hold (the one that took the credits, or a new one); anything else
 * is dispatched with no lock held.
 */
static int ring_consume_sq(struct ring *r, const struct ring_caller *caller, uint32_t budget)
{
	uint32_t head = r->sq_head, n, i, unused = 0;
	struct ring_batch b;
	bool locked;

	/* Pairs with user code's store-release of sq_tail after writing SQEs. */
	n = capos_load_acquire_u32(&r->hdr->sq_tail) - head;
	if (n > CAPOS_RING_SQ_ENTRIES) {
		spin_lock(&r->cq_lock);
		ring_set_flags_locked(r, CAPOS_RING_F_SQ_CORRUPT);
		spin_unlock(&r->cq_lock);
		return CAPOS_ERR_RING_CORRUPT;
	}
	if (n > budget)
		n = budget;
	if (n == 0)
		return 0;
	b = ring_batch_lock(r);
	locked = true;
	n = ring_take_credits_locked(r, b, n);
	for (i = 0; i < n; i++) {
		uint64_t w[CAPOS_SQE_SIZE / 8];

		RING_LOAD_SQE(r, head + i, w);
		if (RING_SQE_PLAIN_NOP(w)) {
			if (!locked)
				b = ring_batch_lock(r);
			locked = true;
			ring_post_nop_locked(r, &b, w[1]);
			continue;
		}
		if (locked)
			ring_batch_unlock(r, b);
		locked = false;
		unused += ring_dispatch_slot(r, caller, head + i);
	}
	if (locked)
		ring_batch_unlock(r, b);
	/*
	 * Credits of SQEs that succeeded with SKIP_SUCCESS go back unposted, with
	 * no lock: a credit taker that still sees them taken only takes fewer.
	 */
	if (unused)
		__atomic_sub_fetch(&r->in_flight, unused, __ATOMIC_RELAXED);
	/* Atomic only for ring_consume's empty check, which reads it without the flag. */
	__atomic_store_n(&r->sq_head, head + n, __ATOMIC_RELAXED);
	/* Pairs with user code's load-acquire of sq_head before reusing SQ slots. */
	capos_store_release_u32(&r->hdr->sq_head, r->sq_head);
	return (int)n;
}

static int __attribute__((noinline)) ring_consume_flagged(struct ring *r,
							     const struct ring_caller *caller,
							     uint32_t budget)
{
	int ret;

	if (__atomic_exchange_n(&r->consuming, 1, __ATOMIC_ACQUIRE))
		return CAPOS_ERR_BUSY;
	if (budget > CAPOS_RING_SQ_ENTRIES)
		budget = CAPOS_RING_SQ_ENTRIES;
	ret = ring_consume_sq(r, caller, budget);
	__atomic_store_n(&r->consuming, 0, __ATOMIC_RELEASE);
	return ret;
}

/*
 * An empty SQ (the null cap_enter, or a pure wait) returns at once, without
 * the consumer flag. That look at sq_tail only chooses the path: the
 * consumer reads sq_tail again and decides everything from its own read.
 */
int ring_consume(struct ring *r, const struct ring_caller *caller, uint32_t budget)
{
	/* Pairs with user code's store-release of sq_tail. */
	if (capos_load_acquire_u32(&r->hdr->sq_tail) == __atomic_load_n(&r->sq_head,
									 __ATOMIC_RELAXED))
		return 0;
	return ring_consume_flagged(r, caller, budget);
}

struct capos_cqe *ring_post_begin(struct ring *r)
{
	uint32_t used;

	spin_lock(&r->cq_lock);
	assert(__atomic_load_n(&r->in_flight, __ATOMIC_RELAXED) > 0);
	used = ring_cq_used(r);
	if (__builtin_expect(used >= CAPOS_RING_CQ_ENTRIES, 0)) {
		ring_overflow_locked(r, used);
		return NULL;
	}
	return &r->cq[r->cq_tail & RING_CQ_MASK];
}

bool ring_post_end(struct ring *r, const struct capos_cqe *slot)
{
	bool wake = false;

	if (slot) {
		uint32_t tail = r->cq_tail + 1;

		/* Read unlocked by ring_cq_ready, ring_take_credits_unlocked and
		 * ring_wait_prepare (seq_cst: ordered before the load of wait_min). */
		__atomic_store_n(&r->cq_tail, tail, __ATOMIC_SEQ_CST);
		/* Pairs with user code's load-acquire of cq_tail before reading CQEs. */
		capos_store_release_u32(&r->hdr->cq_tail, tail);
		wake = ring_wait_check_locked(r, ring_cq_used(r));
	}
	/*
	 * The credit comes back after cq_tail, with release: pairs with the
	 * load-acquire of in_flight in ring_take_credits_unlocked, which then
	 * sees this CQE in cq_tail too, so it never counts it in neither.
	 */
	__atomic_sub_fetch(&r->in_flight, 1, __ATOMIC_RELEASE);
	spin_unlock(&r->cq_lock);
	return wake;
}

int ring_post_defer_wake(struct ring *r, const struct capos_cqe *cqe, bool *wake)
{
	struct capos_cqe *slot = ring_post_begin(r);

	if (slot)
		*slot = *cqe;
	*wake = ring_post_end(r, slot);
	return slot ? 0 : CAPOS_ERR_CQ_FULL;
}

int ring_post(struct ring *r, const struct capos_cqe *cqe)
{
	bool wake;
	int ret = ring_post_defer_wake(r, cqe, &wake);

	if (wake)
		ring_wake(r);
	return ret;
}

/* ---- the IPC fast path's access to the SQ (ring.h) ---------------------------------- */

uint32_t ring_fast_peek(struct ring *r, uint8_t *opcode)
{
	uint32_t head = __atomic_load_n(&r->sq_head, __ATOMIC_RELAXED);
	/* Pairs with user code's store-release of sq_tail. */
	uint32_t n = capos_load_acquire_u32(&r->hdr->sq_tail) - head;

	if (n - 1 < RING_FAST_MAX)
		*opcode = __atomic_load_n(&r->sq[head & RING_SQ_MASK].opcode, __ATOMIC_RELAXED);
	return n;
}

/*
 * Takes n CQ credits without cq_lock, all or none. Only the consumer takes
 * credits; others only give them back, a poster moving one from in_flight
 * to the CQ: it publishes cq_tail, then gives the credit back with a
 * release (ring_post_end, ring_batch_unlock). This load-acquire of
 * in_flight pairs with that release: a credit seen back brings its CQE's
 * cq_tail with it, so the sum can count a completion twice (too many in
 * use: fewer credits, never a lost CQE) but never miss it.
 */
static bool ring_take_credits_unlocked(struct ring *r, uint32_t n)
{
	uint32_t held = __atomic_load_n(&r->in_flight, __ATOMIC_ACQUIRE);
	uint32_t used = __atomic_load_n(&r->cq_tail, __ATOMIC_RELAXED) -
			capos_load_acquire_u32(&r->hdr->cq_head);

	if (used > CAPOS_RING_CQ_ENTRIES || used + held + n > CAPOS_RING_CQ_ENTRIES)
		return false;
	__atomic_add_fetch(&r->in_flight, n, __ATOMIC_RELAXED);
	return true;
}

bool ring_fast_claim(struct ring *r, uint32_t n, uint64_t (*w)[CAPOS_SQE_SIZE / 8])
{
	uint32_t head;

	if (__atomic_exchange_n(&r->consuming, 1, __ATOMIC_ACQUIRE))
		return false;
	head = r->sq_head;
	/* The consumer's own read of sq_tail: the peek only chose the path. */
	if (capos_load_acquire_u32(&r->hdr->sq_tail) - head != n || n - 1 >= RING_FAST_MAX)
		goto out_release;
	if (!ring_take_credits_unlocked(r, n))
		goto out_release;
	_Static_assert(RING_FAST_MAX == 2, "ring_fast_claim copies one or two SQEs");
	RING_LOAD_SQE(r, head, w[0]);
	if (n == 2)
		RING_LOAD_SQE(r, head + 1, w[1]);
	return true;
out_release:
	__atomic_store_n(&r->consuming, 0, __ATOMIC_RELEASE);
	return false;
}

void ring_fast_release(struct ring *r, uint32_t consumed, uint32_t unused)
{
	if (unused)
		__atomic_sub_fetch(&r->in_flight, unused, __ATOMIC_RELAXED);
	if (consumed) {
		/* Atomic only for ring_consume's empty check, which reads it without the flag. */
		__atomic_store_n(&r->sq_head, r->sq_head + consumed, __ATOMIC_RELAXED);
		/* Pairs with user code's load-acquire of sq_head before reusing SQ slots. */
		capos_store_release_u32(&r->hdr->sq_head, r->sq_head);
	}
	__atomic_store_n(&r->consuming, 0, __ATOMIC_RELEASE);
}

/* Lock-free: a snapshot is all a caller can use anyway (cap_enter's result). */
uint32_t ring_cq_ready(struct ring *r)
{
	uint32_t tail = __atomic_load_n(&r->cq_tail, __ATOMIC_RELAXED);
	/* Pairs with user code's store-release of cq_head. */
	uint32_t used = tail - capos_load_acquire_u32(&r->hdr->cq_head);

	return used > CAPOS_RING_CQ_ENTRIES ? CAPOS_RING_CQ_ENTRIES : used;
}

/*
 * Lock-free, as a Dekker pair with the posters: the waiter publishes
 * wait_min, then reads cq_tail; a poster publishes cq_tail, then reads
 * wait_min (ring_wait_check_locked), both sides sequentially consistent.
 * So either the waiter sees the poster's CQE and does not sleep, or the
 * poster sees the waiter and wakes it. A waiter that withdraws after a
 * poster saw it keeps an early wake-up token, which its wait loop absorbs.
 */
bool ring_wait_prepare(struct ring *r, uint32_t min, bool *busy)
{
	uint32_t none = 0, used;

	if (busy)
		*busy = false;
	if (min == 0)
		return false;
	if (!__atomic_compare_exchange_n(&r->wait_min, &none, min, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_RELAXED)) {
		if (busy)
			*busy = true;	/* another thread waits on this ring */
		return false;
	}
	/* Pairs with user code's store-release of cq_head after reading CQEs. */
	used = __atomic_load_n(&r->cq_tail, __ATOMIC_SEQ_CST) -
	       capos_load_acquire_u32(&r->hdr->cq_head);
	if (used <= CAPOS_RING_CQ_ENTRIES && used < min)
		return true;
	ring_wait_finish(r);
	return false;
}

void ring_wait_finish(struct ring *r)
{
	__atomic_store_n(&r->wait_min, 0, __ATOMIC_RELAXED);
}

void ring_wait_done(struct ring *r)
{
	/* Only the waiter sets wait_min, so a zero here stays zero. */
	if (__atomic_load_n(&r->wait_min, __ATOMIC_RELAXED))
		ring_wait_finish(r);
}
