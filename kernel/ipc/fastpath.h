/* SPDX-License-Identifier: MIT */
/*
 * The IPC fast path of cap_enter (fastpath.c, docs/ipc.md "Fast path").
 */
#ifndef CAPOS_KERNEL_IPC_FASTPATH_H
#define CAPOS_KERNEL_IPC_FASTPATH_H

#include "ring/ring.h"

int ipc_fastpath_run(struct ring *r, const struct ring_caller *c, uint32_t n,
		     struct ring **woken);

/*
 * Consumes the SQ of `r` if it holds exactly one of the two batches of an
 * IPC round trip and the fast path can complete it; returns the number of
 * SQEs consumed, or 0 (declined: nothing changed, ring_consume does the
 * work). *woken is the ring of a peer whose wait the batch satisfied and
 * which still has to be woken (or run next), or NULL. The look at the SQ
 * that picks the path is inline, so other cap_enters pay only for it.
 * Context: cap_enter of the ring's owner; no locks held.
 */
static inline int ipc_fastpath(struct ring *r, const struct ring_caller *c, struct ring **woken)
{
	uint8_t op = CAPOS_OP_NOP;
	uint32_t n = ring_fast_peek(r, &op);

	*woken = NULL;
	if ((n == 1 && op == CAPOS_OP_CALL) || (n == 2 && op == CAPOS_OP_RETURN))
		return ipc_fastpath_run(r, c, n, woken);
	return 0;
}

#endif
