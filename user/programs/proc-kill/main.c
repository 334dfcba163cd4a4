// SPDX-License-Identifier: MIT
/*
 * proc-kill (QEMU scenario proc-kill): ProcessHandle.kill ends a child in
 * every state it can be in, each waiter sees exitKilled, and everything the
 * child held goes as at exit (the kernel's leak check at the end). The
 * children are proc-victim (the state picked by a grant's name), ipc-echo
 * and proc-waiter. The kernel logs the scheduler state each kill found
 * ("it was runnable", "blocked", "claimed for a hand-off"), which the
 * scenario checks too.
 *
 * States: running or preempted (spin); not yet run (killed in the time
 * slice that spawned it); blocked in cap_enter with and without a timeout;
 * a client with its CALL queued, or in the server's hands (the server's
 * RETURN then fails with DISCONNECTED); a client claimed for a direct
 * hand-off by the very batch that kills it; a server blocked in RECV with
 * calls in flight, and one with calls queued (the callers get
 * disconnected); a waiter with its own wait pending; an exited child (kill
 * does nothing). And kill racing with the child's own exit.
 *
 * With the Timer: a child blocked in cap_enter waiting for one of its
 * sleeps, one running user code with sleeps pending, and one sleeping 1 ms
 * at a time, killed at different points of its sleeps (pending, due, being
 * answered). Each kill withdraws the child's sleeps from the timer queue
 * (the kernel logs "withdrawn"); nothing is posted to a dead ring, the
 * leak check finds every record freed, and init's own sleeps still
 * complete afterwards.
 */
#include "capos.capnp.h"
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define SETTLE_NS 30000000ull	/* lets a child run until it blocks (three ticks) */
#define RACE_ROUNDS 60
#define UNRUN_TRIES 8
#define DOZE_ROUNDS 12

static struct ipc_call c1, c2, c3;
static uint64_t recv_buf[128];
static const uint64_t empty_answer[2] = { 0x0000000100000000ull, 0x00000000fffffffcull };

/* Blocks init for about ns with nothing submitted: every runnable child runs meanwhile. */
static void settle(uint64_t ns)
{
	uring_enter(&rt.ring, CAPOS_RING_CQ_ENTRIES, ns);
}

/*
 * Spawns proc-victim as `name` in `mode` (a Console copy granted under that
 * name), with `extra` as its second grant if extra.name is set.
 */
static int spawn_victim(capos_cap_t sp, const char *name, const char *mode,
			struct spawn_grant extra, capos_cap_t *h, capos_cap_t *facet)
{
	struct spawn_grant g[2] = {
		{ .name = mode, .iface = CAPOS_IFACE_CONSOLE, .cap = rt.console,
		  .mode = CAPOS_XFER_COPY },
		extra,
	};
	capos_cap_t facets[2];
	uint32_t n = extra.name ? 2 : 1;
	int err;

	if (!mode) {
		g[0] = extra;
		n = extra.name ? 1 : 0;
	}
	err = spawner_spawn_ep(sp, name, "proc-victim", g, n, h, facets);
	if (!err && facet)
		*facet = facets[n - 1];
	return err;
}

static const struct spawn_grant no_grant;

/* Kills h, checks the kill succeeded and that a wait then says exitKilled. */
static void kill_and_wait(capos_cap_t h, const char *what)
{
	int64_t code = 0;

	check_err(process_kill(h), 0, what);
	check_err(process_wait(h, &code), 0, "wait_after_kill");
	check(code == capos_ProcessHandle_exitKilled, "waiter_sees_exit_killed", code);
	cap_release(h);
}

static void kill_running(capos_cap_t sp)
{
	capos_cap_t h;

	if (!check_err(spawn_victim(sp, "victim-spin", "spin", no_grant, &h, NULL), 0, "spawn"))
		return;
	settle(SETTLE_NS);	/* it runs, and is preempted when init's timeout ends */
	kill_and_wait(h, "kill_running_child");
}

/*
 * A child spawned and killed in the same time slice of init never runs: the
 * kill replaces its first entry into user mode. A tick may preempt init in
 * between (rarely: init starts each try on a fresh slice); the child,
 * proc-victim without a mode, then exits 0 at once, and init tries again.
 */
