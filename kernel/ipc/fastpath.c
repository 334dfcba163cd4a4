// SPDX-License-Identifier: MIT
/*
 * The IPC fast path, after seL4's: the short SQ batches of a round trip are
 * consumed here instead of by the general loop of ring_consume, and the
 * peer they wake is claimed by ring_wake (proc.c) to run in the caller's
 * place. It has no IPC code of its own: it takes the SQEs without the
 * consume loop (ring_fast_claim), checks them with the rule of every SQE
 * (sqe_check_op, folded for the opcode and flags it has seen), looks the
 * capability up as dispatch does, and runs the endpoint operation the
 * dispatcher would run (ops.c), whose result becomes the CQE as in
 * ring_dispatch (ring_complete). The batches it takes (the whole SQ):
 *   one CALL without flags or capabilities, on a client facet;
 *   one RECV | REPLY without capabilities, on an owner;
 *   RETURN | SKIP_SUCCESS then RECV without capabilities, on one owner.
 * Anything else, and an SQE that fails validation or lookup, declines
 * before anything changed, and ring_consume then does the work.
 */
#include <capos/errors.h>

#include "cap/table.h"
#include "ipc/endpoint_impl.h"
#include "ipc/fastpath.h"
#include "ring/dispatch.h"
#include "ring/sqe_check.h"

union fast_batch {
	struct capos_sqe s[RING_FAST_MAX];
	uint64_t w[RING_FAST_MAX][CAPOS_SQE_SIZE / 8];
};

/* Word 0 of an SQE with this opcode and flags, no transfers (cap_id aside). */
#define FAST_W0(op, flags) ((uint64_t)(op) | (uint64_t)(flags) << 16)
#define FAST_W0_MASK 0xffffffffull

/* The shape (endpoint_impl.h) that a word-0 check established: constants that fold. */
#define FAST_SHAPE(f) ((struct sqe_shape){ .flags = (f), .xfer_count = 0 })

/* The capability an SQE names, if it is an endpoint side of the wanted kind. */
static struct kobj *fast_lookup(const struct ring_caller *c, const struct capos_sqe *s,
				bool client)
{
	struct kobj *obj;
	uint32_t rights;

	if (cap_table_lookup(c->caps, s->cap_id, &obj, &rights))
		return NULL;
	if (client ? (rights & CAP_RIGHT_CALL) && endpoint_is_client(obj)
		   : endpoint_is_owner(obj))
		return obj;
	kobj_put(obj);
	return NULL;
}

/*
 * Each batch runs its operations as ring_dispatch would: the CQE fields
 * cleared, the endpoint operation, the result completed (ring_complete
 * returns the credit of a success that posts nothing). The operations are
 * called directly, not through kobj_ring_ops, so that cap_enter_ipc's
 * flattening inlines them, and with the SQE's shape as constants
 * (FAST_SHAPE), so that their branches on flags and transfers fold.
 */

/* The client's batch: one CALL without capabilities or flags. */
static int fast_call(struct ring *r, const struct ring_caller *c, const union fast_batch *b,
		     uint32_t *unused)
{
	struct kobj *obj;

	if ((b->w[0][0] & FAST_W0_MASK) != FAST_W0(CAPOS_OP_CALL, 0) ||
	    sqe_check_op(b->w[0], CAPOS_OP_CALL, 0, true) || !(obj = fast_lookup(c, &b->s[0], true)))
		return 0;
	struct capos_cqe cqe;

	ring_cqe_prepare(&cqe);
	int ret = endpoint_call_shaped(obj, c, &b->s[0], &cqe, FAST_SHAPE(0));

	*unused = ring_complete(r, &b->s[0], ret, &cqe);
	kobj_put(obj);
	return 1;
}

