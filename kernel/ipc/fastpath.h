/* SPDX-License-Identifier: MIT */
/*
 * The IPC fast path of cap_enter (fastpath.c, docs/ipc.md "Fast path").
 */
#ifndef CAPOS_KERNEL_IPC_FASTPATH_H
#define CAPOS_KERNEL_IPC_FASTPATH_H

#include "ring/ring.h"

/*
 * Consumes the SQ of `r` if it holds exactly one of the two batches of an
 * IPC round trip and the fast path can complete it; returns the number of
 * SQEs consumed, or 0 (declined: nothing changed, ring_consume does the
 * work). *woken is the ring of a peer whose wait the batch satisfied and
 * which still has to be woken (or run next), or NULL.
 * Context: cap_enter of the ring's owner; no locks held.
 */
int ipc_fastpath(struct ring *r, const struct ring_caller *c, struct ring **woken);

#endif
