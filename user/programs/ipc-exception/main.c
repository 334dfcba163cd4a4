// SPDX-License-Identifier: MIT
/*
 * ipc-exception (QEMU scenario ipc-exception): CapExceptions on RETURN. The
 * Echo server raises each CapException type with a reason (Echo.raise); the
 * caller sees CAPOS_ERR_APPLICATION_EXCEPTION with the same type and reason,
 * up to a 200-byte reason. In one process with raw RETURNs: an answer, or an
 * exception, larger than the caller's result buffer fails the RETURN with
 * RESULT_TOO_SMALL and the caller with RESULT_TOO_SMALL (or, for the
 * exception, APPLICATION_EXCEPTION_TRUNCATED).
 */
#include "capos.capnp.h"
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

static struct ipc_call c1;
static uint64_t recv_buf[256], small_result[2], msg[64], arena[64], params[8];
static char reason[201];

static void raise_each_type(capos_cap_t ep)
{
	static const char *const names[] = { "raise_failed", "raise_overloaded",
		"raise_disconnected", "raise_unimplemented", "raise_invalid_argument" };
	uint16_t t;
	int err;

	for (t = 0; t < 5; t++) {
		err = echo_raise(&rt.ring, &c1, ep, t, names[t]);
		check(err == CAPOS_ERR_APPLICATION_EXCEPTION && c1.exc_type == t &&
		      !strncmp(c1.exc_reason, names[t], 32), names[t], err ? c1.exc_type : 0);
	}
	memset(reason, 'r', 200);
	err = echo_raise(&rt.ring, &c1, ep, capos_CapException_Type_failed, reason);
	check(err == CAPOS_ERR_APPLICATION_EXCEPTION && strlen(c1.exc_reason) == 200 &&
	      !strncmp(c1.exc_reason, reason, 201), "reason_of_200_bytes_kept",
	      (long long)strlen(c1.exc_reason));
	check_err(echo_echo(&rt.ring, &c1, ep, "after", 5), 0, "server_serves_after_raising");
}

/* Queues a raw CALL whose result buffer is 16 bytes; returns its user_data. */
static uint64_t small_call(capos_cap_t facet)
{
	struct capos_sqe *sqe = uring_get_sqe(&rt.ring);
	uint64_t ud = uring_next_id(&rt.ring);
	struct capnp_msg m;
	size_t len = 0;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	echo_Echo_echo_Params_set_data(echo_Echo_echo_Params_init_root(&m), "x", 1);
	capnp_msg_write(&m, params, sizeof(params), &len);
	*sqe = (struct capos_sqe){ .opcode = CAPOS_OP_CALL, .cap_id = facet, .user_data = ud,
		.params_addr = (uint64_t)(uintptr_t)params, .params_len = (uint32_t)len,
		.result_addr = (uint64_t)(uintptr_t)small_result,
		.result_len = sizeof(small_result) };
	return ud;
}

static uint32_t recv_one(capos_cap_t owner)
{
	struct capos_cqe cqe;
	uint64_t rid;

	ipc_recv_submit(&rt.ring, owner, recv_buf, sizeof(recv_buf), &rid);
	ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe);
	return cqe.result > 0 ? cqe.call_id : 0;
}

static void too_small(capos_cap_t f)
{
	capos_cap_t owner, facet;
	struct capos_CapException_builder e;
	struct capos_cqe cqe;
	struct capnp_msg m;
	size_t len = 0;
	uint64_t ud;
	int ret;

	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &owner, &facet), 0, "create"))
		return;
	ud = small_call(facet);
	capnp_msg_init_build(&m, arena, sizeof(arena));
	echo_Echo_echo_Results_set_data(echo_Echo_echo_Results_init_root(&m), reason, 100);
	capnp_msg_write(&m, msg, sizeof(msg), &len);
	ret = ipc_return(&rt.ring, owner, recv_one(owner), 0, msg, (uint32_t)len, NULL, 0);
	check_err(ret, CAPOS_ERR_RESULT_TOO_SMALL, "return_into_small_buffer_fails");
	ipc_wait_id(&rt.ring, ud, CAPOS_TIMEOUT_INFINITE, &cqe);
	check_err(cqe.result, CAPOS_ERR_RESULT_TOO_SMALL, "caller_sees_result_too_small");

	ud = small_call(facet);
	capnp_msg_init_build(&m, arena, sizeof(arena));
	e = capos_CapException_init_root(&m);
	capos_CapException_set_type(e, capos_CapException_Type_failed);
	capos_CapException_set_reason(e, reason, 100);
	capnp_msg_write(&m, msg, sizeof(msg), &len);
	ret = ipc_return(&rt.ring, owner, recv_one(owner), CAPOS_SQE_F_EXCEPTION, msg,
			 (uint32_t)len, NULL, 0);
	check_note("exception RETURN into a small buffer gives", ret);
	ipc_wait_id(&rt.ring, ud, CAPOS_TIMEOUT_INFINITE, &cqe);
	check(cqe.result == CAPOS_ERR_RESULT_TOO_SMALL ||
	      cqe.result == CAPOS_ERR_APPLICATION_EXCEPTION_TRUNCATED,
	      "caller_sees_exception_did_not_fit", cqe.result);
	cap_release(facet);
	cap_release(owner);
}

int main(void)
{
	capos_cap_t f = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t h, ep;
	int64_t code = -1;

	check_init("ipc-exception");
	memset(reason, 'r', 200);
	if (check_err(echo_spawn(sp, rt.console, "ipc-echo", &h, &ep), 0, "spawn_server")) {
		raise_each_type(ep);
		check_err(echo_stop(&rt.ring, &c1, ep, NULL), 0, "stop");
		check_err(process_wait(h, &code), 0, "wait_server");
		check(code == 0, "server_exit_code", code);
		cap_release(h);
		cap_release(ep);
	}
	too_small(f);
	return check_done();
}
