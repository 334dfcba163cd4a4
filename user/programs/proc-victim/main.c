// SPDX-License-Identifier: MIT
/*
 * proc-victim: a child for the proc-kill scenario to kill, in the state the
 * name of one of its grants picks (the grant itself may be anything):
 *   "spin"    runs user code forever (running, or preempted);
 *   "brief"   runs user code for some tens of milliseconds, then exits 0;
 *   "block"   waits in cap_enter with nothing submitted, no timeout;
 *   "sleep"   the same with a 60 s timeout (on the scheduler's sleep list);
 *   "call"    CALLs the Echo facet granted as "echo" (Echo.hold) and waits
 *             for the answer, whether the call is queued or in the server's
 *             hands;
 *   "owner"   owns the endpoint granted as "service" and never receives:
 *             calls to it stay queued;
 *   "sleeper" starts sleeps on the Timer granted as "timer" (60 s and
 *             never) and waits in cap_enter for the first to complete;
 *   "napper"  starts the same sleeps, then runs user code forever with
 *             them pending;
 *   "dozer"   sleeps 1 ms at a time, forever (blocked in cap_enter, or
 *             with a sleep just due or being answered);
 * without any of them it exits 0 at once. It exits 3 if the "echo" facet is
 * missing or the CALL fails, so an answer it should never get is visible.
 */
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define BRIEF_LOOPS 8000000	/* some tens of milliseconds of user code under TCG */
#define LONG_SLEEPS 4
#define MINUTE_NS 60000000000ull

static struct ipc_call hold;
static struct timer_sleep_req naps[LONG_SLEEPS];

static bool picked(const char *mode)
{
	return capset_find(rt.capset, mode) != NULL;
}

/* Waits forever (or in steps of timeout_ns), reaping anything that comes. */
static void wait_forever(uint64_t timeout_ns)
{
	struct capos_cqe cqe;

	for (;;) {
		uring_enter(&rt.ring, 1, timeout_ns);
		while (uring_reap(&rt.ring, &cqe))
			;
	}
}

/* Starts sleeps that do not complete while the scenario runs: a minute, and never. */
static int start_long_sleeps(capos_cap_t timer)
{
	for (int i = 0; i < LONG_SLEEPS; i++)
		if (timer_sleep_start(timer, i % 2 ? UINT64_MAX : MINUTE_NS + (uint64_t)i, &naps[i]))
			return -1;
	return 0;
}

/* The Timer modes; each returns only on an error or an answer it should not get (3). */
static int sleep_modes(void)
{
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER);
	volatile uint64_t n = 0;

	if (timer == CAPOS_CAP_INVALID)
		return 3;
	if (picked("dozer")) {
		for (;;)
			if (timer_sleep_start(timer, 1000000, &naps[0]) ||
			    timer_sleep_wait(&naps[0], CAPOS_TIMEOUT_INFINITE))
				return 3;
	}
	if (start_long_sleeps(timer))
		return 3;
	if (picked("napper"))
		for (;;)
			n++;
	timer_sleep_wait(&naps[0], CAPOS_TIMEOUT_INFINITE);
	return 3;
}

int main(void)
{
	volatile uint64_t n = 0;

	if (picked("spin"))
		for (;;)
			n++;
	if (picked("brief")) {
		while (n < BRIEF_LOOPS)
			n++;
		return 0;
	}
	if (picked("block") || picked("owner"))
		wait_forever(CAPOS_TIMEOUT_INFINITE);
	if (picked("sleep"))
		wait_forever(MINUTE_NS);
	if (picked("sleeper") || picked("napper") || picked("dozer"))
		return sleep_modes();
	if (picked("call")) {
		capos_cap_t ep = rt_cap("echo", echo_Echo_TYPE_ID);

		if (ep == CAPOS_CAP_INVALID || echo_submit_hold(&rt.ring, &hold, ep))
			return 3;
		ipc_call_wait(&rt.ring, &hold, CAPOS_TIMEOUT_INFINITE);
		return 3;
	}
	return 0;
}
