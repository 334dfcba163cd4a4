/* SPDX-License-Identifier: MIT */
/*
 * User side of the capability ring (docs/ring.md): submit SQEs, reap CQEs,
 * wait through cap_enter, and match completions to requests by user_data.
 *
 * One struct uring describes one mapped ring; it is owned by one thread (M3
 * has one thread per process). Submitting writes the SQE with plain stores
 * and publishes sq_tail with a store-release (pairs with the kernel's
 * load-acquire); reaping reads cq_tail with a load-acquire (pairs with the
 * kernel's store-release after writing the CQE) and hands slots back with a
 * store-release of cq_head. Completions may come in any order: a waiter for
 * one user_data parks the others in a stash, from which later waits and
 * uring_reap() take them first, so nothing reaped is ever lost.
 *
 * The stash starts inside struct uring (URING_STASH_INLINE entries), so the
 * waits that grow the heap itself (a VirtualMemory call, rt.c) never need
 * the heap to park what they pass; beyond that it grows on the heap as
 * needed: a CQE leaves the CQ only once the
 * stash has taken it, and the CQ slot it frees lets the kernel accept more
 * work, so the number of completions waiting for their callers is bounded by
 * what the program submitted, not by the CQ (CAPOS_RING_CQ_ENTRIES). Only
 * when the heap is exhausted does a wait fail (CAPOS_ERR_NO_MEMORY), and then
 * the CQE stays in the CQ: a completion is never dropped.
 *
 * The only way to the kernel is uring_sys_enter(), defined by sys.c in the
 * user build and by a simulated kernel in the host tests.
 */
#ifndef CAPOS_USER_URING_H
#define CAPOS_USER_URING_H

#include <capos/endpoint.h>
#include <capos/ring.h>

#define URING_STASH_INLINE 32	/* stash entries inside struct uring (1 KiB) */
#define URING_STASH_INIT 64	/* first heap allocation of the stash, in CQEs; doubles */

struct uring {
	struct capos_ring_header *hdr;	/* the mapped ring */
	struct capos_sqe *sq;		/* hdr + sq_offset */
	struct capos_cqe *cq;		/* hdr + cq_offset */
	uint32_t sq_entries;		/* geometry copied once at init */
	uint32_t cq_entries;
	uint32_t sq_tail;		/* our copy of sq_tail, incl. unpublished SQEs */
	uint32_t sq_head_seen;		/* sq_head when last read: slots before it are free */
	uint32_t nstash;		/* valid entries in stash[], oldest first */
	uint32_t stash_cap;		/* entries stash[] has room for */
	uint64_t next_user_data;	/* uring_next_id() counter */
	struct capos_cqe *stash;	/* stash_inline, or a heap array once that is full */
	struct capos_cqe stash_inline[URING_STASH_INLINE];
};

/* The system call (cap_enter) behind the ring; see the file comment. */
int64_t uring_sys_enter(uint32_t min_complete, uint64_t timeout_ns);

/*
 * Checks the header at ring_addr (magic, version, geometry inside the region)
 * and binds r to it, with an empty stash (r must not hold one yet). Returns 0
 * or CAPOS_ERR_INVALID_ARGUMENT.
 */
int uring_init(struct uring *r, uint64_t ring_addr);

/* A fresh user_data value (never 0) for a request that is waited on. */
static inline uint64_t uring_next_id(struct uring *r)
{
	uint64_t id = r->next_user_data++;

	if (id == 0)
		id = r->next_user_data++;
	return id;
}

/*
 * The next free SQE, zeroed, or NULL when the SQ is full (call uring_enter to
 * let the kernel consume). The SQE is not visible to the kernel until
 * uring_submit(). Inline: it is on every request's path.
 */
static inline struct capos_sqe *uring_get_sqe(struct uring *r)
{
	uint64_t *w;

	if (r->sq_tail - r->sq_head_seen >= r->sq_entries) {
		/* Pairs with the kernel's store-release of sq_head: slots before it are free. */
		r->sq_head_seen = capos_load_acquire_u32(&r->hdr->sq_head);
		if (r->sq_tail - r->sq_head_seen >= r->sq_entries)
			return NULL;
	}
	w = (uint64_t *)&r->sq[r->sq_tail++ & (r->sq_entries - 1)];
	/* Eight plain stores: cheaper than a call to memset for one SQE. */
	w[0] = 0, w[1] = 0, w[2] = 0, w[3] = 0, w[4] = 0, w[5] = 0, w[6] = 0, w[7] = 0;
	return (struct capos_sqe *)w;
}

/* Publishes every SQE obtained since the last submit (one store-release). */
static inline void uring_submit(struct uring *r)
{
	/* Pairs with the kernel's load-acquire of sq_tail: publishes the SQE contents. */
	capos_store_release_u32(&r->hdr->sq_tail, r->sq_tail);
}

