/* SPDX-License-Identifier: MIT */
/*
 * Timer client (schema/capos.capnp: Timer; docs/timer.md). timer_now()
 * reads the monotonic clock; timer_sleep() waits ns nanoseconds.
 * A sleep does not block the thread in the kernel: it is a CALL that
 * completes when the time has passed. timer_sleep_start() submits one and
 * has the kernel take it at once (so the deadline runs from now) without
 * waiting (timer_sleep_submit() only queues it, for a batch taken by one
 * cap_enter); timer_sleep_wait() waits for it later, or the caller reaps its
 * completion (user_data) itself. Each started sleep owns its buffers, in
 * struct timer_sleep_req, which must stay in place until it completes.
 * Calls go through client_ring (client.h). Each returns 0 or a negative
 * CAPOS_ERR_*; CAPOS_ERR_APPLICATION_EXCEPTION means the Timer raised
 * (overloaded: TIMER_SLEEPS_MAX calls already pending on kernel objects).
 */
#ifndef CAPOS_USER_TIMER_H
#define CAPOS_USER_TIMER_H

#include <stdint.h>

#include <capos/cap.h>
#include <capos/ring.h>

#define TIMER_SLEEPS_MAX 64	/* calls pending on kernel objects, sleeps among them (schema) */
#define TIMER_RESULT_WORDS 40	/* the empty answer, or any CapException (296 bytes) */

struct timer_sleep_req {
	uint64_t user_data;			/* of its CALL, set by timer_sleep_start */
	struct capos_cqe cqe;			/* its completion, after timer_sleep_wait */
	uint16_t exc_type;			/* capos_CapException_Type_* when it raised */
	uint64_t params[4];			/* the framed params (one u64) */
	uint64_t result[TIMER_RESULT_WORDS];	/* where the kernel answers */
};

/* Timer.now: nanoseconds since the kernel started. */
int timer_now(capos_cap_t timer, uint64_t *ns);

/* Timer.sleep, waited for: returns once ns nanoseconds have passed. */
int timer_sleep(capos_cap_t timer, uint64_t ns);

/*
 * Queues Timer.sleep(ns) in the SQ (published, not yet entered: the next
 * cap_enter takes it, with every other SQE queued, and the sleep runs from
 * then). Returns 0 or an error with nothing queued (CAPOS_ERR_CQ_FULL: no
 * SQE free).
 */
int timer_sleep_submit(capos_cap_t timer, uint64_t ns, struct timer_sleep_req *req);

/*
 * timer_sleep_submit, then enters the kernel without waiting, so the
 * kernel takes it now (unless the CQ has no room for more work in flight:
 * then it takes it at the next cap_enter that has, and the sleep runs from
 * there). Returns 0 (its completion will carry req->user_data),
 * CAPOS_ERR_CQ_FULL with nothing submitted (no SQE free), or the error of
 * cap_enter (the SQE is then submitted, and the next enter takes it). A
 * failure the kernel finds (overloaded, a bad buffer) comes as the
 * completion.
 */
int timer_sleep_start(capos_cap_t timer, uint64_t ns, struct timer_sleep_req *req);

/*
 * Waits (at most timeout_ns) for a started sleep. Returns 0 when it
 * completed, CAPOS_ERR_TIMED_OUT (still pending), or the error it completed
 * with (CAPOS_ERR_APPLICATION_EXCEPTION: req->exc_type says which).
 */
int timer_sleep_wait(struct timer_sleep_req *req, uint64_t timeout_ns);

/*
 * The outcome of a sleep's CQE, however it was reaped (for callers that
 * reap completions themselves): 0 or its error, as timer_sleep_wait.
 */
int timer_sleep_result(struct timer_sleep_req *req, const struct capos_cqe *cqe);

#endif
