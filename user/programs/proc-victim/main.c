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
 * without any of them it exits 0 at once. It exits 3 if the "echo" facet is
 * missing or the CALL fails, so an answer it should never get is visible.
 */
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define BRIEF_LOOPS 8000000	/* some tens of milliseconds of user code under TCG */

static struct ipc_call hold;

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
		wait_forever(60000000000ull);
	if (picked("call")) {
		capos_cap_t ep = rt_cap("echo", echo_Echo_TYPE_ID);

		if (ep == CAPOS_CAP_INVALID || echo_submit_hold(&rt.ring, &hold, ep))
			return 3;
		ipc_call_wait(&rt.ring, &hold, CAPOS_TIMEOUT_INFINITE);
		return 3;
	}
	return 0;
}
