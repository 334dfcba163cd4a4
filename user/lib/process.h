/* SPDX-License-Identifier: MIT */
/*
 * ProcessHandle.wait without blocking the program: a wait is a CALL that
 * the kernel keeps pending until the child exits (at once if it has), so a
 * program may have many in flight, on one child or many, and go on with
 * other work meanwhile. Each struct process_wait owns the buffers of one
 * wait. process_wait_submit() queues the CALL (the next cap_enter sends
 * it); process_wait_end() waits for that completion, other completions
 * going to the ring's stash (uring.h); a loop that reaps completions itself
 * matches them with process_wait_is() and reads them with
 * process_wait_decode(). process_wait() (client.h) is submit + end.
 *
 * A program may have at most 64 calls pending on kernel objects at once;
 * one more completes with a CapException `overloaded` (schema/capos.capnp).
 */
#ifndef CAPOS_USER_PROCESS_H
#define CAPOS_USER_PROCESS_H

#include <stdbool.h>

#include <capos/cap.h>
#include <capos/ring.h>

#include "uring.h"

#define PROCESS_WAIT_RESULT_WORDS 48	/* the answer, or a CapException with its reason */

struct process_wait {
	uint64_t user_data;		/* of the submitted CALL */
	struct capos_cqe cqe;		/* its completion, once ended */
	uint64_t params[2];		/* the (empty) params message */
	uint64_t result[PROCESS_WAIT_RESULT_WORDS];
};

/*
 * Queues ProcessHandle.wait on handle in ring r. Returns 0 or
 * CAPOS_ERR_CQ_FULL (no SQE free even after letting the kernel consume).
 */
int process_wait_submit(struct uring *r, capos_cap_t handle, struct process_wait *w);

/*
 * Waits at most timeout_ns for w's completion (CAPOS_ERR_TIMED_OUT leaves it
 * pending), then decodes it as process_wait_decode does.
 */
int process_wait_end(struct uring *r, struct process_wait *w, uint64_t timeout_ns,
		     int64_t *code);

/* True if cqe is the completion of w's CALL. */
static inline bool process_wait_is(const struct process_wait *w, const struct capos_cqe *cqe)
{
	return cqe->user_data == w->user_data && cqe->opcode == CAPOS_OP_CALL;
}

/*
 * Reads w's completion `cqe` (copied into w->cqe): 0 with *code the child's
 * exit code, the CQE's error, CAPOS_ERR_APPLICATION_EXCEPTION (then
 * client_exception() has it) or CAPOS_ERR_MALFORMED_MESSAGE.
 */
int process_wait_decode(struct process_wait *w, const struct capos_cqe *cqe, int64_t *code);

#endif
