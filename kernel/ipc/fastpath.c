// SPDX-License-Identifier: MIT
/*
 * The IPC fast path, after seL4's: the SQ batches of a round trip are
 * consumed here, without the general loop of ring_consume and the
 * dispatcher (and the peer they wake is claimed by ring_wake, in proc.c, to
 * run in the caller's place):
 *   the client's CALL (no capabilities, no flags) on an endpoint facet that
 *   has a receiver waiting, and
 *   the server's answer and next receive, as one RECV | REPLY or as RETURN
 *   (SKIP_SUCCESS only) followed by a RECV on the same endpoint: a plain
 *   answer without capabilities, and a receive that will have to wait.
 * The SQEs go through the same validation (sqe_check_op, the rule of
 * ring_sqe_check) and capability lookup as in the general path, and the
 * endpoint does the same work
 * (endpoint_fast_*). Any other batch, and any case these do not handle,
 * declines before anything visible changed, and the general path then
 * produces exactly the results it always does.
 */
#include <capos/errors.h>

#include "cap/table.h"
#include "ipc/endpoint.h"
#include "ipc/fastpath.h"
#include "ring/sqe_check.h"

union fast_batch {
	struct capos_sqe s[RING_FAST_MAX];
	uint64_t w[RING_FAST_MAX][CAPOS_SQE_SIZE / 8];
};

/* Word 0 of an SQE with this opcode and flags, no transfers (cap_id aside). */
#define FAST_W0(op, flags) ((uint64_t)(op) | (uint64_t)(flags) << 16)
#define FAST_W0_MASK 0xffffffffull

/* The client's batch: one CALL without capabilities or flags. */
static bool fast_call(const struct ring_caller *c, const union fast_batch *b)
{
	const struct capos_sqe *s = &b->s[0];
	struct kobj *obj;
	uint32_t rights;
	bool done = false;

	if ((b->w[0][0] & FAST_W0_MASK) != FAST_W0(CAPOS_OP_CALL, 0) ||
	    sqe_check_op(b->w[0], CAPOS_OP_CALL, 0, true) ||
	    cap_table_lookup(c->caps, s->cap_id, &obj, &rights))
		return false;
	done = (rights & CAP_RIGHT_CALL) && endpoint_is_client(obj) &&
	       endpoint_fast_call(obj, c, s) == 0;
	kobj_put(obj);
	return done;
}

/* The server's answer `ret` and next receive `rcv` (one SQE, or two) on the endpoint ret names. */
static bool fast_answer_and_receive(const struct ring_caller *c, const struct capos_sqe *ret,
				    const struct capos_sqe *rcv)
{
	struct kobj *obj;
	bool done;

	if (cap_table_lookup(c->caps, ret->cap_id, &obj, NULL))
		return false;
	done = endpoint_is_owner(obj) && endpoint_fast_reply_recv(obj, c, ret, rcv) == 0;
	kobj_put(obj);
	return done;
}

/* The server's batch as one SQE: RECV | REPLY (a plain answer, no capabilities). */
static bool fast_recv_reply(const struct ring_caller *c, const union fast_batch *b)
{
	const struct capos_sqe *s = &b->s[0];

	return (b->w[0][0] & FAST_W0_MASK) == FAST_W0(CAPOS_OP_RECV, CAPOS_SQE_F_REPLY) &&
	       sqe_check_op(b->w[0], CAPOS_OP_RECV, CAPOS_SQE_F_REPLY, true) == 0 &&
	       fast_answer_and_receive(c, s, s);
}

/* The server's batch as two SQEs: RETURN (SKIP_SUCCESS only, no capabilities), then RECV. */
static bool fast_return_recv(const struct ring_caller *c, const union fast_batch *b)
{
	const struct capos_sqe *ret = &b->s[0], *rcv = &b->s[1];

	return (b->w[0][0] & FAST_W0_MASK) ==
		       FAST_W0(CAPOS_OP_RETURN, CAPOS_SQE_F_SKIP_SUCCESS) &&
	       (b->w[1][0] & FAST_W0_MASK) == FAST_W0(CAPOS_OP_RECV, 0) &&
	       rcv->cap_id == ret->cap_id &&
	       sqe_check_op(b->w[0], CAPOS_OP_RETURN, CAPOS_SQE_F_SKIP_SUCCESS, true) == 0 &&
	       sqe_check_op(b->w[1], CAPOS_OP_RECV, 0, true) == 0 &&
	       fast_answer_and_receive(c, ret, rcv);
}

/*
 * Batches the fast path was offered and took, for the test verdict. Each
 * ring counts its own (no shared cache line on the hot path); a ring's
 * counts join these when its thread exits.
 */
static uint64_t retired_offered, retired_taken;

void ipc_fastpath_retire(const struct ring *r)
{
	__atomic_add_fetch(&retired_offered, r->fast_offered, __ATOMIC_RELAXED);
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
	bool done;

	if (!ring_fast_claim(r, n, b.w))
		return 0;
	if (n == 2)
		done = fast_return_recv(c, &b);
	else if (b.s[0].opcode == CAPOS_OP_CALL)
		done = fast_call(c, &b);
	else
		done = fast_recv_reply(c, &b);
	/*
	 * Every SQE took a credit. A delivered CALL keeps its credit until the
	 * answer's CQE, and so does a waiting RECV; a RETURN beside it posts
	 * nothing (SKIP_SUCCESS).
	 */
	ring_fast_release(r, done ? n : 0, done ? n - 1 : n);
	/* Only this thread consumes its ring (cap_enter): plain counts. */
	r->fast_offered++;
	r->fast_taken += done;
	return done ? (int)n : 0;
}