static void kill_before_first_run(capos_cap_t sp)
{
	int killed = 0, ran = 0, other = 0;

	for (int i = 0; i < UNRUN_TRIES && !killed; i++) {
		capos_cap_t h;
		int64_t code = -99;

		settle(1);	/* until the next tick: a fresh time slice */
		if (spawn_victim(sp, "victim-unrun", NULL, no_grant, &h, NULL) ||
		    process_kill(h) || process_wait(h, &code)) {
			other++;
			break;
		}
		killed += code == capos_ProcessHandle_exitKilled;
		ran += code == 0;
		other += code != 0 && code != capos_ProcessHandle_exitKilled;
		cap_release(h);
	}
	check(killed == 1 && other == 0, "kill_before_first_run", ran);
}

static void kill_blocked(capos_cap_t sp, const char *name, const char *mode, const char *what)
{
	capos_cap_t h;

	if (!check_err(spawn_victim(sp, name, mode, no_grant, &h, NULL), 0, "spawn"))
		return;
	settle(SETTLE_NS);
	kill_and_wait(h, what);
}

/* Receives one call on owner into recv_buf; returns its call id, or 0. */
static uint32_t receive(capos_cap_t owner, uint64_t timeout_ns)
{
	struct capos_cqe cqe;
	uint64_t rid;

	ipc_recv_submit(&rt.ring, owner, recv_buf, sizeof(recv_buf), &rid);
	if (ipc_wait_id(&rt.ring, rid, timeout_ns, &cqe) || cqe.result < 0)
		return 0;
	return cqe.call_id;
}

/* A client killed with its CALL queued, and one killed with it in the server's hands. */
static void kill_client(capos_cap_t sp, capos_cap_t factory)
{
	capos_cap_t owner, facet, h;
	struct capos_cqe cqe;
	uint64_t rid;
	uint32_t id;

	if (!check_err(endpoint_create(factory, echo_Echo_TYPE_ID, &owner, &facet), 0, "create"))
		return;
	struct spawn_grant echo = { .name = "echo", .iface = echo_Echo_TYPE_ID, .cap = facet,
				    .mode = CAPOS_XFER_COPY };
	if (!check_err(spawn_victim(sp, "victim-queued", "call", echo, &h, NULL), 0, "spawn"))
		goto out;
	settle(SETTLE_NS);	/* its CALL waits for a RECV */
	kill_and_wait(h, "kill_client_with_call_queued");
	ipc_recv_submit(&rt.ring, owner, recv_buf, sizeof(recv_buf), &rid);
	check_err(ipc_wait_id(&rt.ring, rid, SETTLE_NS, &cqe), CAPOS_ERR_TIMED_OUT,
		  "killed_clients_queued_call_never_received");
	if (!check_err(spawn_victim(sp, "victim-held", "call", echo, &h, NULL), 0, "spawn"))
		goto out;
	/* The RECV still posted above takes this call. */
	check_err(ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe), 0, "received");
	id = cqe.call_id;
	kill_and_wait(h, "kill_client_with_call_in_servers_hands");
	check_err(ipc_return(&rt.ring, owner, id, 0, empty_answer, sizeof(empty_answer), NULL, 0),
		  CAPOS_ERR_DISCONNECTED, "return_to_killed_client_fails");
out:
	cap_release(facet);
	cap_release(owner);
}

/*
 * One batch answers the child's call, which claims the child for a direct
 * hand-off (docs/ipc.md "Fast path"), and kills it: the kill finds it
 * claimed and leaves it to the claimer, which runs it into its exit.
 */
