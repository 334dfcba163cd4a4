// SPDX-License-Identifier: MIT
/*
 * threads-check (QEMU scenario threads): threads inside one process
 * (docs/threads.md). Join values, through return and thread_exit; each
 * thread has its own ring; threads of one process calling one server at
 * once each get their own answers on their own ring; the thread quota
 * answers overloaded; detached threads end on their own; hostile spawns
 * are refused; and a child with 13 threads, two each blocked in RECV, CALL,
 * PARK and cap_enter waits (with and without a timeout) and two running, is
 * ended both by its first thread's exit and by kill. The verdict
 * is the kernel's leak check at init's exit: every thread's stack, ring
 * and records are gone.
 */
#include "capos.capnp.h"
#include "check.h"
#include "echo_client.h"
#include "ipc_call.h"
#include "rt.h"

#define ECHO_THREADS 4
#define ECHO_ROUNDS 40
#define THREADS_MAX 16	/* PROC_THREADS_MAX, the first thread included */

static int64_t return_arg(void *arg)
{
	return (int64_t)(uintptr_t)arg;
}

static int64_t exit_early(void *arg)
{
	(void)arg;
	thread_exit(77);
}

static int64_t ring_facts(void *arg)
{
	struct thread *self = thread_self();
	struct capos_ring_header *h = self->ring->hdr;

	(void)arg;
	if (self->ring == &rt.ring || h->owner_thread != self->id || h->ring_id == 0)
		return -1;
	return (int64_t)h->ring_id;
}

static void test_join_values(void)
{
	struct thread *t[3];
	int64_t v = 0;
	bool ok = true;

	for (int i = 0; i < 3; i++)
		ok &= thread_create(&t[i], return_arg, (void *)(uintptr_t)(100 + i), 0) == 0;
	for (int i = 0; i < 3 && ok; i++)
		ok = thread_join(t[i], &v) == 0 && v == 100 + i;
	check(ok, "join_gives_each_return_value", v);
	ok = thread_create(&t[0], exit_early, NULL, 0) == 0 && thread_join(t[0], &v) == 0;
	check(ok && v == 77, "join_gives_thread_exit_value", v);
	ok = thread_create(&t[0], ring_facts, NULL, 0) == 0 && thread_join(t[0], &v) == 0;
	check(ok && v > 0, "each_thread_has_its_own_ring", v);
}

struct echo_job {
	capos_cap_t ep;
	uint32_t index;
};

/* ECHO_ROUNDS echoes of this thread's own payload through its own ring. */
static int64_t echo_worker(void *arg)
{
	const struct echo_job *job = arg;
	struct ipc_call *c = malloc(sizeof(*c));
	char data[32];
	int64_t bad = 0;

	if (!c)
		return -1;
	for (uint32_t r = 0; r < ECHO_ROUNDS; r++) {
		int n = snprintf(data, sizeof(data), "thread %u round %u", job->index, r);

		if (echo_echo(thread_self()->ring, c, job->ep, data, (uint32_t)n) != 0)
			bad++;
	}
	free(c);
	return bad;
}

static void test_calls_at_once(capos_cap_t sp)
{
	struct echo_job jobs[ECHO_THREADS];
	struct thread *t[ECHO_THREADS];
	capos_cap_t h, ep;
	int64_t v, bad = 0;
	int made = 0;

	if (!check_err(echo_spawn(sp, rt.console, "ipc-echo", &h, &ep), 0, "spawn_echo_server"))
		return;
	for (int i = 0; i < ECHO_THREADS; i++) {
		jobs[i] = (struct echo_job){ .ep = ep, .index = (uint32_t)i };
		made += thread_create(&t[i], echo_worker, &jobs[i], 0) == 0;
	}
	for (int i = 0; i < made; i++)
		bad += thread_join(t[i], &v) == 0 ? v : 1;
	check(made == ECHO_THREADS && bad == 0, "threads_call_one_server_at_once", bad);
	struct ipc_call *c = malloc(sizeof(*c));
	uint64_t calls = 0;
	int64_t code = -1;
	check(c && echo_stop(&rt.ring, c, ep, &calls) == 0 &&
	      calls >= ECHO_THREADS * ECHO_ROUNDS, "server_counted_every_call", (long long)calls);
	free(c);
	check(process_wait(h, &code) == 0 && code == 0, "echo_server_exited", code);
	(void)cap_release(h);
	(void)cap_release(ep);
}

static volatile uint32_t release_blockers;

static int64_t blocker(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&release_blockers, __ATOMIC_ACQUIRE))
		(void)uring_enter(thread_self()->ring, 1, 1000000ull);
	return 5;
}

static void test_quota(void)
{
	struct thread *t[THREADS_MAX];
	int made = 0, err = 0;
	int64_t v, sum = 0;

	while (made < THREADS_MAX && (err = thread_create(&t[made], blocker, NULL, 4096)) == 0)
		made++;
	check(made == THREADS_MAX - 1, "quota_allows_15_more_threads", made);
	check(err == CAPOS_ERR_APPLICATION_EXCEPTION &&
	      client_exception()->type == capos_CapException_Type_overloaded,
	      "quota_exhaustion_is_overloaded", err);
	__atomic_store_n(&release_blockers, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < made; i++)
		sum += thread_join(t[i], &v) == 0 ? v : 1000;
	check(sum == 5 * made, "quota_threads_join", sum);
	err = thread_create(&t[0], return_arg, (void *)9, 0);
	check(err == 0 && thread_join(t[0], &v) == 0 && v == 9, "slots_are_reused_after_join", v);
}

