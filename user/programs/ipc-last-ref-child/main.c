// SPDX-License-Identifier: MIT
/*
 * ipc-last-ref-child (QEMU scenario ipc-last-ref): a caller whose queued
 * call holds the last reference to the facet it was made on. It CALLs the
 * facet granted as "ep", sending a copy of that same facet, and RELEASEs
 * its own copy in the same cap_enter. Without a "sig" grant it then exits
 * at once, its call still queued. With one, it CALLs "sig" to tell the
 * parent its first call is queued, waits for both answers and exits with
 * the first call's result negated (0 if it succeeded). Exit 3: no facet.
 */
#include "ipc_call.h"
#include "rt.h"

#define IFACE 0x1a57ull	/* as ipc-last-ref grants */

static struct ipc_call self_call, sig_call;

int main(void)
{
	capos_cap_t ep = rt_cap("ep", IFACE), sig = rt_cap("sig", IFACE);
	struct capos_sqe *rel;
	int first;

	if (ep == CAPOS_CAP_INVALID)
		return 3;
	ipc_call_begin(&self_call);
	ipc_call_add_cap(&self_call, ep, CAPOS_XFER_COPY);
	ipc_call_submit(&rt.ring, &self_call, ep, 0);
	rel = uring_get_sqe(&rt.ring);
	*rel = (struct capos_sqe){ .opcode = CAPOS_OP_RELEASE, .cap_id = ep,
				   .flags = CAPOS_SQE_F_SKIP_SUCCESS };
	uring_submit(&rt.ring);
	uring_enter(&rt.ring, 0, 0);
	if (sig == CAPOS_CAP_INVALID)
		return 0;
	ipc_call_begin(&sig_call);
	ipc_call_submit(&rt.ring, &sig_call, sig, 0);
	first = ipc_call_wait(&rt.ring, &self_call, CAPOS_TIMEOUT_INFINITE);
	ipc_call_wait(&rt.ring, &sig_call, CAPOS_TIMEOUT_INFINITE);
	return first >= 0 ? 0 : -first;
}
