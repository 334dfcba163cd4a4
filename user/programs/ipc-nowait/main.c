// SPDX-License-Identifier: MIT
/*
 * ipc-nowait (QEMU scenario ipc-nowait): a CALL submitted with
 * cap_enter(0, 0) (submit, do not wait) to a server blocked in RECV must
 * reach it: the server is claimed for a direct hand-off while the call is
 * submitted, and a caller that does not block must give it back to the
 * scheduler. The caller then waits in short timed cap_enters (which give
 * the CPU away) and does other kernel calls, and the answer must come.
 */
#include "check.h"
#include "echo.capnp.h"
#include "ipc_call.h"
#include "rt.h"
#include "timer.h"

static struct ipc_call call;

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER);
	struct spawn_grant g[] = {
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "service", echo_Echo_TYPE_ID, CAPOS_CAP_INVALID, SPAWN_NEW_ENDPOINT },
	};
	capos_cap_t h, facet[2];
	int rounds = 0, got = CAPOS_ERR_TIMED_OUT;

	check_init("ipc-nowait");
	if (!check_err(spawner_spawn_ep(sp, "echo", "ipc-echo", g, 2, &h, facet), 0, "server_spawned"))
		return check_done();
	check_err(timer_sleep(timer, 20 * 1000 * 1000), 0, "server_reaches_recv");
	for (int k = 0; k < 3; k++) {
		ipc_call_begin(&call);
		echo_Echo_echo_Params_set_data(echo_Echo_echo_Params_init_root(&call.msg), "hi", 2);
		check_err(ipc_call_submit(&rt.ring, &call, facet[1], echo_Echo_echo), 0, "call_queued");
		check(uring_enter(&rt.ring, 0, 0) >= 0, "submitted_without_waiting", 0);
		uint64_t t = 0;
		for (rounds = 0; rounds < 200; rounds++) {
			(void)timer_now(timer, &t);	/* another kernel call meanwhile */
			got = ipc_call_wait(&rt.ring, &call, 1000 * 1000);
			if (got != CAPOS_ERR_TIMED_OUT)
				break;
		}
		check(got >= 0, "answer_came", got);
		check(rounds < 5, "answer_came_at_once", rounds);
	}
	ipc_call_begin(&call);
	echo_Echo_stop_Params_init_root(&call.msg);
	ipc_call_run(&rt.ring, &call, facet[1], echo_Echo_stop);
	int64_t code = -1;
	int err = process_wait(h, &code);

	check(err == 0 && code == 0, "server_exited", err ? err : code);
	return check_done();
}
