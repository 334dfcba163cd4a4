/* SPDX-License-Identifier: MIT */
/* PARK and UNPARK (park.c); ring_park and ring_unpark are declared in ring/seam.h. */
#ifndef CAPOS_KERNEL_PROC_PARK_H
#define CAPOS_KERNEL_PROC_PARK_H

#include "sched/thread.h"

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

#endif
