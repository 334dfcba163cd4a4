// SPDX-License-Identifier: MIT
/*
 * park-check (QEMU scenario park): PARK and UNPARK (include/capos/ring.h)
 * and the runtime's mutex and condition variable on them (sync.h).
 * Hostile SQEs: a PARK for another thread id, a misaligned, unmapped or
 * kernel word, a second PARK while one is pending, UNPARK of nothing or of
 * an unmapped word. The contract: a PARK whose word no longer holds the
 * value returns at once, a timeout ends a PARK, an UNPARK wakes at most the
 * count asked. Then 10^5 park/wake pairs through a condition variable with
 * no lost wake-up (two threads hand a counter back and forth), and threads
 * counting under a contended mutex. The leak check at init's exit ends it.
 */
#include "check.h"
#include "rt.h"

#define PAIRS 100000u
#define COUNTERS 4
#define COUNT_EACH 5000u

static uint32_t word;

/* One SQE through the first thread's ring; returns its CQE result. */
static int run_sqe(struct capos_sqe s)
{
	struct capos_cqe cqe;

	return uring_run(&rt.ring, &s, &cqe);
}

static struct capos_sqe park_sqe(uint64_t addr, uint32_t expected, uint32_t tid, uint64_t timeout)
{
	return (struct capos_sqe){ .opcode = CAPOS_OP_PARK, .flags = CAPOS_SQE_F_THREAD_OWNED,
				   .thread_id = tid, .params_addr = addr, .params_len = expected,
				   .result_addr = timeout };
}

static void test_hostile(void)
{
	uint64_t w = (uint64_t)(uintptr_t)&word;

	word = 7;
	check_err(run_sqe(park_sqe(w, 7, 3, 0)), CAPOS_ERR_INVALID_ARGUMENT, "park_for_another_thread");
	check_err(run_sqe(park_sqe(w + 2, 7, 0, 0)), CAPOS_ERR_MISALIGNED, "park_misaligned_word");
	check_err(run_sqe(park_sqe(0x10000, 7, 0, 0)), CAPOS_ERR_BAD_ADDRESS, "park_unmapped_word");
	check_err(run_sqe(park_sqe(0xffff800000001000ull, 7, 0, 0)), CAPOS_ERR_BAD_ADDRESS,
		  "park_kernel_word");
	struct capos_sqe no_owner = park_sqe(w, 7, 0, 0);
	no_owner.flags = 0;
	check_err(run_sqe(no_owner), CAPOS_ERR_INVALID_FLAGS, "park_without_thread_owned");
	check_err(run_sqe(park_sqe(w, 8, 0, 0)), CAPOS_ERR_WOULD_BLOCK,
		  "park_on_a_changed_value_returns_at_once");
	check_err(run_sqe(park_sqe(w, 7, 0, 20000000ull)), CAPOS_ERR_TIMED_OUT, "park_times_out");
	check_err(unpark_word(&word, 5), 0, "unpark_of_nothing_wakes_none");
	check_err(run_sqe((struct capos_sqe){ .opcode = CAPOS_OP_UNPARK, .params_addr = 0x10000,
					      .params_len = 1 }),
		  CAPOS_ERR_BAD_ADDRESS, "unpark_unmapped_word");
}

/*
 * A PARK with a 20 ms timeout, then no system call at all: its TIMED_OUT
 * still arrives (the kernel's park timer posts it), seen by spinning on the
 * CQ for up to PARK_SPIN_TSC cycles (seconds, far beyond the timeout).
 */
#define PARK_SPIN_TSC 5000000000ull

static void test_timeout_in_user_space(void)
{
	struct capos_sqe *s = uring_get_sqe(&rt.ring);
	struct capos_cqe cqe = { .result = 1 };
	int found = 0;

	word = 7;
	*s = park_sqe((uint64_t)(uintptr_t)&word, 7, 0, 20000000ull);
	s->user_data = 0x7e0;
	(void)uring_enter(&rt.ring, 0, 0);	/* submitted: parked, and back at once */
	for (uint64_t t0 = rt_rdtsc(); !found && rt_rdtsc() - t0 < PARK_SPIN_TSC;)
		found = uring_find(&rt.ring, 0x7e0, &cqe);	/* reads the CQ: no system call */
	check(found == 1 && cqe.result == CAPOS_ERR_TIMED_OUT, "park_times_out_without_cap_enter",
	      found ? cqe.result : -1000);
	if (!found)	/* let a cap_enter serve it, so the next tests start clean */
		(void)uring_wait(&rt.ring, 0x7e0, &cqe);
}

