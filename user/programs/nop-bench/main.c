// SPDX-License-Identifier: MIT
/*
 * nop-bench: the ring benchmarks of contracts.md, measured in the guest with
 * rdtsc (guest instructions under -icount shift=0):
 *   null_cap_enter    cap_enter(0, 0) with an empty SQ
 *   ring_nop_batch1   one NOP submitted and reaped per cap_enter
 *   ring_nop_batch32  32 NOPs per cap_enter, per NOP
 * Each figure is the median of BENCH_SAMPLES samples after BENCH_WARMUP
 * untimed rounds; a sample times BENCH_INNER operations so the rdtsc cost
 * is spread thin. Prints one BENCH line per figure and exits 0, or a FAIL
 * line and exits 1 if any operation failed.
 */
#include "bench.h"
#include "rt.h"

#define BENCH_WARMUP 16u
#define BENCH_SAMPLES 63u
#define BENCH_INNER 16u

static uint64_t samples[BENCH_SAMPLES];
static int bench_err;

static void bench_null(void)
{
	int64_t r = uring_sys_enter(0, 0);

	if (r < 0)
		bench_err = (int)r;
}

/* Submits n NOPs, enters once for all of them, reaps them. */
static void bench_nops(uint32_t n)
{
	struct capos_cqe c;
	uint32_t i;
	int64_t r;

	for (i = 0; i < n; i++) {
		struct capos_sqe *sqe = uring_get_sqe(&rt.ring);

		if (!sqe) {
			bench_err = CAPOS_ERR_CQ_FULL;
			return;
		}
		sqe->opcode = CAPOS_OP_NOP;
		sqe->user_data = i;
	}
	r = uring_enter(&rt.ring, n, CAPOS_TIMEOUT_INFINITE);
	if (r < 0)
		bench_err = (int)r;
	for (i = 0; i < n; i++) {
		if (!uring_reap(&rt.ring, &c) || c.result != 0)
			bench_err = CAPOS_ERR_INVALID_ARGUMENT;
	}
}

static void bench_batch1(void)
{
	bench_nops(1);
}

static void bench_batch32(void)
{
	bench_nops(32);
}

/* Median instructions per operation; ops_per_call operations per fn(). */
static uint64_t bench_run(void (*fn)(void), uint32_t ops_per_call)
{
	uint32_t i, j;
	uint64_t t0;

	for (i = 0; i < BENCH_WARMUP; i++)
		fn();
	for (i = 0; i < BENCH_SAMPLES; i++) {
		t0 = rt_rdtsc();
		for (j = 0; j < BENCH_INNER; j++)
			fn();
		samples[i] = (rt_rdtsc() - t0) / ((uint64_t)BENCH_INNER * ops_per_call);
	}
	return bench_median(samples, BENCH_SAMPLES);
}

static int bench_report(const char *name, uint64_t v)
{
	if (bench_err) {
		printf("nop-bench: FAIL %s: %s\n", name, capos_strerror(bench_err));
		return 1;
	}
	printf("BENCH %s %llu insns/op\n", name, (unsigned long long)v);
	return 0;
}

int main(void)
{
	int fails = 0;

	fails += bench_report("null_cap_enter", bench_run(bench_null, 1));
	fails += bench_report("ring_nop_batch1", bench_run(bench_batch1, 1));
	fails += bench_report("ring_nop_batch32", bench_run(bench_batch32, 32));
	return fails ? 1 : 0;
}
