// SPDX-License-Identifier: MIT
/*
 * Tests for kernel/lib/spinlock.h on the host: state transitions of a single
 * lock, and mutual exclusion under contention from real threads (a plain
 * non-atomic counter only ends exact if the lock serialises the increments).
 */
#include <pthread.h>

#include "lib/spinlock.h"
#include "test.h"

#define SPIN_THREADS 2
#define SPIN_ROUNDS 20000

static struct spinlock spin_test_lock = SPINLOCK_INIT;
static volatile unsigned long spin_counter;

TEST(spinlock_is_free_after_init_and_held_between_lock_and_unlock)
{
	struct spinlock l = SPINLOCK_INIT;

	CHECK(!spin_is_held(&l));
	spin_lock(&l);
	CHECK(spin_is_held(&l));
	spin_unlock(&l);
	CHECK(!spin_is_held(&l));
	spin_init(&l);
	CHECK(!spin_is_held(&l));
}

TEST(spinlock_trylock_fails_while_held_and_succeeds_when_free)
{
	struct spinlock l = SPINLOCK_INIT;

	CHECK(spin_trylock(&l));
	CHECK(spin_is_held(&l));
	CHECK(!spin_trylock(&l));
	spin_unlock(&l);
	CHECK(spin_trylock(&l));
	spin_unlock(&l);
	CHECK(!spin_is_held(&l));
}

TEST(spinlock_tickets_survive_counter_wraparound)
{
	struct spinlock l = { 0xfffffffeu, 0xfffffffeu };

	for (int i = 0; i < 4; i++) {
		CHECK(!spin_is_held(&l));
		spin_lock(&l);
		CHECK(spin_is_held(&l));
		spin_unlock(&l);
	}
	CHECK_EQ(l.owner, 2);
}

static void *spin_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < SPIN_ROUNDS; i++) {
		spin_lock(&spin_test_lock);
		spin_counter = spin_counter + 1;
		spin_unlock(&spin_test_lock);
	}
	return NULL;
}

TEST(spinlock_serialises_increments_from_concurrent_threads)
{
	pthread_t t[SPIN_THREADS];

	spin_counter = 0;
	for (int i = 0; i < SPIN_THREADS; i++)
		CHECK(pthread_create(&t[i], NULL, spin_worker, NULL) == 0);
	for (int i = 0; i < SPIN_THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(spin_counter, (unsigned long)SPIN_THREADS * SPIN_ROUNDS);
	CHECK(!spin_is_held(&spin_test_lock));
}

int main(void)
{
	RUN(spinlock_is_free_after_init_and_held_between_lock_and_unlock);
	RUN(spinlock_trylock_fails_while_held_and_succeeds_when_free);
	RUN(spinlock_tickets_survive_counter_wraparound);
	RUN(spinlock_serialises_increments_from_concurrent_threads);
	TEST_EXIT();
}