static void kill_claimed_child(capos_cap_t sp, capos_cap_t factory)
{
	capos_cap_t owner, facet, h;
	struct capos_cqe cqe;
	struct capos_sqe *s;
	uint64_t ud[2] = { uring_next_id(&rt.ring), uring_next_id(&rt.ring) };
	uint32_t id;
	int64_t code = 0;
	int results = 0;

	if (!check_err(endpoint_create(factory, echo_Echo_TYPE_ID, &owner, &facet), 0, "create"))
		return;
	struct spawn_grant echo = { .name = "echo", .iface = echo_Echo_TYPE_ID, .cap = facet,
				    .mode = CAPOS_XFER_COPY };
	if (!check_err(spawn_victim(sp, "victim-handoff", "call", echo, &h, NULL), 0, "spawn"))
		return;
	id = receive(owner, CAPOS_TIMEOUT_INFINITE);
	check(id != 0, "received", id);
	s = uring_get_sqe(&rt.ring);
	*s = (struct capos_sqe){ .opcode = CAPOS_OP_RETURN, .cap_id = owner, .call_id = id,
				 .user_data = ud[0], .params_addr = (uint64_t)(uintptr_t)empty_answer,
				 .params_len = sizeof(empty_answer) };
	s = uring_get_sqe(&rt.ring);
	*s = (struct capos_sqe){ .opcode = CAPOS_OP_CALL, .cap_id = h, .user_data = ud[1],
				 .method_id = capos_ProcessHandle_kill,
				 .params_addr = (uint64_t)(uintptr_t)empty_answer,
				 .params_len = sizeof(empty_answer),
				 .result_addr = (uint64_t)(uintptr_t)recv_buf,
				 .result_len = sizeof(recv_buf) };
	uring_enter(&rt.ring, 2, CAPOS_TIMEOUT_INFINITE);
	for (int i = 0; i < 2 && ipc_wait_id(&rt.ring, ud[i], 0, &cqe) == 0; i++)
		results += cqe.result >= 0;
	check(results == 2, "answer_and_kill_in_one_batch", results);
	check_err(process_wait(h, &code), 0, "wait_after_kill");
	check(code == capos_ProcessHandle_exitKilled, "claimed_child_killed_before_it_ran", code);
	cap_release(h);
	cap_release(facet);
	cap_release(owner);
}

/* A server blocked in RECV with two calls in its hands: both callers get disconnected. */
static void kill_server_with_calls_in_flight(capos_cap_t sp)
{
	capos_cap_t h, f;
	uint32_t held = 0;

	if (!check_err(echo_spawn(sp, CAPOS_CAP_INVALID, "victim-server", &h, &f), 0, "spawn"))
		return;
	echo_submit_hold(&rt.ring, &c1, f);
	echo_submit_hold(&rt.ring, &c2, f);
	while (held < 2 && echo_held_count(&rt.ring, &c3, f, &held) == 0)
		;
	check(held == 2, "server_holds_two_calls", held);
	kill_and_wait(h, "kill_server_blocked_in_recv");
	check_err(ipc_call_wait(&rt.ring, &c1, CAPOS_TIMEOUT_INFINITE),
		  CAPOS_ERR_APPLICATION_EXCEPTION, "call_in_flight_fails");
	check(c1.exc_type == capos_CapException_Type_disconnected, "as_disconnected", c1.exc_type);
	check_err(ipc_call_wait(&rt.ring, &c2, CAPOS_TIMEOUT_INFINITE),
		  CAPOS_ERR_APPLICATION_EXCEPTION, "second_call_in_flight_fails");
	check_err(echo_echo(&rt.ring, &c3, f, "x", 1), CAPOS_ERR_APPLICATION_EXCEPTION,
		  "later_call_fails");
	cap_release(f);
}

/* A server that never receives, with three calls queued: all disconnected. */
static void kill_server_with_calls_queued(capos_cap_t sp)
{
	struct spawn_grant svc = { .name = "service", .iface = echo_Echo_TYPE_ID,
				   .mode = SPAWN_NEW_ENDPOINT };
	struct ipc_call *c[3] = { &c1, &c2, &c3 };
	capos_cap_t h, f;
	int failed = 0;

	if (!check_err(spawn_victim(sp, "victim-owner", "owner", svc, &h, &f), 0, "spawn"))
		return;
	for (int i = 0; i < 3; i++)
		echo_submit_echo(&rt.ring, c[i], f, "q", 1);
	settle(SETTLE_NS);
	kill_and_wait(h, "kill_server_with_calls_queued");
	for (int i = 0; i < 3; i++)
		failed += ipc_call_wait(&rt.ring, c[i], CAPOS_TIMEOUT_INFINITE) ==
				  CAPOS_ERR_APPLICATION_EXCEPTION &&
			  c[i]->exc_type == capos_CapException_Type_disconnected;
	check(failed == 3, "queued_calls_disconnected", failed);
	cap_release(f);
}

