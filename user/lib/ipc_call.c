// SPDX-License-Identifier: MIT
/*
 * Calls to services with per-call buffers (ipc_call.h). Waiting with a time
 * limit reaps like uring_wait, but enters with the caller's timeout; other
 * completions go to the ring's stash, where their own waiters find them.
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "ipc_call.h"
#include "ustring.h"

void ipc_call_begin(struct ipc_call *c)
{
	c->nxfer = 0;
	c->user_data = 0;
	c->exc_type = 0;
	c->exc_reason[0] = '\0';
	capnp_msg_init_build(&c->msg, c->arena, sizeof(c->arena));
}

int ipc_call_add_cap(struct ipc_call *c, capos_cap_t cap, uint8_t mode)
{
	if (c->nxfer >= CAPOS_XFER_MAX)
		return CAPOS_ERR_TOO_LARGE;
	c->xfer[c->nxfer] = (struct capos_xfer){ .cap_id = cap, .mode = mode };
	return c->nxfer++;
}

int ipc_call_submit(struct uring *r, struct ipc_call *c, capos_cap_t cap, uint16_t method)
{
	size_t plen;

	if (capnp_msg_write(&c->msg, c->params, sizeof(c->params), &plen))
		return CAPOS_ERR_TOO_LARGE;
	return uring_queue(r, &(struct capos_sqe){
		.opcode = CAPOS_OP_CALL,
		.xfer_count = c->nxfer,
		.cap_id = cap,
		.params_addr = (uint64_t)(uintptr_t)c->params,
		.result_addr = (uint64_t)(uintptr_t)c->result,
		.xfer_addr = c->nxfer ? (uint64_t)(uintptr_t)c->xfer : 0,
		.params_len = (uint32_t)plen,
		.result_len = sizeof(c->result),
		.method_id = method,
	}, &c->user_data);
}

int ipc_wait_id(struct uring *r, uint64_t user_data, uint64_t timeout_ns, struct capos_cqe *out)
{
	int64_t ret;
	int found;

	while ((found = uring_find(r, user_data, out)) == 0) {
		ret = uring_enter(r, 1, timeout_ns);
		if (ret < 0)
			return (int)ret;
		if (ret == 0)	/* timeout_ns 0: cap_enter does not wait */
			return CAPOS_ERR_TIMED_OUT;
	}
	return found < 0 ? found : 0;
}

int ipc_recv_submit(struct uring *r, capos_cap_t ep, void *buf, uint32_t len, uint64_t *user_data)
{
	struct capos_sqe *sqe = uring_get_sqe(r);

	if (!sqe && uring_enter(r, 0, 0) >= 0)
		sqe = uring_get_sqe(r);
	if (!sqe)
		return CAPOS_ERR_CQ_FULL;
	*user_data = uring_next_id(r);
	*sqe = (struct capos_sqe){
		.opcode = CAPOS_OP_RECV,
		.cap_id = ep,
		.user_data = *user_data,
		.result_addr = (uint64_t)(uintptr_t)buf,
		.result_len = len,
	};
	return 0;
}

int ipc_return(struct uring *r, capos_cap_t ep, uint32_t call_id, uint16_t flags, const void *msg,
	       uint32_t len, const struct capos_xfer *xfer, uint8_t n)
{
	struct capos_sqe sqe = {
		.opcode = CAPOS_OP_RETURN,
		.flags = flags,
		.xfer_count = n,
		.cap_id = ep,
		.call_id = call_id,
		.params_addr = (uint64_t)(uintptr_t)msg,
		.params_len = len,
		.xfer_addr = n ? (uint64_t)(uintptr_t)xfer : 0,
	};

	return uring_run(r, &sqe, NULL);
}

static void ipc_call_exception(struct ipc_call *c)
{
	struct capos_CapException e;
	struct capnp_text t;
	uint32_t n;

	c->exc_type = capos_CapException_Type_failed;
	if (c->cqe.written > sizeof(c->result) ||
	    capnp_msg_init_read(&c->msg, c->result, c->cqe.written))
		return;
	e = capos_CapException_root(&c->msg);
	t = capos_CapException_get_reason(e);
	if (capnp_msg_error(&c->msg))
		return;
	c->exc_type = capos_CapException_get_type(e);
	n = t.len < IPC_CALL_REASON_MAX - 1 ? t.len : IPC_CALL_REASON_MAX - 1;
	memcpy(c->exc_reason, t.str, n);
	c->exc_reason[n] = '\0';
}

int ipc_call_wait(struct uring *r, struct ipc_call *c, uint64_t timeout_ns)
{
	struct capos_cqe cqe;
	int err = ipc_wait_id(r, c->user_data, timeout_ns, &cqe);

	return err ? err : ipc_call_complete(c, &cqe);
}

int ipc_call_complete(struct ipc_call *c, const struct capos_cqe *cqe)
{
	c->cqe = *cqe;
	if (c->cqe.result == CAPOS_ERR_APPLICATION_EXCEPTION)
		ipc_call_exception(c);
	if (c->cqe.result < 0)
		return c->cqe.result;
	if (c->cqe.written > IPC_CALL_MSG_MAX ||
	    capnp_msg_init_read(&c->msg, c->result, c->cqe.written))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	return c->cqe.result;
}

int ipc_call_run(struct uring *r, struct ipc_call *c, capos_cap_t cap, uint16_t method)
{
	int err = ipc_call_submit(r, c, cap, method);

	return err ? err : ipc_call_wait(r, c, CAPOS_TIMEOUT_INFINITE);
}

int ipc_call_record(const struct ipc_call *c, uint32_t index, uint64_t iface, capos_cap_t *cap)
{
	uint32_t off = (c->cqe.written + 7u) & ~7u;
	const struct capos_xfer_result *rec;

	if (!(c->cqe.flags & CAPOS_CQE_F_XFER) || index >= c->cqe.xfer_count ||
	    off + (uint64_t)(index + 1) * sizeof(*rec) > sizeof(c->result))
		return CAPOS_ERR_INVALID_ARGUMENT;
	rec = (const struct capos_xfer_result *)((const uint8_t *)c->result + off) + index;
	if (iface && rec->interface_id != iface)
		return CAPOS_ERR_WRONG_INTERFACE;
	*cap = rec->cap_id;
	return 0;
}
