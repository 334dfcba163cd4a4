// SPDX-License-Identifier: MIT
/*
 * The park fast path of cap_enter (park.h): a short SQ of PARK and UNPARK
 * (one PARK; one UNPARK; an UNPARK then a PARK, a ping-pong's turn or a
 * hand-over) is taken without the general consume loop, as the IPC fast
 * path takes its batches (ipc/fastpath.c): ring_fast_claim copies the SQEs
 * and takes their CQ credits, each SQE is checked by the rule of every SQE
 * (sqe_check_park, what ring_sqe_check runs for these opcodes) before
 * either runs, and runs through the ring_unpark/ring_park the dispatcher
 * calls, whose result becomes the CQE as in ring_dispatch (ring_complete).
 * Any other batch, and one with an SQE that fails its check, declines with
 * nothing changed; ring_consume then does the work and posts the error.
 */
#include "proc/park.h"
#include "ring/dispatch.h"
#include "ring/seam.h"
#include "ring/sqe_check.h"

union park_batch {
	struct capos_sqe s[RING_FAST_MAX];
	uint64_t w[RING_FAST_MAX][CAPOS_SQE_SIZE / 8];
};

/* The batch is one of the shapes, and every SQE passes its check. */
static bool park_batch_ok(const union park_batch *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint8_t op = b->s[i].opcode;
		/* The last SQE may be either; the first of two is the UNPARK. */
		bool shape = op == CAPOS_OP_UNPARK || (op == CAPOS_OP_PARK && i + 1 == n);

		if (!shape || sqe_check_park(b->w[i], op, b->s[i].flags))
			return false;
	}
	return true;
}

int park_fastpath(struct ring *r, const struct ring_caller *c, uint32_t n)
{
	union park_batch b;
	uint32_t unused = 0;

	if (!ring_fast_claim(r, n, b.w))
		return 0;
	if (!park_batch_ok(&b, n)) {
		ring_fast_release(r, 0, n);	/* every credit back, the SQ as it was */
		return 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct capos_sqe *s = &b.s[i];
		struct capos_cqe cqe;

		ring_cqe_prepare(&cqe);
		int ret = s->opcode == CAPOS_OP_PARK ? ring_park(c, s) : ring_unpark(c, s);

		unused += ring_complete(r, s, ret, &cqe);
	}
	ring_fast_release(r, n, unused);
	return (int)n;
}
