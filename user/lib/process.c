// SPDX-License-Identifier: MIT
/*
 * ProcessHandle.wait with per-wait buffers (process.h). The answer is read
 * with the bounds-checked reader, like any message the kernel wrote.
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "client.h"
#include "ipc_call.h"
#include "process.h"

/* The params message: wait takes none, so an empty struct. */
static int process_wait_params(struct process_wait *w, size_t *len)
{
	uint64_t arena[4];
	struct capnp_msg m;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_ProcessHandle_wait_Params_init_root(&m);
	return capnp_msg_write(&m, w->params, sizeof(w->params), len) ? CAPOS_ERR_TOO_LARGE : 0;
}

int process_wait_submit(struct uring *r, capos_cap_t handle, struct process_wait *w)
{
	size_t plen;
	int err = process_wait_params(w, &plen);

	if (err)
		return err;
	return uring_queue(r, &(struct capos_sqe){
		.opcode = CAPOS_OP_CALL,
		.cap_id = handle,
		.params_addr = (uint64_t)(uintptr_t)w->params,
		.params_len = (uint32_t)plen,
		.result_addr = (uint64_t)(uintptr_t)w->result,
		.result_len = sizeof(w->result),
		.method_id = capos_ProcessHandle_wait,
	}, &w->user_data);
}

int process_wait_decode(struct process_wait *w, const struct capos_cqe *cqe, int64_t *code)
{
	struct capos_ProcessHandle_wait_Results res;
	struct capnp_msg m;
	int64_t c;

	int err;

	w->cqe = *cqe;
	err = client_open_answer(cqe, w->result, sizeof(w->result), &m);
	if (err)
		return err;
	res = capos_ProcessHandle_wait_Results_root(&m);
	c = capos_ProcessHandle_wait_Results_get_exitCode(res);
	if (capnp_msg_error(&m))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*code = c;
	return 0;
}

int process_wait_end(struct uring *r, struct process_wait *w, uint64_t timeout_ns, int64_t *code)
{
	struct capos_cqe cqe;
	int err = ipc_wait_id(r, w->user_data, timeout_ns, &cqe);

	return err ? err : process_wait_decode(w, &cqe, code);
}
