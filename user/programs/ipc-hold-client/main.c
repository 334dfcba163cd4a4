// SPDX-License-Identifier: MIT
/*
 * ipc-hold-client: a caller that exits with its call unanswered, for the
 * ipc-client-exit scenario. It calls Echo.hold on the facet granted as
 * "echo" and exits 0 without waiting for the answer. Given any capability
 * named "quick", it exits as soon as the CALL is submitted (the call may
 * still be queued); otherwise it first makes sure, with Echo.heldCount, that
 * the server has received it (the call is in flight). Exit 3: no facet;
 * 4: heldCount failed.
 */
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

static struct ipc_call hold, count;

int main(void)
{
	capos_cap_t ep = rt_cap("echo", echo_Echo_TYPE_ID);
	uint32_t n = 0;

	if (ep == CAPOS_CAP_INVALID)
		return 3;
	echo_submit_hold(&rt.ring, &hold, ep);
	uring_enter(&rt.ring, 0, 0);
	if (capset_find(rt.capset, "quick"))
		return 0;
	while (n == 0)
		if (echo_held_count(&rt.ring, &count, ep, &n))
			return 4;
	return 0;
}
