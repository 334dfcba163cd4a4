/* SPDX-License-Identifier: MIT */
/*
 * The IPC fast path of cap_enter (fastpath.c, docs/ipc.md "Fast path").
 */
#ifndef CAPOS_KERNEL_IPC_FASTPATH_H
#define CAPOS_KERNEL_IPC_FASTPATH_H

#include "ring/ring.h"

/*
 * How many SQEs the fast path would take from an SQ of n SQEs whose first
 * has opcode op: 1 (a CALL, or a RECV
 * that may carry a reply), 2 (a RETURN, then presumably a RECV) or 0 (not
 * an IPC batch). A look that only
 * picks the path, inline so that other cap_enters pay just for it.
 */
static inline uint32_t ipc_fastpath_shape(uint32_t n, uint8_t op)
{
	return (n == 1 && (op == CAPOS_OP_CALL || op == CAPOS_OP_RECV)) ||
			       (n == 2 && op == CAPOS_OP_RETURN) ? n : 0;
}

/* ipc_fastpath_shape of what ring_fast_peek finds (n SQEs ready, the first's opcode). */
static inline uint32_t ipc_fastpath_candidate(struct ring *r)
{
	uint8_t op = CAPOS_OP_NOP;
	uint32_t n = ring_fast_peek(r, &op);

	return ipc_fastpath_shape(n, op);
}

/*
 * Consumes the n SQEs of `r`'s SQ if they are one of the fast path's batch
 * shapes and pass validation and lookup, running the endpoint operations
 * the dispatcher would run; returns n, or 0 (declined: nothing changed,
 * ring_consume does the work). A peer whose wait the batch satisfies is
 * woken with ring_wake, as by the general path.
 * Context: cap_enter of the ring's owner; no locks held.
 */
int ipc_fastpath(struct ring *r, const struct ring_caller *c, uint32_t n);

/*
 * IPC batches the fast path completed, and those it was offered (claimed),
 * by threads that have exited since boot: ipc_fastpath_retire() adds a
 * ring's counts as its thread exits.
 */
void ipc_fastpath_retire(const struct ring *r);
void ipc_fastpath_stats(uint64_t *taken, uint64_t *offered);

#endif
