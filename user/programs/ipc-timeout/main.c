// SPDX-License-Identifier: MIT
/*
 * ipc-timeout (QEMU scenario ipc-timeout): waits with time limits. A RECV
 * with no caller: the wait ends with TIMED_OUT, the RECV stays posted and
 * takes the next call. A CALL the server holds: the caller's wait ends with
 * TIMED_OUT, the call stays in flight and completes when the server answers.
 * cap_enter with nothing outstanding times out too.
 *
 * Each wait that times out is timed with rdtsc: it must last at least the
 * timeout and end within two ticks (20 ms) more, so a kernel that turned
 * finite timeouts into polls, or overslept, fails. The scenario runs under
 * -icount shift=0, where the TSC counts exactly one tick per nanosecond of
 * virtual time (checked against the timer in qemu/timer).
 */
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define TO_SHORT_NS 20000000ull		/* 20 ms */
#define TO_ODD_NS 15000000ull		/* 15 ms: not a whole number of 10 ms ticks */
#define TO_LONG_NS 100000000ull		/* 100 ms */
#define TICK_NS 10000000ull		/* the kernel's 100 Hz tick */

static struct ipc_call c1, c2;
static uint64_t recv_buf[256];
static const uint64_t empty_answer[2] = { 0x0000000100000000ull, 0x00000000fffffffcull };
static uint64_t wait_start;

/* Starts timing a wait. */
static void clock_start(void)
{
	wait_start = rt_rdtsc();
}

/*
 * Checks that the wait since clock_start lasted at least timeout_ns and less
 * than two ticks more (the deadline rounds up to a tick, plus one); prints
 * the time taken, in microseconds, on the next line.
 */
static void check_waited(uint64_t timeout_ns, const char *name)
{
	uint64_t ns = rt_rdtsc() - wait_start;

	check(ns >= timeout_ns && ns < timeout_ns + 2 * TICK_NS, name, (long long)(ns / 1000));
	check_note("  waited (us):", (long long)(ns / 1000));
}

/* cap_enter with nothing outstanding, for timeout_ns: TIMED_OUT, after that long. */
static void enter_times_out(uint64_t timeout_ns, const char *name, const char *took)
{
	clock_start();
	check_err((int)uring_enter(&rt.ring, 1, timeout_ns), CAPOS_ERR_TIMED_OUT, name);
	check_waited(timeout_ns, took);
}

static void recv_timeout(capos_cap_t f)
{
	const struct capos_recv_header *h = (const void *)recv_buf;
	capos_cap_t owner, facet;
	struct capos_cqe cqe;
	uint64_t rid;

	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &owner, &facet), 0, "create"))
		return;
	ipc_recv_submit(&rt.ring, owner, recv_buf, sizeof(recv_buf), &rid);
	clock_start();
	check_err(ipc_wait_id(&rt.ring, rid, TO_SHORT_NS, &cqe), CAPOS_ERR_TIMED_OUT,
		  "recv_wait_times_out");
	check_waited(TO_SHORT_NS, "recv_wait_lasted_its_timeout");
	check_err(echo_submit_echo(&rt.ring, &c1, facet, "late", 4), 0, "late_call");
	check_err(ipc_wait_id(&rt.ring, rid, TO_SHORT_NS, &cqe), 0,
		  "recv_still_posted_takes_late_call");
	check(cqe.result > 0 && h->method_id == echo_Echo_echo, "late_call_header", cqe.result);
	clock_start();
	check_err(ipc_call_wait(&rt.ring, &c1, TO_SHORT_NS), CAPOS_ERR_TIMED_OUT,
		  "call_wait_times_out_before_return");
	check_waited(TO_SHORT_NS, "call_wait_lasted_its_timeout");
	check_err(ipc_return(&rt.ring, owner, cqe.call_id, 0, empty_answer, sizeof(empty_answer),
			     NULL, 0), 0, "return_after_caller_timeout");
	check(ipc_call_wait(&rt.ring, &c1, TO_SHORT_NS) >= 0, "call_completes_after_return", 0);
	cap_release(facet);
	cap_release(owner);
}

static void held_call_timeout(capos_cap_t sp)
{
	uint32_t answered = 0, delivered = 0;
	capos_cap_t h, ep;
	int32_t first = 0;
	int64_t code;

	if (!check_err(echo_spawn(sp, rt.console, "ipc-echo", &h, &ep), 0, "spawn_server"))
		return;
	check_err(echo_submit_hold(&rt.ring, &c1, ep), 0, "hold_submit");
	clock_start();
	check_err(ipc_call_wait(&rt.ring, &c1, TO_SHORT_NS), CAPOS_ERR_TIMED_OUT,
		  "held_call_wait_times_out");
	check_waited(TO_SHORT_NS, "held_call_wait_lasted_its_timeout");
	clock_start();
	check_err(ipc_call_wait(&rt.ring, &c1, TO_LONG_NS), CAPOS_ERR_TIMED_OUT,
		  "held_call_wait_times_out_again");
	check_waited(TO_LONG_NS, "held_call_long_wait_lasted_its_timeout");
	check_err(echo_answer_held(&rt.ring, &c2, ep, &answered, &delivered, &first), 0,
		  "answer_held");
	check(answered == 1 && delivered == 1 && first == 0, "server_answered_held_call",
	      first ? first : (long long)delivered);
	check(ipc_call_wait(&rt.ring, &c1, TO_SHORT_NS) >= 0, "held_call_completes", 0);
	check_err(echo_stop(&rt.ring, &c2, ep, NULL), 0, "stop");
	check_err(process_wait(h, &code), 0, "wait_server");
	check(code == 0, "server_exit_code", code);
	cap_release(h);
	cap_release(ep);
}

int main(void)
{
	capos_cap_t f = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);

	check_init("ipc-timeout");
	enter_times_out(TO_SHORT_NS, "enter_with_nothing_outstanding_times_out",
			"enter_wait_lasted_its_timeout");
	enter_times_out(TO_ODD_NS, "enter_odd_timeout_times_out",
			"enter_odd_wait_lasted_its_timeout");
	enter_times_out(TO_LONG_NS, "enter_long_timeout_times_out",
			"enter_long_wait_lasted_its_timeout");
	recv_timeout(f);
	held_call_timeout(sp);
	return check_done();
}