/* Publishes, then cap_enter(min_complete, timeout_ns). Returns its result. */
static inline int64_t uring_enter(struct uring *r, uint32_t min_complete, uint64_t timeout_ns)
{
	uring_submit(r);
	return uring_sys_enter(min_complete, timeout_ns);
}

/* Like uring_reap, from the CQ only (leaves the stash alone). */
bool uring_reap_cq(struct uring *r, struct capos_cqe *out);

/* Frees the stash's heap array, if it has one, and empties it (tests, teardown). */
void uring_stash_free(struct uring *r);

/* Takes the oldest stashed completion (uring_reap's slow path). */
void uring_reap_stash(struct uring *r, struct capos_cqe *out);

/* Takes stashed completion i (< r->nstash) out of the stash, into *out. */
void uring_take_stashed(struct uring *r, uint32_t i, struct capos_cqe *out);

/*
 * Appends a copy of c to the stash, growing it (heap) when full. False only
 * if the heap cannot grow it: the caller must then leave c in the CQ.
 */
bool uring_stash_put(struct uring *r, const struct capos_cqe *c);

/*
 * Looks for the completion of user_data, in the stash first, then in the CQ,
 * stashing the others it passes. Returns 1 (found, in *out), 0 (not there
 * yet) or CAPOS_ERR_NO_MEMORY (the stash could not grow; the CQE that did not
 * fit is still in the CQ). Never waits.
 */
int uring_find(struct uring *r, uint64_t user_data, struct capos_cqe *out);

/* Copies the oldest unclaimed completion into *out; false if there is none. */
static inline bool uring_reap(struct uring *r, struct capos_cqe *out)
{
	uint32_t head;

	if (r->nstash) {
		uring_reap_stash(r, out);
		return true;
	}
	head = r->hdr->cq_head;		/* own index: plain read */
	/* Pairs with the kernel's store-release of cq_tail: the CQE is written. */
	if (head == capos_load_acquire_u32(&r->hdr->cq_tail))
		return false;
	*out = r->cq[head & (r->cq_entries - 1)];
	/* Pairs with the kernel's load-acquire of cq_head: the slot may be reused. */
	capos_store_release_u32(&r->hdr->cq_head, head + 1);
	return true;
}

/*
 * The oldest completion in the CQ, read in place, or NULL; uring_cqe_seen()
 * frees its slot once the caller is done with it. For a loop that owns the
 * whole ring: unlike uring_reap, it does not look at the stash.
 */
static inline const struct capos_cqe *uring_peek_cqe(struct uring *r)
{
	uint32_t head = r->hdr->cq_head;	/* own index: plain read */

	/* Pairs with the kernel's store-release of cq_tail: the CQE is written. */
	if (head == capos_load_acquire_u32(&r->hdr->cq_tail))
		return NULL;
	return &r->cq[head & (r->cq_entries - 1)];
}

static inline void uring_cqe_seen(struct uring *r)
{
	/* Pairs with the kernel's load-acquire of cq_head: the slot may be reused. */
	capos_store_release_u32(&r->hdr->cq_head, r->hdr->cq_head + 1);
}

/*
 * Waits for the completion with this user_data and copies it into *out.
 * Other completions reaped meanwhile are stashed. Returns 0, or the negative
 * cap_enter error that ended the wait, or CAPOS_ERR_NO_MEMORY if the heap
 * could not grow the stash (nothing is lost: see the file comment).
 */
int uring_wait(struct uring *r, uint64_t user_data, struct capos_cqe *out);

/*
 * Submits one SQE (copied; user_data is replaced by a fresh id) and waits for
 * its completion. Returns the CQE's result, or a cap_enter error; *out (may
 * be NULL) receives the CQE. CAPOS_ERR_CQ_FULL if no SQE was free even after
 * letting the kernel consume.
 */
int uring_run(struct uring *r, const struct capos_sqe *sqe, struct capos_cqe *out);

/*
 * Queues a copy of *sqe with a fresh user_data (into *user_data), letting
 * the kernel consume the SQ once if it is full; nothing is entered, the next
 * cap_enter sends it. Returns 0 or CAPOS_ERR_CQ_FULL. How a program keeps a
 * call in flight while it waits for others (process.h, terminal.h).
 */
int uring_queue(struct uring *r, const struct capos_sqe *sqe, uint64_t *user_data);

/*
 * CALL method `method` of cap with params[0..plen) (a framed Cap'n Proto
 * message, 8-byte aligned) and room result[0..rlen) (8-byte aligned) for the
 * answer and its transfer records; xfer[0..nxfer) are sent. Returns the CQE
 * result: bytes written, or a negative CAPOS_ERR_*.
 */
int uring_call(struct uring *r, uint32_t cap, uint16_t method, const void *params,
	       uint32_t plen, void *result, uint32_t rlen, const struct capos_xfer *xfer,
	       uint8_t nxfer, struct capos_cqe *out);

#endif
