// SPDX-License-Identifier: MIT
/*
 * threads-bench: the M8 thread figures (issue #15), in guest instructions
 * under -icount shift=0:
 *   thread_create_join  thread_create of a thread that returns at once,
 *                       then thread_join (Linux pthread: 52,093)
 *   park_wake_rtt       one round trip between two threads through
 *                       PARK/UNPARK: each side wakes the other and parks
 *                       in one cap_enter (Linux futex ping-pong: 12,508)
 * Each figure is the median of BENCH_SAMPLES samples after a warm-up.
 */
#include "bench.h"
#include "rt.h"

#define BENCH_WARMUP 8u
#define BENCH_SAMPLES 31u
#define RTT_INNER 16u

static uint64_t samples[BENCH_SAMPLES];
static int bench_err;

static int64_t nothing(void *arg)
{
	(void)arg;
	return 0;
}

static void create_join(void)
{
	struct thread *t;
	int64_t v;

	if (thread_create(&t, nothing, NULL, 0) || thread_join(t, &v))
		bench_err = 1;
}

static uint32_t turn;	/* 1: the partner's turn; 0: the main thread's */

/* UNPARK the other side and PARK until the word leaves `mine`, in one cap_enter. */
static void wake_then_park(uint32_t mine)
{
	struct uring *r = thread_self()->ring;
	struct capos_sqe *u = uring_get_sqe(r), *p = uring_get_sqe(r);
	struct capos_cqe cqe;

	if (!u || !p) {
		bench_err = 2;
		return;
	}
	*u = (struct capos_sqe){ .opcode = CAPOS_OP_UNPARK, .user_data = 1,
				 .params_addr = (uint64_t)(uintptr_t)&turn, .params_len = 1 };
	*p = (struct capos_sqe){ .opcode = CAPOS_OP_PARK, .user_data = 2,
				 .flags = CAPOS_SQE_F_THREAD_OWNED, .thread_id = thread_self()->id,
				 .params_addr = (uint64_t)(uintptr_t)&turn, .params_len = mine };
	(void)uring_enter(r, 2, CAPOS_TIMEOUT_INFINITE);
	for (int got = 0; got < 2;) {
		if (uring_reap(r, &cqe))
			got++;
		else
			(void)uring_enter(r, 1, CAPOS_TIMEOUT_INFINITE);
	}
}

static volatile uint32_t partner_stop;

static int64_t partner(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != 1)
		(void)park_word(&turn, 0, 0);
	while (!partner_stop) {
		__atomic_store_n(&turn, 0, __ATOMIC_RELEASE);
		wake_then_park(0);	/* until the main thread hands it back */
	}
	return 0;
}

static void round_trip(void)
{
	__atomic_store_n(&turn, 1, __ATOMIC_RELEASE);
	wake_then_park(1);
	while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != 0)
		(void)park_word(&turn, 1, 0);
}

static uint64_t bench_run(void (*fn)(void), uint32_t inner)
{
	for (uint32_t i = 0; i < BENCH_WARMUP; i++)
		fn();
	for (uint32_t i = 0; i < BENCH_SAMPLES; i++) {
		uint64_t t0 = rt_rdtsc();

		for (uint32_t j = 0; j < inner; j++)
			fn();
		samples[i] = (rt_rdtsc() - t0) / inner;
	}
	return bench_median(samples, BENCH_SAMPLES);
}

int main(void)
{
	struct thread *t;
	int64_t v;

	uint64_t cj = bench_run(create_join, 4);
	if (thread_create(&t, partner, NULL, 0))
		bench_err = 3;
	uint64_t rtt = bench_run(round_trip, RTT_INNER);
	partner_stop = 1;
	__atomic_store_n(&turn, 1, __ATOMIC_RELEASE);
	(void)unpark_word(&turn, 1);
	if (!bench_err && thread_join(t, &v))
		bench_err = 4;
	if (bench_err) {
		printf("threads-bench: FAIL (%d)\n", bench_err);
		return 1;
	}
	printf("BENCH thread_create_join %llu insns/op\n", (unsigned long long)cj);
	printf("BENCH park_wake_rtt %llu insns/op\n", (unsigned long long)rtt);
	return 0;
}