/* Receives one call carrying one capability on owner; answers it; returns the capability. */
static capos_cap_t receive_cap(capos_cap_t owner)
{
	const struct capos_recv_header *hdr = (const void *)recv_buf;
	const struct capos_xfer_result *rec;
	uint32_t id = receive(owner, CAPOS_TIMEOUT_INFINITE);

	if (!id || hdr->xfer_count != 1)
		return CAPOS_CAP_INVALID;
	rec = (const void *)((const uint8_t *)recv_buf +
			     ((sizeof(*hdr) + hdr->params_len + 7u) & ~7u));
	ipc_return(&rt.ring, owner, id, 0, empty_answer, sizeof(empty_answer), NULL, 0);
	return rec->cap_id;
}

/* A waiter killed with its wait pending; its own child lives on. */
static void kill_waiter(capos_cap_t sp, capos_cap_t factory)
{
	capos_cap_t owner, facet, h, orphan;

	if (!check_err(endpoint_create(factory, echo_Echo_TYPE_ID, &owner, &facet), 0, "create"))
		return;
	struct spawn_grant g[3] = {
		{ .name = "spawner", .iface = CAPOS_IFACE_PROCESS_SPAWNER, .cap = sp,
		  .mode = CAPOS_XFER_COPY },
		{ .name = "report", .iface = echo_Echo_TYPE_ID, .cap = facet,
		  .mode = CAPOS_XFER_COPY },
		{ .name = "linger", .iface = CAPOS_IFACE_CONSOLE, .cap = rt.console,
		  .mode = CAPOS_XFER_COPY },
	};
	if (!check_err(spawner_spawn(sp, "victim-waiter", "proc-waiter", g, 3, &h), 0, "spawn"))
		return;
	orphan = receive_cap(owner);
	check(orphan != CAPOS_CAP_INVALID, "waiter_handed_over_its_child", 0);
	settle(SETTLE_NS);	/* it submits its wait and blocks */
	kill_and_wait(h, "kill_waiter_with_wait_pending");
	check_err(echo_echo(&rt.ring, &c1, orphan, "alive", 5), 0, "its_child_lives_on");
	check_err(echo_stop(&rt.ring, &c1, orphan, NULL), 0, "stop_orphan");
	check_err(echo_echo(&rt.ring, &c1, orphan, "gone", 4), CAPOS_ERR_APPLICATION_EXCEPTION,
		  "orphan_gone");
	cap_release(orphan);
	cap_release(facet);
	cap_release(owner);
}

static void kill_exited(capos_cap_t sp)
{
	capos_cap_t h;
	int64_t code = -99;

	if (!check_err(spawn_victim(sp, "victim-exited", NULL, no_grant, &h, NULL), 0, "spawn"))
		return;
	check_err(process_wait(h, &code), 0, "wait");
	check_err(process_kill(h), 0, "kill_of_exited_child_succeeds");
	check_err(process_kill(h), 0, "and_again");
	check_err(process_wait(h, &code), 0, "wait_again");
	check(code == 0, "exit_code_unchanged_by_kill", code);
	cap_release(h);
}

/* Two waits pending, then two kills: both waits see exitKilled once. */
static void kill_twice_with_waiters(capos_cap_t sp)
{
	static struct process_wait w[2];
	capos_cap_t h;
	int64_t code;
	int killed = 0;

	if (!check_err(spawn_victim(sp, "victim-twice", "block", no_grant, &h, NULL), 0, "spawn"))
		return;
	for (int i = 0; i < 2; i++)
		process_wait_submit(&rt.ring, h, &w[i]);
	settle(SETTLE_NS);
	check_err(process_kill(h), 0, "first_kill");
	check_err(process_kill(h), 0, "second_kill_does_nothing");
	for (int i = 0; i < 2; i++)
		killed += process_wait_end(&rt.ring, &w[i], CAPOS_TIMEOUT_INFINITE, &code) == 0 &&
			  code == capos_ProcessHandle_exitKilled;
	check(killed == 2, "every_pending_wait_sees_exit_killed", killed);
	cap_release(h);
}