/* The server's batch as one SQE: RECV | REPLY (no capabilities). */
static int fast_recv_reply(struct ring *r, const struct ring_caller *c, const union fast_batch *b,
			   uint32_t *unused)
{
	struct kobj *obj;

	if ((b->w[0][0] & FAST_W0_MASK) != FAST_W0(CAPOS_OP_RECV, CAPOS_SQE_F_REPLY) ||
	    sqe_check_op(b->w[0], CAPOS_OP_RECV, CAPOS_SQE_F_REPLY, true) ||
	    !(obj = fast_lookup(c, &b->s[0], false)))
		return 0;
	struct capos_cqe cqe;

	ring_cqe_prepare(&cqe);
	int ret = endpoint_recv_shaped(obj, c, &b->s[0], &cqe, FAST_SHAPE(CAPOS_SQE_F_REPLY));

	*unused = ring_complete(r, &b->s[0], ret, &cqe);
	kobj_put(obj);
	return 1;
}

/* The server's batch as two SQEs: RETURN (SKIP_SUCCESS only, no capabilities), then RECV. */
static int fast_return_recv(struct ring *r, const struct ring_caller *c,
			    const union fast_batch *b, uint32_t *unused)
{
	const struct capos_sqe *ret = &b->s[0], *rcv = &b->s[1];
	struct kobj *obj;

	if ((b->w[0][0] & FAST_W0_MASK) != FAST_W0(CAPOS_OP_RETURN, CAPOS_SQE_F_SKIP_SUCCESS) ||
	    (b->w[1][0] & FAST_W0_MASK) != FAST_W0(CAPOS_OP_RECV, 0) || rcv->cap_id != ret->cap_id ||
	    sqe_check_op(b->w[0], CAPOS_OP_RETURN, CAPOS_SQE_F_SKIP_SUCCESS, true) ||
	    sqe_check_op(b->w[1], CAPOS_OP_RECV, 0, true) || !(obj = fast_lookup(c, ret, false)))
		return 0;
	struct capos_cqe cqe;

	ring_cqe_prepare(&cqe);
	int res = endpoint_return_shaped(obj, c, ret, &cqe, FAST_SHAPE(CAPOS_SQE_F_SKIP_SUCCESS));

	*unused = ring_complete(r, ret, res, &cqe);
	ring_cqe_prepare(&cqe);
	res = endpoint_recv_shaped(obj, c, rcv, &cqe, FAST_SHAPE(0));
	*unused += ring_complete(r, rcv, res, &cqe);
	kobj_put(obj);
	return 2;
}

/*
 * Batches the fast path was offered and took, for the test verdict. Each
 * ring counts its own (no shared cache line on the hot path); a ring's
 * counts join these when its thread exits.
 */
static uint64_t retired_offered, retired_taken;

void ipc_fastpath_retire(const struct ring *r)
{
	__atomic_add_fetch(&retired_offered, (uint64_t)r->fast_taken + r->fast_declined,
			   __ATOMIC_RELAXED);
	__atomic_add_fetch(&retired_taken, r->fast_taken, __ATOMIC_RELAXED);
}

void ipc_fastpath_stats(uint64_t *taken, uint64_t *offered)
{
	*taken = __atomic_load_n(&retired_taken, __ATOMIC_RELAXED);
	*offered = __atomic_load_n(&retired_offered, __ATOMIC_RELAXED);
}

int ipc_fastpath(struct ring *r, const struct ring_caller *c, uint32_t n)
{
	union fast_batch b;
	uint32_t unused = 0;
	int done;

	if (!ring_fast_claim(r, n, b.w))
		return 0;
	if (n == 2)
		done = fast_return_recv(r, c, &b, &unused);
	else if (b.s[0].opcode == CAPOS_OP_CALL)
		done = fast_call(r, c, &b, &unused);
	else
		done = fast_recv_reply(r, c, &b, &unused);
	/*
	 * A declined batch gives every credit back and leaves the SQ as it was.
	 * Only this thread consumes its ring (cap_enter): plain counts, one
	 * per batch (offered = taken + declined).
	 */
	if (done) {
		ring_fast_release(r, (uint32_t)done, unused);
		r->fast_taken++;
	} else {
		ring_fast_release(r, 0, n);
		r->fast_declined++;
	}
	return done;
}
