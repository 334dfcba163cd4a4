/* SPDX-License-Identifier: MIT */
/*
 * Per-SQE work of cap_enter, used by ring_consume (ring.c): validation of the
 * kernel's copy of an SQE (docs/ring.md, "SQE validation") and the opcode
 * handlers. Separate from ring.c so the pure checks can be unit-tested and
 * fuzzed alone.
 */
#ifndef CAPOS_KERNEL_RING_DISPATCH_H
#define CAPOS_KERNEL_RING_DISPATCH_H

#include <capos/ring.h>

#include "ring/ring.h"

/*
 * Checks of docs/ring.md steps 1-5 that need neither the capability table
 * nor user memory: opcode, flags, reserved fields, lengths, alignment and
 * address ranges. Returns 0 or the CAPOS_ERR_* of the first failing step.
 */
int ring_sqe_check(const struct capos_sqe *sqe);

/*
 * Validates and performs one SQE (already copied into kernel memory) for
 * `caller`, and posts its CQE with ring_post(); the SQE holds one CQ credit
 * of r. Returns true if it succeeded with CAPOS_SQE_F_SKIP_SUCCESS: no CQE,
 * and the caller must give the credit back. Context: as ring_consume.
 */
bool ring_dispatch(struct ring *r, const struct ring_caller *caller, const struct capos_sqe *sqe);

/*
 * The steps of ring_dispatch that the IPC fast path (ipc/fastpath.c) takes
 * too, so an SQE it runs ends exactly as here:
 *   ring_invoke() runs a validated SQE (CALL, RECV, RETURN) on the object
 *     its capability names (one reference held by the caller, `rights` from
 *     the lookup): the object's kobj_ring_ops, or for CALL on a kernel
 *     object its call handler; returns as those do;
 *   ring_cqe_prepare() clears the CQE fields an operation may set;
 *   ring_complete() turns the result into the CQE and posts it, or keeps
 *     the credit for a pending operation; returns the credits to give back
 *     (1 for a success with CAPOS_SQE_F_SKIP_SUCCESS, else 0).
 */
struct kobj;
int ring_invoke(struct kobj *obj, uint32_t rights, const struct ring_caller *c,
		const struct capos_sqe *s, struct capos_cqe *cqe);
void ring_cqe_prepare(struct capos_cqe *cqe);
uint32_t ring_complete(struct ring *r, const struct capos_sqe *sqe, int ret, struct capos_cqe *cqe);

#endif
