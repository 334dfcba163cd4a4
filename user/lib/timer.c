// SPDX-License-Identifier: MIT
/*
 * Timer client (timer.h). Params are framed with the generated builders in
 * a small arena on the stack; answers and exceptions are read with the
 * bounds-checked reader, like every answer.
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "client.h"
#include "ipc_call.h"
#include "timer.h"

#define TIMER_ARENA_WORDS 4

/* The CapException in req->result: its type (failed if it does not decode). */
static uint16_t exception_type(const struct timer_sleep_req *req)
{
	struct capnp_msg m;
	uint16_t type;

	if (req->cqe.written > sizeof(req->result) ||
	    capnp_msg_init_read(&m, req->result, req->cqe.written))
		return capos_CapException_Type_failed;
	type = capos_CapException_get_type(capos_CapException_root(&m));
	return capnp_msg_error(&m) ? capos_CapException_Type_failed : type;
}

int timer_now(capos_cap_t timer, uint64_t *ns)
{
	uint64_t arena[TIMER_ARENA_WORDS], params[TIMER_ARENA_WORDS], result[4];
	struct capos_Timer_now_Results r;
	struct capos_cqe cqe;
	struct capnp_msg m;
	size_t plen;
	int ret;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_Timer_now_Params_init_root(&m);
	if (!client_ring || capnp_msg_write(&m, params, sizeof(params), &plen))
		return CAPOS_ERR_INVALID_ARGUMENT;
	ret = uring_call(client_ring, timer, capos_Timer_now, params, (uint32_t)plen, result,
			 sizeof(result), NULL, 0, &cqe);
	if (ret < 0)
		return ret;
	if (cqe.written > sizeof(result) || capnp_msg_init_read(&m, result, cqe.written))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	r = capos_Timer_now_Results_root(&m);
	*ns = capos_Timer_now_Results_get_ns(r);
	return capnp_msg_error(&m) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

int timer_sleep_submit(capos_cap_t timer, uint64_t ns, struct timer_sleep_req *req)
{
	uint64_t arena[TIMER_ARENA_WORDS];
	struct capos_sqe *sqe;
	struct capnp_msg m;
	size_t plen;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_Timer_sleep_Params_set_ns(capos_Timer_sleep_Params_init_root(&m), ns);
	if (!client_ring || capnp_msg_write(&m, req->params, sizeof(req->params), &plen))
		return CAPOS_ERR_INVALID_ARGUMENT;
	sqe = uring_get_sqe(client_ring);
	if (!sqe && uring_enter(client_ring, 0, 0) >= 0)
		sqe = uring_get_sqe(client_ring);
	if (!sqe)
		return CAPOS_ERR_CQ_FULL;
	req->user_data = uring_next_id(client_ring);
	req->exc_type = 0;
	sqe->opcode = CAPOS_OP_CALL;
	sqe->cap_id = timer;
	sqe->method_id = capos_Timer_sleep;
	sqe->user_data = req->user_data;
	sqe->params_addr = (uint64_t)(uintptr_t)req->params;
	sqe->params_len = (uint32_t)plen;
	sqe->result_addr = (uint64_t)(uintptr_t)req->result;
	sqe->result_len = sizeof(req->result);
	uring_submit(client_ring);
	return 0;
}

int timer_sleep_start(capos_cap_t timer, uint64_t ns, struct timer_sleep_req *req)
{
	int err = timer_sleep_submit(timer, ns, req);

	if (err)
		return err;
	/* min_complete 0: the kernel takes the SQE and returns at once. */
	int64_t got = uring_enter(client_ring, 0, 0);

	return got < 0 ? (int)got : 0;
}

int timer_sleep_result(struct timer_sleep_req *req, const struct capos_cqe *cqe)
{
	req->cqe = *cqe;
	if (cqe->result == CAPOS_ERR_APPLICATION_EXCEPTION)
		req->exc_type = exception_type(req);
	return cqe->result < 0 ? cqe->result : 0;
}

int timer_sleep_wait(struct timer_sleep_req *req, uint64_t timeout_ns)
{
	struct capos_cqe cqe;
	int err;

	if (!client_ring)
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = ipc_wait_id(client_ring, req->user_data, timeout_ns, &cqe);
	return err ? err : timer_sleep_result(req, &cqe);
}

int timer_sleep(capos_cap_t timer, uint64_t ns)
{
	struct timer_sleep_req req;
	int err = timer_sleep_start(timer, ns, &req);

	return err ? err : timer_sleep_wait(&req, CAPOS_TIMEOUT_INFINITE);
}
