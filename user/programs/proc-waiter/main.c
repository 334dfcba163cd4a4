// SPDX-License-Identifier: MIT
/*
 * proc-waiter: a waiter that exits with its wait pending, for the proc-wait
 * and proc-kill scenarios. It spawns an echo server (ipc-echo, its child),
 * moves the server's client facet to whoever granted it "report" (one CALL
 * carrying the facet), submits ProcessHandle.wait on the server and makes
 * sure it is pending (no completion yet). Then it exits 0, or, given any
 * capability named "linger", blocks until it is killed. The server lives on:
 * its new holder of the facet stops it. Exit 2: spawn failed; 3: report
 * failed; 4: the wait completed or failed at once.
 */
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

static struct ipc_call report;
static struct process_wait w;

int main(void)
{
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t to = rt_cap("report", echo_Echo_TYPE_ID);
	capos_cap_t h, facet;
	struct capos_cqe cqe;

	if (echo_spawn(sp, CAPOS_CAP_INVALID, "proc-waited", &h, &facet))
		return 2;
	ipc_call_begin(&report);
	echo_Echo_keep_Params_init_root(&report.msg);
	ipc_call_add_cap(&report, facet, CAPOS_XFER_MOVE);
	if (ipc_call_run(&rt.ring, &report, to, echo_Echo_keep) < 0)
		return 3;
	if (process_wait_submit(&rt.ring, h, &w) || uring_enter(&rt.ring, 0, 0) < 0 ||
	    uring_find(&rt.ring, w.user_data, &cqe) != 0)
		return 4;
	while (capset_find(rt.capset, "linger")) {
		uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE);
		while (uring_reap(&rt.ring, &cqe))
			;
	}
	return 0;
}
