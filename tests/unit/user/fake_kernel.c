// SPDX-License-Identifier: MIT
/*
 * The simulated kernel (fake_kernel.h). One enter: load sq_tail once; if it
 * is more than sq_entries past our head, report RING_CORRUPT; consume each
 * SQE into a local copy while a CQ credit is free, answering NOPs with 0 and
 * CALLs through fk.call, flags the opcode does not accept with INVALID_FLAGS,
 * and RETURNs and RECVs with 0 (there is no endpoint: every answer works and
 * every receive completes at once), except a RECV | REPLY whose answer
 * fk.reply_result fails: that result with CAPOS_CQE_F_REPLY_FAILED, as the
 * kernel completes a reply that fails, having received nothing;
 * post (now, or at the next enter with fk.defer, in reverse with fk.reverse),
 * except a success with CAPOS_SQE_F_SKIP_SUCCESS, whose credit goes back
 * unposted as in the kernel; then return the number of CQEs available, or
 * TIMED_OUT if that is below min_complete (a real kernel would block; with
 * fk.defer it returns the count, like a waiter woken early).
 */
#include <stdbool.h>
#include <string.h>

#include <capos/errors.h>

#include "fake_kernel.h"
#include "uring.h"

struct fk fk;

static struct capos_ring_header *fk_hdr(void)
{
	return (struct capos_ring_header *)fk.mem;
}

void fk_reset(uint32_t start)
{
	struct capos_ring_header *h = fk_hdr();

	memset(&fk, 0, sizeof(fk));
	h->magic = CAPOS_RING_MAGIC;
	h->version = CAPOS_RING_VERSION;
	h->size = CAPOS_RING_SIZE;
	h->sq_entries = CAPOS_RING_SQ_ENTRIES;
	h->cq_entries = CAPOS_RING_CQ_ENTRIES;
	h->sq_mask = CAPOS_RING_SQ_ENTRIES - 1;
	h->cq_mask = CAPOS_RING_CQ_ENTRIES - 1;
	h->sq_offset = CAPOS_RING_SQ_OFFSET;
	h->cq_offset = CAPOS_RING_CQ_OFFSET;
	h->sq_tail = h->sq_head = h->cq_head = h->cq_tail = start;
	fk.sq_head = fk.cq_tail = start;
}

static void fk_post(const struct capos_cqe *c)
{
	struct capos_ring_header *h = fk_hdr();
	struct capos_cqe *cq = (struct capos_cqe *)(fk.mem + CAPOS_RING_CQ_OFFSET);

	cq[fk.cq_tail & (CAPOS_RING_CQ_ENTRIES - 1)] = *c;
	fk.cq_tail++;
	capos_store_release_u32(&h->cq_tail, fk.cq_tail);
}

/* Completes s into *c; false if it succeeded with SKIP_SUCCESS (nothing to post). */
static bool fk_complete(const struct capos_sqe *s, struct capos_cqe *c)
{
	memset(c, 0, sizeof(*c));
	c->user_data = s->user_data;
	c->opcode = s->opcode;
	if (s->opcode > CAPOS_OP_RELEASE)
		c->result = CAPOS_ERR_INVALID_OPCODE;
	else if (!capos_sqe_flags_ok(s->opcode, s->flags))
		c->result = CAPOS_ERR_INVALID_FLAGS;
	else if (s->opcode == CAPOS_OP_CALL && fk.call)
		fk.call(s, c);
	else if (s->opcode == CAPOS_OP_RECV && (s->flags & CAPOS_SQE_F_REPLY) && fk.reply_result) {
		c->result = fk.reply_result;
		c->flags = CAPOS_CQE_F_REPLY_FAILED;
	}
	return c->result < 0 || !(s->flags & CAPOS_SQE_F_SKIP_SUCCESS);
}

static void fk_flush(void)
{
	uint32_t i;

	for (i = 0; i < fk.npending; i++)
		fk_post(&fk.pending[fk.reverse ? fk.npending - 1 - i : i]);
	fk.npending = 0;
}

int64_t uring_sys_enter(uint32_t min_complete, uint64_t timeout_ns)
{
	struct capos_ring_header *h = fk_hdr();
	struct capos_sqe *sq = (struct capos_sqe *)(fk.mem + CAPOS_RING_SQ_OFFSET);
	uint32_t tail = capos_load_acquire_u32(&h->sq_tail);
	uint32_t avail;
	struct capos_sqe s;

	(void)timeout_ns;
	fk.enters++;
	if (fk.fail)
		return fk.fail;
	if (tail - fk.sq_head > CAPOS_RING_SQ_ENTRIES)
		return CAPOS_ERR_RING_CORRUPT;
	if (fk.defer)
		fk_flush();
	while (fk.sq_head != tail && fk.npending < FK_PENDING_MAX &&
	       (fk.cq_tail - capos_load_acquire_u32(&h->cq_head)) + fk.npending <
		       CAPOS_RING_CQ_ENTRIES) {
		s = sq[fk.sq_head & (CAPOS_RING_SQ_ENTRIES - 1)];
		fk.sq_head++;
		fk.consumed++;
		fk.last = s;
		if (fk_complete(&s, &fk.pending[fk.npending]))
			fk.npending++;
	}
	capos_store_release_u32(&h->sq_head, fk.sq_head);
	if (!fk.defer)
		fk_flush();
	avail = fk.cq_tail - capos_load_acquire_u32(&h->cq_head);
	/* A deferred completion is "still in flight": return as a woken waiter would. */
	return avail < min_complete && !fk.defer ? CAPOS_ERR_TIMED_OUT : (int64_t)avail;
}
