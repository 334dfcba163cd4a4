// SPDX-License-Identifier: MIT
/*
 * storm-check (QEMU scenarios storm, storm-smp2, storm-smp4; make stress):
 * a spawn/kill storm. As init it starts STORM_WORKERS copies of itself
 * ("worker SEED ROUNDS"), separate processes that the per-CPU scheduler can
 * run at once, and waits for them. Each worker, ROUNDS times, spawns
 * threads-victim (7 or 13 threads, in RECV, CALL, PARK, cap_enter waits and
 * user code) in a random mode: "kill" (it waits to be killed), "exit" (it
 * exits 5 once its threads are blocked) or "now" (it exits 5 right after
 * starting them); the worker kills it after a random 0..20 ms (at once a
 * quarter of the time) unless the mode is "exit" or "now" and a coin says to
 * let it be. Every victim must end with 5 or ProcessHandle.exitKilled
 * (exitKilled for "kill"; 5 if not killed). A worker's exit code is its
 * failures. Rounds per worker: the argument (init_arg=N), default 8. The
 * verdict is also the kernel's leak check at init's exit.
 */
#include "capos.capnp.h"
#include "check.h"
#include "rt.h"

#define STORM_WORKERS 3u
#define VICTIM_PAGES 1024u	/* 4 MiB: 13 threads' stacks and the heap */
#define WORKER_PAGES 4096u	/* its victim's quota comes out of this */
#define KILL_DELAY_MAX_NS 20000000ull

static uint64_t rng;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* The grants a worker hands on: console, spawner, threads, endpoints, and memory. */
static uint32_t grants_for_child(struct spawn_grant *g, uint32_t pages, bool spawner)
{
	uint32_t n = 0;

	g[n++] = (struct spawn_grant){ .name = "console", .iface = CAPOS_IFACE_CONSOLE,
				       .cap = rt.console, .mode = CAPOS_XFER_COPY };
	g[n++] = (struct spawn_grant){ .name = "threads", .iface = CAPOS_IFACE_THREAD_SPAWNER,
				       .cap = rt_cap("threads", CAPOS_IFACE_THREAD_SPAWNER),
				       .mode = CAPOS_XFER_COPY };
	g[n++] = (struct spawn_grant){ .name = "endpoints", .iface = CAPOS_IFACE_ENDPOINT_FACTORY,
				       .cap = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY),
				       .mode = CAPOS_XFER_COPY };
	g[n++] = (struct spawn_grant){ .name = "vm", .iface = CAPOS_IFACE_VIRTUAL_MEMORY,
				       .cap = pages, .mode = SPAWN_VIRTUAL_MEMORY };
	if (spawner)
		g[n++] = (struct spawn_grant){ .name = "spawner", .iface = CAPOS_IFACE_PROCESS_SPAWNER,
					       .cap = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER),
					       .mode = CAPOS_XFER_COPY };
	return n;
}

struct tally {
	uint32_t killed, exited, bad;
};

/* One victim: spawned in a random mode, maybe killed at a random point, waited for. */
static void storm_round(capos_cap_t sp, struct tally *t)
{
	static const char *const modes[3] = { "kill", "exit", "now" };
	uint64_t r = next_random();
	const char *mode = modes[r % 3];
	const char *argv[2] = { mode, (r >> 8) & 1 ? "2" : "1" };
	struct spawn_args args = { .argv = argv, .argc = 2 };
	bool kill = mode[0] == 'k' || (r >> 9) % 4 != 0;
	uint64_t delay = (r >> 11) % 4 == 0 ? 0 : (r >> 16) % KILL_DELAY_MAX_NS;
	struct spawn_grant g[5];
	uint32_t n = grants_for_child(g, VICTIM_PAGES, false);
	capos_cap_t h;
	int64_t code = 0;

	if (spawner_spawn_args(sp, "threads-victim", "threads-victim", &args, g, n, &h, NULL)) {
		t->bad++;
		return;
	}
	if (kill && delay)
		(void)uring_enter(&rt.ring, 1, delay);
	if (kill && process_kill(h))
		t->bad++;
	if (process_wait(h, &code) != 0)
		code = -1000;
	(void)cap_release(h);
	if (code == capos_ProcessHandle_exitKilled && kill)
		t->killed++;
	else if (code == 5 && mode[0] != 'k')
		t->exited++;
	else {
		printf("storm-check: victim %s %s ended with %lld\n", mode, argv[1], (long long)code);
		t->bad++;
	}
}

static int worker(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	uint64_t seed = rt_argv_u64(1, 1);
	uint64_t rounds = rt_argv_u64(2, 0);
	struct tally t = { 0, 0, 0 };

	rng = seed ? seed : 1;
	for (uint64_t i = 0; i < rounds; i++)
		storm_round(sp, &t);
	printf("storm-check: worker seed %llu: %u killed, %u exited, %u bad\n",
	       (unsigned long long)seed, t.killed, t.exited, t.bad);
	return t.bad > 100 ? 100 : (int)t.bad;
}

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t h[STORM_WORKERS];
	uint32_t rounds = (uint32_t)rt_argv_u64(0, 8), started = 0, clean = 0;
	uint64_t seed = 0;
	char seeds[STORM_WORKERS][24], count[16];

	if (rt_argv(0) && rt_argv(0)[0] == 'w')
		return worker();
	check_init("storm");
	(void)timer_now(rt_cap("timer", CAPOS_IFACE_TIMER), &seed);
	seed = (seed * 2654435761ull + 1) % 1000000000000000ull;	/* fits rt_argv_u64 */
	printf("storm: seed %llu, %u workers x %u victims\n", (unsigned long long)seed,
	       STORM_WORKERS, rounds);
	(void)snprintf(count, sizeof(count), "%u", rounds);
	for (uint32_t w = 0; w < STORM_WORKERS; w++) {
		const char *argv[3] = { "worker", seeds[w], count };
		struct spawn_args args = { .argv = argv, .argc = 3 };
		struct spawn_grant g[5];
		uint32_t n = grants_for_child(g, WORKER_PAGES, true);

		(void)snprintf(seeds[w], sizeof(seeds[w]), "%llu", (unsigned long long)(seed + w));
		started += spawner_spawn_args(sp, "storm-worker", "storm-check", &args, g, n, &h[w],
					      NULL) == 0;
	}
	check(started == STORM_WORKERS, "workers_started", started);
	for (uint32_t w = 0; w < started; w++) {
		int64_t code = -1;

		clean += process_wait(h[w], &code) == 0 && code == 0;
		(void)cap_release(h[w]);
	}
	check(clean == STORM_WORKERS, "every_victim_ended_killed_or_exited", clean);
	return check_done();
}
