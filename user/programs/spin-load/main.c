// SPDX-License-Identifier: MIT
/*
 * spin-load N,ITERS (smp_scale_2: tests/bench/smp-scale/bench.sh; scenario
 * spin-load-smp2): a CPU-bound multi-process load. It spawns N copies of
 * itself ("child K ITERS"), each doing ITERS xorshift64 steps from its own
 * seed (the same work as ../shared/peer/linuxnetbench.c `spin`), waits for
 * them all, and prints
 *   spin-load: N x ITERS steps in NS ns (first done at NS1 ns), checksum C
 * timed with the Timer (the monotonic clock: without -icount it follows the
 * host's) from before the first spawn to the last exit. The arguments come
 * as two (N, ITERS) or, as init, through init_arg=N,ITERS; defaults 2, 10^6.
 * Exit 0, or 1 if a child failed or the clock could not be read.
 */
#include "capos.capnp.h"
#include "rt.h"

#define SPIN_CHILDREN_MAX 16u

/* The fixed unit of work; the result leaves through the exit code so that it is not dropped. */
static uint64_t xorshift_work(uint64_t x, uint64_t iters)
{
	for (uint64_t i = 0; i < iters; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

static int child(void)
{
	uint64_t k = rt_argv_u64(1, 0), iters = rt_argv_u64(2, 0);

	return (int)(xorshift_work(0x9E3779B97F4A7C15ull + k, iters) & 0xff);
}

static int spawn_child(capos_cap_t sp, uint32_t k, uint64_t iters, capos_cap_t *h)
{
	char ks[12], is[24];
	const char *argv[3] = { "child", ks, is };
	struct spawn_args args = { .argv = argv, .argc = 3 };

	(void)snprintf(ks, sizeof(ks), "%u", k);
	(void)snprintf(is, sizeof(is), "%llu", (unsigned long long)iters);
	return spawner_spawn_args(sp, "spin-child", "spin-load", &args, NULL, 0, h, NULL);
}

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER);
	capos_cap_t h[SPIN_CHILDREN_MAX];
	uint64_t n, iters, t0 = 0, t1 = 0, t_first = 0;
	uint32_t made = 0, sum = 0;
	int bad = 0;

	if (rt_argv(0) && rt_argv(0)[0] == 'c')
		return child();
	n = rt_argv_u64(0, 2);
	iters = rt_argv_u64(1, 1000000);
	if (n == 0 || n > SPIN_CHILDREN_MAX || timer_now(timer, &t0))
		return 1;
	while (made < n && spawn_child(sp, made, iters, &h[made]) == 0)
		made++;
	for (uint32_t k = 0; k < made; k++) {
		int64_t code = -1;

		bad |= process_wait(h[k], &code) != 0 || code < 0;
		sum += (uint32_t)code;
		if (k == 0)
			bad |= timer_now(timer, &t_first);
		(void)cap_release(h[k]);
	}
	bad |= timer_now(timer, &t1) || made != n;
	printf("spin-load: %llu x %llu steps in %llu ns (first done at %llu ns), checksum %u\n",
	       (unsigned long long)n, (unsigned long long)iters, (unsigned long long)(t1 - t0),
	       (unsigned long long)(t_first - t0), sum);
	return bad;
}