static const char *const timer_modes[] = { "sleeper", "napper" };
static const char *const timer_victims[] = { "victim-sleeper", "victim-napper" };
static const char *const timer_checks[] = { "kill_blocked_waiting_on_a_sleep",
					     "kill_running_with_sleeps_pending" };

/* A child blocked on a sleep, and one running with sleeps pending (proc-victim). */
static void kill_with_sleeps_pending(capos_cap_t sp, capos_cap_t timer)
{
	struct spawn_grant t = { .name = "timer", .iface = CAPOS_IFACE_TIMER, .cap = timer,
				 .mode = CAPOS_XFER_COPY };

	for (int i = 0; i < 2; i++) {
		capos_cap_t h;

		if (!check_err(spawn_victim(sp, timer_victims[i], timer_modes[i], t, &h, NULL), 0,
			       "spawn"))
			return;
		settle(SETTLE_NS);	/* its sleeps are pending; it blocks, or spins */
		kill_and_wait(h, timer_checks[i]);
	}
}

/*
 * A child sleeping 1 ms at a time, killed after 1 to 4 ticks: at a tick its
 * sleep may be pending, due, or taken by the timer queue's thread and not
 * yet answered. Each round it ends killed; then init's own sleep completes.
 */
static void kill_while_sleeps_complete(capos_cap_t sp, capos_cap_t timer)
{
	struct spawn_grant t = { .name = "timer", .iface = CAPOS_IFACE_TIMER, .cap = timer,
				 .mode = CAPOS_XFER_COPY };
	int killed = 0;

	for (int i = 0; i < DOZE_ROUNDS; i++) {
		capos_cap_t h;
		int64_t code = -99;

		if (spawn_victim(sp, "victim-dozer", "dozer", t, &h, NULL))
			break;
		settle(1 + (uint64_t)(i % 4) * 10000000ull);
		killed += process_kill(h) == 0 && process_wait(h, &code) == 0 &&
			  code == capos_ProcessHandle_exitKilled;
		cap_release(h);
	}
	check(killed == DOZE_ROUNDS, "kill_while_sleeps_complete", killed);
	check_err(timer_sleep(timer, 2000000), 0, "timer_still_answers_after_kills");
}

/*
 * Kill against the child's own exit: the child runs for some tens of
 * milliseconds and exits; init kills it at once (it has not run), after a
 * tick (it is somewhere in its run, preempted, or already gone), or once a
 * wait has seen it exit. Each wait says killed or exited 0, nothing else.
 */
static void kill_races_exit(capos_cap_t sp)
{
	int killed = 0, exited = 0, other = 0;

	for (int i = 0; i < RACE_ROUNDS; i++) {
		capos_cap_t h;
		int64_t code = -99;

		if (spawn_victim(sp, "victim-race", "brief", no_grant, &h, NULL)) {
			other++;
			break;
		}
		if (i % 3 == 1)
			settle(1);
		if (i % 3 == 2)
			other += process_wait(h, &code) != 0 || code != 0;
		other += process_kill(h) != 0 || process_wait(h, &code) != 0;
		killed += code == capos_ProcessHandle_exitKilled;
		exited += code == 0;
		cap_release(h);
	}
	check(killed + exited == RACE_ROUNDS && other == 0, "kill_races_exit_each_ends_once",
	      other);
	check(killed > 0 && exited > 0, "both_outcomes_seen", killed);
}

int main(void)
{
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t factory = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER);

	check_init("proc-kill");
	kill_running(sp);
	kill_before_first_run(sp);
	kill_blocked(sp, "victim-block", "block", "kill_blocked_in_cap_enter");
	kill_blocked(sp, "victim-sleep", "sleep", "kill_waiting_with_a_timeout");
	kill_client(sp, factory);
	kill_claimed_child(sp, factory);
	kill_server_with_calls_in_flight(sp);
	kill_server_with_calls_queued(sp);
	kill_waiter(sp, factory);
	kill_exited(sp);
	kill_twice_with_waiters(sp);
	kill_races_exit(sp);
	kill_with_sleeps_pending(sp, timer);
	kill_while_sleeps_complete(sp, timer);
	return check_done();
}