/* [PARK word, PARK word (BUSY), UNPARK word] in one batch: the first parks and is woken. */
static void test_busy_batch(void)
{
	uint64_t w = (uint64_t)(uintptr_t)&word;
	struct capos_sqe b[3] = { park_sqe(w, 7, 0, 0), park_sqe(w, 7, 0, 0),
				  { .opcode = CAPOS_OP_UNPARK, .params_addr = w, .params_len = 9 } };
	int32_t res[3] = { 99, 99, 99 };
	struct capos_cqe cqe;

	for (int i = 0; i < 3; i++) {
		struct capos_sqe *s = uring_get_sqe(&rt.ring);

		*s = b[i];
		s->user_data = 0xb00 + (uint64_t)i;
	}
	(void)uring_enter(&rt.ring, 3, 1000000000ull);
	for (int i = 0; i < 3 && uring_reap(&rt.ring, &cqe); i++)
		if (cqe.user_data >= 0xb00 && cqe.user_data < 0xb03)
			res[cqe.user_data - 0xb00] = cqe.result;
	check(res[0] == 0 && res[1] == CAPOS_ERR_BUSY && res[2] == 1,
	      "second_park_is_busy_and_unpark_wakes_the_first", res[1]);
}

static uint32_t gate;

static int64_t parker(void *arg)
{
	(void)arg;
	return park_word(&gate, 0, 0);
}

/* Three parked threads, UNPARK of two wakes exactly two, then the third. */
static void test_wake_count(void)
{
	struct thread *t[3];
	int64_t v, sum = 0;
	int woke = 0;

	for (int i = 0; i < 3; i++)
		(void)thread_create(&t[i], parker, NULL, 0);
	(void)uring_enter(&rt.ring, 1, 30000000ull);	/* they park */
	woke = unpark_word(&gate, 2);
	(void)uring_enter(&rt.ring, 1, 10000000ull);
	int third = unpark_word(&gate, 2);
	for (int i = 0; i < 3; i++)
		sum += thread_join(t[i], &v) == 0 ? v : 100;
	check(woke == 2 && third == 1 && sum == 0, "unpark_wakes_at_most_the_count", woke * 10 + third);
}

static struct mutex m;
static struct condvar cv;
static uint32_t counter;

/* Hands the counter back and forth: this thread moves it on when it has parity `arg`. */
static int64_t pingpong(void *arg)
{
	uint32_t parity = (uint32_t)(uintptr_t)arg;

	mutex_lock(&m);
	while (counter < PAIRS) {
		if (counter % 2 == parity) {
			counter++;
			condvar_signal(&cv);
		} else {
			condvar_wait(&cv, &m);
		}
	}
	condvar_broadcast(&cv);
	mutex_unlock(&m);
	return 0;
}

static void test_pingpong(void)
{
	struct thread *a, *b;
	int64_t va = 1, vb = 1;

	counter = 0;
	bool ok = thread_create(&a, pingpong, (void *)0, 0) == 0 &&
		  thread_create(&b, pingpong, (void *)1, 0) == 0;
	ok = ok && thread_join(a, &va) == 0 && thread_join(b, &vb) == 0;
	check(ok && counter == PAIRS && va == 0 && vb == 0, "condvar_100000_pairs_no_lost_wakeup",
	      counter);
}

static uint32_t shared_count;

static int64_t counting(void *arg)
{
	(void)arg;
	for (uint32_t i = 0; i < COUNT_EACH; i++) {
		mutex_lock(&m);
		uint32_t c = shared_count;
		if (i % 500 == 0)	/* hold it across a sleep: the others park on it */
			(void)uring_enter(thread_self()->ring, 1, 1000000ull);
		shared_count = c + 1;
		mutex_unlock(&m);
	}
	return 0;
}

static void test_mutex(void)
{
	struct thread *t[COUNTERS];
	int64_t v;
	int made = 0;

	for (int i = 0; i < COUNTERS; i++)
		made += thread_create(&t[i], counting, NULL, 0) == 0;
	for (int i = 0; i < made; i++)
		(void)thread_join(t[i], &v);
	check(made == COUNTERS && shared_count == COUNTERS * COUNT_EACH && m.state == 0,
	      "contended_mutex_counts_exactly", shared_count);
}

int main(void)
{
	check_init("park");
	test_hostile();
	test_timeout_in_user_space();
	test_busy_batch();
	test_wake_count();
	test_pingpong();
	test_mutex();
	return check_done();
}
