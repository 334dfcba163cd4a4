// SPDX-License-Identifier: MIT
/*
 * spawn-many: the leak check and the spawn_exit benchmark. Spawns `exit0`
 * SPAWN_COUNT times, one at a time, waits for each, checks its exit code is
 * 0 and releases its handle, so a kernel that leaks anything per process
 * runs out long before the end. Prints the median instructions of one
 * spawn + wait + release after a warm-up ("BENCH spawn_exit <n> insns/op"),
 * then "spawn-many: PASS <count>" and exits 0; on the first failure prints a
 * FAIL line and exits 1.
 */
#include "bench.h"
#include "rt.h"

#define SPAWN_COUNT 1000u
#define SPAWN_WARMUP 8u

static uint64_t samples[SPAWN_COUNT];

static int spawn_fail(uint32_t i, const char *what, int err)
{
	printf("spawn-many: FAIL process %u: %s: %s", i, what, capos_strerror(err));
	if (err == CAPOS_ERR_APPLICATION_EXCEPTION)
		printf(" (%s)", client_exception()->reason);
	printf("\n");
	return 1;
}

int main(void)
{
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t h;
	uint64_t t0;
	int64_t code;
	uint32_t i;
	int err;

	if (sp == CAPOS_CAP_INVALID)
		return spawn_fail(0, "no ProcessSpawner", CAPOS_ERR_INVALID_CAP);
	for (i = 0; i < SPAWN_COUNT; i++) {
		t0 = rt_rdtsc();
		err = spawner_spawn(sp, "exit0", "exit0", NULL, 0, &h);
		if (err)
			return spawn_fail(i, "spawn", err);
		err = process_wait(h, &code);
		if (err)
			return spawn_fail(i, "wait", err);
		err = cap_release(h);
		if (err)
			return spawn_fail(i, "release", err);
		samples[i] = rt_rdtsc() - t0;
		if (code != 0)
			return spawn_fail(i, "exit code", CAPOS_ERR_INVALID_ARGUMENT);
	}
	printf("BENCH spawn_exit %llu insns/op\n",
	       (unsigned long long)bench_median(samples + SPAWN_WARMUP, SPAWN_COUNT - SPAWN_WARMUP));
	printf("spawn-many: PASS %u processes spawned and reaped\n", SPAWN_COUNT);
	return 0;
}
