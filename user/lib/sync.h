/* SPDX-License-Identifier: MIT */
/*
 * Mutex and condition variable for the threads of one process, on the
 * ring's PARK and UNPARK (include/capos/ring.h, docs/threads.md "Park").
 * Uncontended paths are one atomic instruction and never enter the kernel:
 * a mutex parks only when it finds the lock taken, unlock wakes only when
 * someone may be parked, a signal only when a waiter is counted.
 *
 * park_word()/unpark_word() are the raw operations, through the calling
 * thread's own ring: park_word waits until an UNPARK of word wakes it (0),
 * returns CAPOS_ERR_WOULD_BLOCK at once if *word no longer holds `expected`, or
 * CAPOS_ERR_TIMED_OUT after timeout_ns (0: no timeout); unpark_word wakes
 * at most n threads parked on word and returns how many it woke. Both may
 * return other CAPOS_ERR_* (a bad address, say).
 */
#ifndef CAPOS_USER_SYNC_H
#define CAPOS_USER_SYNC_H

#include <stdint.h>

int park_word(uint32_t *word, uint32_t expected, uint64_t timeout_ns);
int unpark_word(uint32_t *word, uint32_t n);

/* 0 unlocked, 1 locked, 2 locked with threads (maybe) parked. Zero-initialised is unlocked. */
struct mutex {
	uint32_t state;
};

void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
/* True if it took the lock (never waits). */
bool mutex_trylock(struct mutex *m);

/* A sequence the waiters park on, and how many wait. Zero-initialised is ready. */
struct condvar {
	uint32_t seq;
	uint32_t waiters;
};

/* Unlocks m, waits for a signal (or a spurious wake-up), locks m again. */
void condvar_wait(struct condvar *cv, struct mutex *m);
void condvar_signal(struct condvar *cv);
void condvar_broadcast(struct condvar *cv);

#endif
