/* SPDX-License-Identifier: MIT */
/*
 * Calls to services, one struct ipc_call per call in flight: each owns its
 * params, result and transfer buffers, so a client can keep many calls in
 * flight at once (client.h's wrappers are one at a time). A call is:
 * ipc_call_begin(), build the params in c->msg with the generated builders
 * (and ipc_call_add_cap for capabilities sent), ipc_call_submit() (queued in
 * the SQ, not yet entered), later ipc_call_wait(), then read the answer
 * from c->msg (the params message is then gone) or the CapException in
 * c->exc_type / c->exc_reason. ipc_call_run() is submit + wait.
 */
#ifndef CAPOS_USER_IPC_CALL_H
#define CAPOS_USER_IPC_CALL_H

#include <capos/cap.h>
#include <capos/endpoint.h>
#include <capos/ring.h>

#include "capnp/capnp.h"
#include "uring.h"

#define IPC_CALL_MSG_MAX 9216u		/* bytes of a params or result message */
#define IPC_CALL_REASON_MAX 256u

struct ipc_call {
	struct capnp_msg msg;		/* params being built, then the answer */
	uint64_t user_data;		/* of the submitted CALL */
	struct capos_cqe cqe;		/* its completion */
	uint8_t nxfer;
	struct capos_xfer xfer[CAPOS_XFER_MAX];
	uint16_t exc_type;		/* after CAPOS_ERR_APPLICATION_EXCEPTION */
	char exc_reason[IPC_CALL_REASON_MAX];
	uint64_t arena[IPC_CALL_MSG_MAX / 8];
	uint64_t params[IPC_CALL_MSG_MAX / 8 + 1];
	uint64_t result[(IPC_CALL_MSG_MAX + CAPOS_XFER_MAX * sizeof(struct capos_xfer_result)) / 8];
};

/* Starts building params in c->msg. */
void ipc_call_begin(struct ipc_call *c);

/* Sends cap with the call (CAPOS_XFER_COPY or _MOVE). Returns its index or CAPOS_ERR_TOO_LARGE. */
int ipc_call_add_cap(struct ipc_call *c, capos_cap_t cap, uint8_t mode);

/*
 * Frames the params and queues CALL method of cap (no cap_enter: the next
 * enter or wait sends it). Returns 0, CAPOS_ERR_TOO_LARGE or CAPOS_ERR_CQ_FULL.
 */
int ipc_call_submit(struct uring *r, struct ipc_call *c, capos_cap_t cap, uint16_t method);

/*
 * Waits for the call's completion (at most timeout_ns; CAPOS_ERR_TIMED_OUT
 * leaves it in flight). Returns the CQE result: >= 0 with the answer open in
 * c->msg (CAPOS_ERR_MALFORMED_MESSAGE if it does not decode), or a negative
 * CAPOS_ERR_*; CAPOS_ERR_APPLICATION_EXCEPTION fills exc_type/exc_reason.
 */
int ipc_call_wait(struct uring *r, struct ipc_call *c, uint64_t timeout_ns);

/*
 * Reads c's completion cqe, reaped by the caller, as ipc_call_wait does;
 * returns what ipc_call_wait would have.
 */
int ipc_call_complete(struct ipc_call *c, const struct capos_cqe *cqe);

/* ipc_call_submit, then ipc_call_wait without a time limit. */
int ipc_call_run(struct uring *r, struct ipc_call *c, capos_cap_t cap, uint16_t method);

/*
 * Capability record `index` of the answer, if its interface is iface (0:
 * any). Returns 0, CAPOS_ERR_INVALID_ARGUMENT or CAPOS_ERR_WRONG_INTERFACE.
 */
int ipc_call_record(const struct ipc_call *c, uint32_t index, uint64_t iface, capos_cap_t *cap);

/*
 * Raw endpoint operations for tests and hand-written servers. ipc_wait_id
 * waits (at most timeout_ns) for the completion with this user_data, other
 * completions going to the ring's stash; ipc_recv_submit queues a RECV into
 * buf[0..len) and gives its user_data; ipc_return RETURNs synchronously.
 */
int ipc_wait_id(struct uring *r, uint64_t user_data, uint64_t timeout_ns, struct capos_cqe *out);
int ipc_recv_submit(struct uring *r, capos_cap_t ep, void *buf, uint32_t len, uint64_t *user_data);
int ipc_return(struct uring *r, capos_cap_t ep, uint32_t call_id, uint16_t flags, const void *msg,
	       uint32_t len, const struct capos_xfer *xfer, uint8_t n);

#endif
