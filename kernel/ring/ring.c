// SPDX-License-Identifier: MIT
/*
 * The ring engine of cap_enter: SQ consumption with CQ credits, CQE posting,
 * overflow and corruption accounting, and the wait registration (model and
 * locking in ring.h, protocol in docs/ring.md).
 *
 * Every value read from the shared region is read once: sq_tail and cq_head
 * with one load-acquire each, an SQE with one 64-byte copy followed by a
 * compiler barrier (so the compiler cannot re-read the shared SQE in place of
 * the local copy). Kernel-owned header fields are only ever written, from the
 * private copies, so a scribbled header never feeds back into a decision.
 * No division anywhere: geometry is constant and slots are index & mask.
 */
#include <capos/errors.h>

#include "lib/kprintf.h"
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
	spin_init(&r->cq_lock);
	r->cq_tail = 0;
	r->in_flight = 0;
	r->cq_overflow = 0;
	r->flags = 0;
	r->wait_min = 0;
}

/* Sets sticky status flags and republishes them. Caller holds cq_lock. */
static void ring_set_flags_locked(struct ring *r, uint32_t flags)
{
	r->flags |= flags;
	capos_store_release_u32(&r->hdr->flags, r->flags);
}

/* CQEs in the CQ from user code's point of view; > CQ entries means corrupt. */
static uint32_t ring_cq_used(struct ring *r)
{
	/* Pairs with user code's store-release of cq_head after reading CQEs. */
	return r->cq_tail - capos_load_acquire_u32(&r->hdr->cq_head);
}

/* Takes up to n CQ credits; returns how many were taken. */
static uint32_t ring_take_credits(struct ring *r, uint32_t n)
{
	uint32_t used, avail;

	spin_lock(&r->cq_lock);
	used = ring_cq_used(r);
	if (used > CAPOS_RING_CQ_ENTRIES) {
		ring_set_flags_locked(r, CAPOS_RING_F_CQ_CORRUPT);
		avail = 0;
	} else if (used + r->in_flight >= CAPOS_RING_CQ_ENTRIES) {
		avail = 0;
	} else {
		avail = CAPOS_RING_CQ_ENTRIES - used - r->in_flight;
	}
	if (n > avail)
		n = avail;
	r->in_flight += n;
	spin_unlock(&r->cq_lock);
	return n;
}

/* Copies SQE `index` out of the shared SQ exactly once. */
static void ring_read_sqe(struct ring *r, uint32_t index, struct capos_sqe *sqe)
{
	__builtin_memcpy(sqe, &r->sq[index & RING_SQ_MASK], sizeof(*sqe));
	/* From here on only the copy counts, whatever user code writes. */
	__asm__ __volatile__("" ::: "memory");
}

static int ring_consume_sq(struct ring *r, const struct ring_caller *caller, uint32_t budget)
{
	uint32_t head = r->sq_head, tail, n, i;
	struct capos_sqe sqe;

	/* Pairs with user code's store-release of sq_tail after writing SQEs. */
	tail = capos_load_acquire_u32(&r->hdr->sq_tail);
	n = tail - head;
	if (n > CAPOS_RING_SQ_ENTRIES) {
		spin_lock(&r->cq_lock);
		ring_set_flags_locked(r, CAPOS_RING_F_SQ_CORRUPT);
		spin_unlock(&r->cq_lock);
		return CAPOS_ERR_RING_CORRUPT;
	}
	if (n > budget)
		n = budget;
	if (n)
		n = ring_take_credits(r, n);
	for (i = 0; i < n; i++) {
		ring_read_sqe(r, head + i, &sqe);
		ring_dispatch(r, caller, &sqe);
	}
	r->sq_head = head + n;
	/* Pairs with user code's load-acquire of sq_head before reusing SQ slots. */
	capos_store_release_u32(&r->hdr->sq_head, r->sq_head);
	return (int)n;
}

int ring_consume(struct ring *r, const struct ring_caller *caller, uint32_t budget)
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

int ring_post(struct ring *r, const struct capos_cqe *cqe)
{
	uint32_t used, ready;
	bool wake = false;
	int ret = 0;

	spin_lock(&r->cq_lock);
	assert(r->in_flight > 0);
	r->in_flight--;
	used = ring_cq_used(r);
	if (used >= CAPOS_RING_CQ_ENTRIES) {
		r->cq_overflow++;
		capos_store_release_u32(&r->hdr->cq_overflow, r->cq_overflow);
		ring_set_flags_locked(r, CAPOS_RING_F_CQ_OVERFLOW |
					 (used > CAPOS_RING_CQ_ENTRIES ? CAPOS_RING_F_CQ_CORRUPT : 0));
		ret = CAPOS_ERR_CQ_FULL;
		goto out_unlock;
	}
	r->cq[r->cq_tail & RING_CQ_MASK] = *cqe;
	/* Atomic only for ring_cq_ready, which reads it without cq_lock. */
	__atomic_store_n(&r->cq_tail, r->cq_tail + 1, __ATOMIC_RELAXED);
	/* Pairs with user code's load-acquire of cq_tail before reading CQEs. */
	capos_store_release_u32(&r->hdr->cq_tail, r->cq_tail);
	ready = used + 1;
	if (r->wait_min && ready >= r->wait_min) {
		r->wait_min = 0;
		wake = true;
	}
out_unlock:
	spin_unlock(&r->cq_lock);
	if (wake)
		ring_wake(r);
	return ret;
}

/* Lock-free: a snapshot is all a caller can use anyway (cap_enter's result). */
uint32_t ring_cq_ready(struct ring *r)
{
	uint32_t tail = __atomic_load_n(&r->cq_tail, __ATOMIC_RELAXED);
	/* Pairs with user code's store-release of cq_head. */
	uint32_t used = tail - capos_load_acquire_u32(&r->hdr->cq_head);

	return used > CAPOS_RING_CQ_ENTRIES ? CAPOS_RING_CQ_ENTRIES : used;
}

bool ring_wait_prepare(struct ring *r, uint32_t min, bool *busy)
{
	bool sleep = false;
	uint32_t used;

	if (busy)
		*busy = false;
	spin_lock(&r->cq_lock);
	used = ring_cq_used(r);
	if (r->wait_min) {
		if (busy)
			*busy = true;
	} else if (used <= CAPOS_RING_CQ_ENTRIES && used < min) {
		r->wait_min = min;
		sleep = true;
	}
	spin_unlock(&r->cq_lock);
	return sleep;
}

void ring_wait_finish(struct ring *r)
{
	spin_lock(&r->cq_lock);
	r->wait_min = 0;
	spin_unlock(&r->cq_lock);
}