static void test_detach(void)
{
	struct thread *t;
	int64_t v;
	bool ok = true;

	for (int i = 0; i < 20 && ok; i++)	/* more than the quota: detached ones end and free slots */
		ok = thread_create(&t, return_arg, NULL, 4096) == 0 && thread_detach(t) == 0 &&
		     uring_enter(&rt.ring, 1, 2000000ull) < 0;
	check(ok, "detached_threads_end_on_their_own", ok);
	ok = thread_create(&t, return_arg, (void *)3, 0) == 0 && thread_join(t, &v) == 0;
	check(ok && v == 3, "join_after_detached_ones", v);
}

/* A raw ThreadSpawner.spawn; returns the CQE result. */
static int raw_spawn(uint64_t entry, uint64_t stack, uint64_t tp, uint32_t rlen)
{
	uint64_t arena[16], params[16], result[16];
	struct capos_cqe cqe;
	struct capnp_msg m;
	size_t plen;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	struct capos_ThreadSpawner_spawn_Params_builder p = capos_ThreadSpawner_spawn_Params_init_root(&m);
	capos_ThreadSpawner_spawn_Params_set_entry(p, entry);
	capos_ThreadSpawner_spawn_Params_set_stack(p, stack);
	capos_ThreadSpawner_spawn_Params_set_tp(p, tp);
	if (capnp_msg_write(&m, params, sizeof(params), &plen))
		return CAPOS_ERR_TOO_LARGE;
	int ret = uring_call(&rt.ring, rt_cap("threads", CAPOS_IFACE_THREAD_SPAWNER),
			     capos_ThreadSpawner_spawn, params, (uint32_t)plen, result, rlen, NULL, 0,
			     &cqe);
	if (ret == CAPOS_ERR_APPLICATION_EXCEPTION) {
		client_open_answer(&cqe, result, rlen, &m);
		return client_exception()->type == capos_CapException_Type_invalidArgument ? -1000 : ret;
	}
	return ret;
}

static void test_hostile_spawns(void)
{
	uint64_t entry = (uint64_t)(uintptr_t)return_arg, stack = 0x7ff000000000ull;

	check_err(raw_spawn(entry, stack + 8, 0, 128), -1000, "misaligned_stack_is_invalid");
	check_err(raw_spawn(0xffffffff80000000ull, stack, 0, 128), -1000, "kernel_entry_is_invalid");
	check_err(raw_spawn(entry, 0, 0, 128), -1000, "null_stack_is_invalid");
	check_err(raw_spawn(entry, stack, 0xffff800000000000ull, 128), -1000, "kernel_tp_is_invalid");
	check_err(raw_spawn(entry, stack, 0, 16), CAPOS_ERR_RESULT_TOO_SMALL,
		  "small_result_spawns_nothing");
}

/* threads-victim with its threads blocked: ended by its exit, or by kill. */
static void test_victim(capos_cap_t sp, const char *mode, int64_t want)
{
	const char *argv[2] = { mode, "2" };	/* two threads of each kind */
	struct spawn_args args = { .argv = argv, .argc = 2 };
	struct spawn_grant g[3] = {
		{ .name = "console", .iface = CAPOS_IFACE_CONSOLE, .cap = rt.console,
		  .mode = CAPOS_XFER_COPY },
		{ .name = "threads", .iface = CAPOS_IFACE_THREAD_SPAWNER,
		  .cap = rt_cap("threads", CAPOS_IFACE_THREAD_SPAWNER), .mode = CAPOS_XFER_COPY },
		{ .name = "endpoints", .iface = CAPOS_IFACE_ENDPOINT_FACTORY,
		  .cap = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY), .mode = CAPOS_XFER_COPY },
	};
	capos_cap_t h;
	int64_t code = 0;
	uint32_t used = 0, quota;

	if (!check_err(spawner_spawn_args(sp, "threads-victim", "threads-victim", &args, g, 3, &h,
					  NULL), 0, "spawn_victim"))
		return;
	if (want == capos_ProcessHandle_exitKilled) {
		/* Its endpoint and 12 thread handles, then time for them all to block. */
		for (int i = 0; i < 2000 && used < 3 + 2 + 12; i++) {
			(void)process_cap_usage(h, &used, &quota);
			(void)uring_enter(&rt.ring, 1, 2000000ull);
		}
		(void)uring_enter(&rt.ring, 1, 100000000ull);
		check_err(process_kill(h), 0, "kill_victim");
	}
	int err = process_wait(h, &code);
	check(err == 0 && code == want, mode[0] == 'e' ? "victim_exit_stops_every_thread" :
						     "victim_kill_stops_every_thread", code);
	(void)cap_release(h);
}

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);

	check_init("threads");
	test_join_values();
	test_calls_at_once(sp);
	test_quota();
	test_detach();
	test_hostile_spawns();
	test_victim(sp, "exit", 5);
	test_victim(sp, "kill", capos_ProcessHandle_exitKilled);
	return check_done();
}
