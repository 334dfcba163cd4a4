// SPDX-License-Identifier: MIT
/*
 * Ring client: the submit and reap loops of docs/ring.md plus completion
 * matching. The SQ slot is sq_tail & (sq_entries - 1) (no indirection array);
 * r->sq_tail runs ahead of the shared sq_tail by the SQEs prepared but not yet
 * published. Each shared-index access names its partner in the kernel.
 */
#include <capos/errors.h>

#include "heap.h"
#include "uring.h"
#include "ustring.h"

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
	r->stash_cap = URING_STASH_INLINE;
	r->stash = r->stash_inline;
	r->next_user_data = 1;
	return 0;
}

bool uring_reap_cq(struct uring *r, struct capos_cqe *out)
{
	const struct capos_cqe *c = uring_peek_cqe(r);

	if (!c)
		return false;
	*out = *c;
	uring_cqe_seen(r);
	return true;
}

bool uring_stash_put(struct uring *r, const struct capos_cqe *c)
{
	if (r->nstash == r->stash_cap) {
		bool inline_full = r->stash == r->stash_inline;
		uint32_t cap = inline_full ? URING_STASH_INIT : r->stash_cap * 2;
		struct capos_cqe *grown;

		if (cap < r->stash_cap)	/* 2^32 stashed CQEs: cannot happen, but never wrap */
			return false;
		grown = realloc(inline_full ? NULL : r->stash, (size_t)cap * sizeof(*grown));
		if (!grown)
			return false;
		if (inline_full)
			memcpy(grown, r->stash_inline, sizeof(r->stash_inline));
		r->stash = grown;
		r->stash_cap = cap;
	}
	r->stash[r->nstash++] = *c;
	return true;
}

void uring_stash_free(struct uring *r)
{
	if (r->stash != r->stash_inline)
		free(r->stash);
	r->stash = r->stash_inline;
	r->stash_cap = URING_STASH_INLINE;
	r->nstash = 0;
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

void uring_take_stashed(struct uring *r, uint32_t i, struct capos_cqe *out)
{
	uring_unstash(r, i, out);
}

int uring_find(struct uring *r, uint64_t user_data, struct capos_cqe *out)
{
	const struct capos_cqe *c;

	for (uint32_t i = 0; i < r->nstash; i++) {
		if (r->stash[i].user_data == user_data) {
			uring_unstash(r, i, out);
			return 1;
		}
	}
	/* Each CQE is copied out before its slot goes back to the kernel. */
	while ((c = uring_peek_cqe(r)) != NULL) {
		if (c->user_data == user_data) {
			*out = *c;
			uring_cqe_seen(r);
			return 1;
		}
		if (!uring_stash_put(r, c))
			return CAPOS_ERR_NO_MEMORY;
		uring_cqe_seen(r);
	}
	return 0;
}

int uring_wait(struct uring *r, uint64_t user_data, struct capos_cqe *out)
{
	int64_t ret;
	int found;

	while ((found = uring_find(r, user_data, out)) == 0) {
		ret = uring_enter(r, 1, CAPOS_TIMEOUT_INFINITE);
		if (ret < 0)
			return (int)ret;
	}
	return found < 0 ? found : 0;
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

int uring_queue(struct uring *r, const struct capos_sqe *sqe, uint64_t *user_data)
{
	struct capos_sqe *slot = uring_get_sqe(r);

	if (!slot && uring_enter(r, 0, 0) >= 0)
		slot = uring_get_sqe(r);
	if (!slot)
		return CAPOS_ERR_CQ_FULL;
	*user_data = uring_next_id(r);
	*slot = *sqe;
	slot->user_data = *user_data;
	return 0;
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
