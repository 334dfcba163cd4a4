// SPDX-License-Identifier: MIT
/*
 * Mutex and condition variable (sync.h) after Drepper's "Futexes Are
 * Tricky" (mutex #2): state 2 means someone may be parked, so an unlock
 * that finds 1 knows nobody waits and stays in user space.
 */
#include <capos/errors.h>
#include <capos/ring.h>

#include "rt.h"
#include "sync.h"

int park_word(uint32_t *word, uint32_t expected, uint64_t timeout_ns)
{
	struct thread *self = thread_self();
	struct capos_cqe cqe;

	return uring_run(self->ring, &(struct capos_sqe){
		.opcode = CAPOS_OP_PARK,
		.flags = CAPOS_SQE_F_THREAD_OWNED,
		.thread_id = self->id,
		.params_addr = (uint64_t)(uintptr_t)word,
		.params_len = expected,
		.result_addr = timeout_ns,
	}, &cqe);
}

int unpark_word(uint32_t *word, uint32_t n)
{
	struct capos_cqe cqe;

	return uring_run(thread_self()->ring, &(struct capos_sqe){
		.opcode = CAPOS_OP_UNPARK,
		.params_addr = (uint64_t)(uintptr_t)word,
		.params_len = n,
	}, &cqe);
}

static uint32_t cas(uint32_t *p, uint32_t expected, uint32_t desired)
{
	__atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_ACQUIRE,
				    __ATOMIC_RELAXED);
	return expected;	/* the value found */
}

bool mutex_trylock(struct mutex *m)
{
	return cas(&m->state, 0, 1) == 0;
}

void mutex_lock(struct mutex *m)
{
	uint32_t c = cas(&m->state, 0, 1);

	if (c == 0)
		return;	/* uncontended: no kernel */
	if (c != 2)
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		(void)park_word(&m->state, 2, 0);	/* WOULD_BLOCK: it changed meanwhile */
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	}
}

void mutex_unlock(struct mutex *m)
{
	if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2)
		(void)unpark_word(&m->state, 1);	/* someone may be parked */
}

void condvar_wait(struct condvar *cv, struct mutex *m)
{
	uint32_t seq = __atomic_load_n(&cv->seq, __ATOMIC_ACQUIRE);

	__atomic_fetch_add(&cv->waiters, 1, __ATOMIC_RELAXED);
	mutex_unlock(m);
	(void)park_word(&cv->seq, seq, 0);	/* WOULD_BLOCK: a signal came between */
	__atomic_fetch_sub(&cv->waiters, 1, __ATOMIC_RELAXED);
	mutex_lock(m);
}

void condvar_signal(struct condvar *cv)
{
	__atomic_fetch_add(&cv->seq, 1, __ATOMIC_RELEASE);
	if (__atomic_load_n(&cv->waiters, __ATOMIC_ACQUIRE))
		(void)unpark_word(&cv->seq, 1);
}

void condvar_broadcast(struct condvar *cv)
{
	__atomic_fetch_add(&cv->seq, 1, __ATOMIC_RELEASE);
	if (__atomic_load_n(&cv->waiters, __ATOMIC_ACQUIRE))
		(void)unpark_word(&cv->seq, UINT32_MAX);
}
