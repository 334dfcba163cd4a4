/* SPDX-License-Identifier: MIT */
/*
 * PARK and UNPARK (park.c, park_fastpath.c); ring_park and ring_unpark are
 * declared in ring/seam.h.
 */
#ifndef CAPOS_KERNEL_PROC_PARK_H
#define CAPOS_KERNEL_PROC_PARK_H

#include "ring/ring.h"
#include "sched/thread.h"

/* Starts the park timer's kernel thread (park.c), which serves PARK timeouts. Boot. */
void park_timer_start(void);

/* Takes t's PARK, if any, off the table: t is leaving. No lock held. */
void park_cancel(struct thread *t);

/*
 * The current thread t's PARK timeout: if its deadline has passed, takes it
 * off the table and posts TIMED_OUT to t's ring; returns whether it did.
 * No lock held.
 */
bool park_expire(struct thread *t);

/*
 * The tick a cap_enter wait of t with `deadline` (0: none) wakes at: the
 * earlier of it and t's pending PARK's deadline. Out of line: only a
 * thread with a PARK pending asks.
 */
uint64_t park_wait_deadline(const struct thread *t, uint64_t deadline);

/*
 * How many SQEs the park fast path would take from an SQ of n SQEs whose
 * first has opcode op (ring_fast_peek): 1 (a PARK or an UNPARK), 2 (an
 * UNPARK, then presumably a PARK) or 0. A look that only picks the path.
 */
static inline uint32_t park_fastpath_shape(uint32_t n, uint8_t op)
{
	return (n == 1 && (op == CAPOS_OP_PARK || op == CAPOS_OP_UNPARK)) ||
			       (n == 2 && op == CAPOS_OP_UNPARK) ? n : 0;
}

/*
 * Consumes the n SQEs of r's SQ if they are one of the park fast path's
 * shapes and pass their checks (park_fastpath.c); returns n, or 0
 * (declined: nothing changed, ring_consume does the work).
 * Context: cap_enter of the ring's owner; no locks held.
 */
int park_fastpath(struct ring *r, const struct ring_caller *c, uint32_t n);

#endif
