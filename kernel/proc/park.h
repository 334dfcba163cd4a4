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

/* The tick a PARK with this deadline wakes a cap_enter wait at (0: none). */
static inline uint64_t park_deadline(const struct thread *t)
{
	return __atomic_load_n(&t->park.queued, __ATOMIC_RELAXED) ? t->park.deadline : 0;
}

#endif
