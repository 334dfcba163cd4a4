// SPDX-License-Identifier: MIT
/*
 * Ring client: the submit and reap loops of docs/ring.md plus completion
 * matching. The SQ slot is sq_tail & (sq_entries - 1) (no indirection array);
 * r->sq_tail runs ahead of the shared sq_tail by the SQEs prepared but not yet
 * published. Each shared-index access names its partner in the kernel.
 */
#include <capos/errors.h>

#include "uring.h"

int uring_init(struct uring *r, uint64_t ring_addr)
{
	struct capos_ring_header *h = (struct capos_ring_header *)(uintptr_t)ring_addr;

	if (!h || h->magic != CAPOS_RING_MAGIC || h->version != CAPOS_RING_VERSION)
		return CAPOS_ERR_INVALID_ARGUMENT;
	if (h->sq_entries == 0 || (h->sq_entries & (h->sq_entries - 1)) ||
	    h->cq_entries == 0 || (h->cq_entries & (h->cq_entries - 1)) ||
	    h->sq_mask != h->sq_entries - 1 || h->cq_mask != h->cq_entries - 1)
		return CAPOS_ERR_INVALID_ARGUMENT;
	if (h->size < CAPOS_RING_SIZE || h->sq_offset < sizeof(*h) || h->cq_offset < sizeof(*h) ||
	    (uint64_t)h->sq_offset + (uint64_t)h->sq_entries * CAPOS_SQE_SIZE > h->size ||
	    (uint64_t)h->cq_offset + (uint64_t)h->cq_entries * CAPOS_CQE_SIZE > h->size)
		return CAPOS_ERR_INVALID_ARGUMENT;
	r->hdr = h;
	r->sq = (struct capos_sqe *)((uint8_t *)h + h->sq_offset);
	r->cq = (struct capos_cqe *)((uint8_t *)h + h->cq_offset);
	r->sq_entries = h->sq_entries;
	r->cq_entries = h->cq_entries;
	r->sq_tail = h->sq_tail;	/* own index: plain read */
	r->sq_head_seen = capos_load_acquire_u32(&h->sq_head);
	r->nstash = 0;
	r->next_user_data = 1;
	return 0;
}

/* Copies the oldest CQE of the shared CQ into *out without consuming it. */
static bool uring_peek_cq(struct uring *r, struct capos_cqe *out)
{
	uint32_t head = r->hdr->cq_head;	/* own index: plain read */

	/* Pairs with the kernel's store-release of cq_tail: the CQE is written. */
	if (head == capos_load_acquire_u32(&r->hdr->cq_tail))
		return false;
	*out = r->cq[head & (r->cq_entries - 1)];
	return true;
}

/* Consumes the CQE uring_peek_cq returned. */
static void uring_pop_cq(struct uring *r)
{
	/* Pairs with the kernel's load-acquire of cq_head: the slot may be reused. */
	capos_store_release_u32(&r->hdr->cq_head, r->hdr->cq_head + 1);
}

bool uring_reap_cq(struct uring *r, struct capos_cqe *out)
{
	if (!uring_peek_cq(r, out))
		return false;
	uring_pop_cq(r);
	return true;
}

static void uring_unstash(struct uring *r, uint32_t i, struct capos_cqe *out)
{
	*out = r->stash[i];
	for (; i + 1 < r->nstash; i++)
		r->stash[i] = r->stash[i + 1];
	r->nstash--;
}

void uring_reap_stash(struct uring *r, struct capos_cqe *out)
{
	uring_unstash(r, 0, out);
}

/*
 * Reaps until user_data is found (0) or the CQ is empty (1). Another CQE is
 * consumed only if the stash has room for it, else CAPOS_ERR_NO_MEMORY and
 * it stays in the CQ.
 */
static int uring_scan(struct uring *r, uint64_t user_data, struct capos_cqe *out)
{
	struct capos_cqe c;

	while (uring_peek_cq(r, &c)) {
		if (c.user_data == user_data) {
			uring_pop_cq(r);
			*out = c;
			return 0;
		}
		if (r->nstash == URING_STASH_MAX)
			return CAPOS_ERR_NO_MEMORY;
		uring_pop_cq(r);
		r->stash[r->nstash++] = c;
	}
	return 1;
}

int uring_wait(struct uring *r, uint64_t user_data, struct capos_cqe *out)
{
	int64_t ret;
	int found;
	uint32_t i;

	for (i = 0; i < r->nstash; i++) {
		if (r->stash[i].user_data == user_data) {
			uring_unstash(r, i, out);
			return 0;
		}
	}
	for (;;) {
		found = uring_scan(r, user_data, out);
		if (found <= 0)
			return found;
		ret = uring_enter(r, 1, CAPOS_TIMEOUT_INFINITE);
		if (ret < 0)
			return (int)ret;
	}
}

int uring_run(struct uring *r, const struct capos_sqe *sqe, struct capos_cqe *out)
{
	struct capos_sqe *slot = uring_get_sqe(r);
	struct capos_cqe c;
	int64_t ret;
	int err;

	if (!slot) {
		ret = uring_enter(r, 0, 0);
		if (ret < 0)
			return (int)ret;
		slot = uring_get_sqe(r);
		if (!slot)
			return CAPOS_ERR_CQ_FULL;
	}
	*slot = *sqe;
	slot->user_data = uring_next_id(r);
	err = uring_wait(r, slot->user_data, &c);
	if (err)
		return err;
	if (out)
		*out = c;
	return c.result;
}

int uring_call(struct uring *r, uint32_t cap, uint16_t method, const void *params,
	       uint32_t plen, void *result, uint32_t rlen, const struct capos_xfer *xfer,
	       uint8_t nxfer, struct capos_cqe *out)
{
	struct capos_sqe sqe = {
		.opcode = CAPOS_OP_CALL,
		.xfer_count = nxfer,
		.cap_id = cap,
		.params_addr = (uint64_t)(uintptr_t)params,
		.result_addr = (uint64_t)(uintptr_t)result,
		.xfer_addr = nxfer ? (uint64_t)(uintptr_t)xfer : 0,
		.params_len = plen,
		.result_len = rlen,
		.method_id = method,
	};

	return uring_run(r, &sqe, out);
}
