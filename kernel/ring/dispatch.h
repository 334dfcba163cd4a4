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

#endif
