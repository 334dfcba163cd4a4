// SPDX-License-Identifier: MIT
/*
 * ipc-hostile (QEMU scenario ipc-hostile): a server that misbehaves, in one
 * process with raw RETURNs. RETURN of unknown call ids (never issued, zero,
 * another endpoint's), with unmapped, misaligned, kernel and oversized
 * buffers (one running on into an unmapped page), with bad transfer
 * descriptors, or on a client facet: each fails with its own error and the
 * call stays answerable; the real answer is delivered once, and a second
 * RETURN of the same id is NO_SUCH_CALL. A malformed CapException reaches
 * the caller as APPLICATION_EXCEPTION, whose decoding then reports type
 * failed. RECV on a facet is refused. The same bad answers ride on RECV |
 * REPLY, and bad CALLs meet a waiting RECV, each alone in the SQ: the
 * batches the IPC fast path takes (the scenario checks that it took them).
 * Each fails with its own error; a failed RECV | REPLY says
 * CAPOS_CQE_F_REPLY_FAILED and the call stays open, with a bad receive
 * buffer too (unmapped or in the kernel half).
 */
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

static struct ipc_call c1;
static uint64_t recv_buf[256], answer[16], arena[16];
static uint32_t answer_len;

static uint32_t recv_one(capos_cap_t owner)
{
	struct capos_cqe cqe;
	uint64_t rid;

	ipc_recv_submit(&rt.ring, owner, recv_buf, sizeof(recv_buf), &rid);
	ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe);
	return cqe.result > 0 ? cqe.call_id : 0;
}

static int ret_raw(capos_cap_t ep, uint32_t id, uint64_t addr, uint32_t len,
		   const struct capos_xfer *x, uint8_t n)
{
	struct capos_sqe sqe = { .opcode = CAPOS_OP_RETURN, .cap_id = ep, .call_id = id,
		.params_addr = addr, .params_len = len, .xfer_count = n,
		.xfer_addr = (uint64_t)(uintptr_t)x };

	return uring_run(&rt.ring, &sqe, NULL);
}

static void bad_returns(capos_cap_t owner, capos_cap_t facet, capos_cap_t other, uint32_t id)
{
	uint64_t a = (uint64_t)(uintptr_t)answer;
	struct capos_xfer x = { .cap_id = rt.console, .mode = CAPOS_XFER_COPY };

	check_err(ret_raw(owner, id + 1000, a, answer_len, NULL, 0), CAPOS_ERR_NO_SUCH_CALL,
		  "unknown_call_id");
	check_err(ret_raw(owner, 0, a, answer_len, NULL, 0), CAPOS_ERR_NO_SUCH_CALL,
		  "call_id_zero");
	check_err(ret_raw(other, id, a, answer_len, NULL, 0), CAPOS_ERR_NO_SUCH_CALL,
		  "call_id_of_another_endpoint");
	check(ret_raw(facet, id, a, answer_len, NULL, 0) < 0, "return_on_a_facet_refused", 0);
	check_err(ret_raw(owner, id, 0x10000000000ull, answer_len, NULL, 0), CAPOS_ERR_BAD_ADDRESS,
		  "unmapped_answer");
	/* The heap's mapping ends at base + size: an answer read on past it. */
	check_err(ret_raw(owner, id, (uint64_t)(uintptr_t)rt.heap.base + rt.heap.size - 8,
			  answer_len, NULL, 0), CAPOS_ERR_BAD_ADDRESS,
		  "answer_running_into_unmapped_page");
	check_err(ret_raw(owner, id, 0xffffffff80000000ull, answer_len, NULL, 0),
		  CAPOS_ERR_BAD_ADDRESS, "kernel_address_answer");
	check_err(ret_raw(owner, id, a + 4, answer_len, NULL, 0), CAPOS_ERR_MISALIGNED,
		  "misaligned_answer");
	check_err(ret_raw(owner, id, a, CAPOS_PARAMS_MAX + 8, NULL, 0), CAPOS_ERR_TOO_LARGE,
		  "oversized_answer");
	x.mode = 3;
	check_err(ret_raw(owner, id, a, answer_len, &x, 1), CAPOS_ERR_INVALID_XFER,
		  "bad_xfer_mode");
	x.mode = CAPOS_XFER_COPY;
	x.reserved1 = 1;
	check(ret_raw(owner, id, a, answer_len, &x, 1) < 0, "xfer_reserved_nonzero_refused", 0);
	x.reserved1 = 0;
	x.cap_id = 0x0fff0001u;
	check_err(ret_raw(owner, id, a, answer_len, &x, 1), CAPOS_ERR_INVALID_CAP,
		  "xfer_of_forged_cap");
}

/* RECV | REPLY of call id with the answer at addr/len into the receive buffer rbuf. */
static struct capos_cqe reply_raw(capos_cap_t ep, uint32_t id, uint64_t addr, uint32_t len,
				  uint64_t rbuf)
{
	struct capos_sqe sqe = { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY, .cap_id = ep,
		.call_id = id, .params_addr = addr, .params_len = len, .result_addr = rbuf,
		.result_len = sizeof(recv_buf) };
	struct capos_cqe cqe = { .result = 1 };

	uring_run(&rt.ring, &sqe, &cqe);
	return cqe;
}

static bool reply_failed(struct capos_cqe c, int err)
{
	return c.result == err && c.flags == CAPOS_CQE_F_REPLY_FAILED;
}

static void bad_reply_recvs(capos_cap_t owner, capos_cap_t other, uint32_t id)
{
	uint64_t a = (uint64_t)(uintptr_t)answer, r = (uint64_t)(uintptr_t)recv_buf;
	uint64_t end = (uint64_t)(uintptr_t)rt.heap.base + rt.heap.size - 8;

	check(reply_failed(reply_raw(owner, id + 1000, a, answer_len, r), CAPOS_ERR_NO_SUCH_CALL),
	      "reply_recv_unknown_call_id", 0);
	check(reply_failed(reply_raw(other, id, a, answer_len, r), CAPOS_ERR_NO_SUCH_CALL),
	      "reply_recv_call_id_of_another_endpoint", 0);
	check(reply_failed(reply_raw(owner, id, 0x10000000000ull, answer_len, r),
			   CAPOS_ERR_BAD_ADDRESS), "reply_recv_unmapped_answer", 0);
	check(reply_failed(reply_raw(owner, id, end, answer_len, r), CAPOS_ERR_BAD_ADDRESS),
	      "reply_recv_answer_running_into_unmapped_page", 0);
	check(reply_failed(reply_raw(owner, id, 0xffffffff80000000ull, answer_len, r),
			   CAPOS_ERR_BAD_ADDRESS), "reply_recv_kernel_address_answer", 0);
	check(reply_failed(reply_raw(owner, id, a + 4, answer_len, r), CAPOS_ERR_MISALIGNED),
	      "reply_recv_misaligned_answer", 0);
	check(reply_failed(reply_raw(owner, id, a, answer_len, 0x10000000000ull),
			   CAPOS_ERR_BAD_ADDRESS), "reply_recv_unmapped_receive_buffer", 0);
	check(reply_failed(reply_raw(owner, id, a, answer_len, 0xffff800000001000ull),
			   CAPOS_ERR_BAD_ADDRESS), "reply_recv_kernel_receive_buffer", 0);
}

/* A lone CALL of the facet with params and result buffer as given; its CQE result. */
static int call_raw(capos_cap_t facet, uint64_t params, uint32_t plen, uint64_t result)
{
	struct capos_sqe sqe = { .opcode = CAPOS_OP_CALL, .cap_id = facet,
		.method_id = echo_Echo_echo, .params_addr = params, .params_len = plen,
		.result_addr = result, .result_len = 64 };

	return uring_run(&rt.ring, &sqe, NULL);
}

/* Bad CALLs meeting a waiting RECV, which must still get the good call after them. */
static void bad_calls(capos_cap_t owner, capos_cap_t facet)
{
	uint64_t res = (uint64_t)(uintptr_t)(recv_buf + 128), rid;
	uint64_t end = (uint64_t)(uintptr_t)rt.heap.base + rt.heap.size - 8;
	struct capos_cqe cqe;

	ipc_recv_submit(&rt.ring, owner, recv_buf, 512, &rid);
	uring_enter(&rt.ring, 0, 0);
	check_err(call_raw(facet, 0x10000000000ull, answer_len, res), CAPOS_ERR_BAD_ADDRESS,
		  "lone_call_unmapped_params");
	check_err(call_raw(facet, end, answer_len, res), CAPOS_ERR_BAD_ADDRESS,
		  "lone_call_params_running_into_unmapped_page");
	check_err(call_raw(facet, (uint64_t)(uintptr_t)answer, answer_len, 0x10000000000ull),
		  CAPOS_ERR_BAD_ADDRESS, "lone_call_unmapped_result_buffer");
	check_err(call_raw(facet, (uint64_t)(uintptr_t)answer, answer_len, 0xffff800000001000ull),
		  CAPOS_ERR_BAD_ADDRESS, "lone_call_kernel_result_buffer");
	check_err(echo_submit_echo(&rt.ring, &c1, facet, "after", 5), 0, "good_call_after_bad");
	uring_enter(&rt.ring, 0, 0);
	ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe);
	check(cqe.result > 0, "waiting_recv_gets_the_good_call", cqe.result);
	check_err(ret_raw(owner, cqe.call_id, (uint64_t)(uintptr_t)answer, answer_len, NULL, 0), 0,
		  "good_call_answered");
	check(ipc_call_wait(&rt.ring, &c1, CAPOS_TIMEOUT_INFINITE) >= 0, "good_caller_answered", 0);
}

static void answer_once(capos_cap_t owner, capos_cap_t facet, capos_cap_t other)
{
	uint32_t id;

	check_err(echo_submit_echo(&rt.ring, &c1, facet, "hostile", 7), 0, "call");
	id = recv_one(owner);
	check(id != 0, "received", id);
	bad_returns(owner, facet, other, id);
	bad_reply_recvs(owner, other, id);
	check_err(ret_raw(owner, id, (uint64_t)(uintptr_t)answer, answer_len, NULL, 0), 0,
		  "call_still_open_after_bad_returns");
	check_err(ipc_call_wait(&rt.ring, &c1, CAPOS_TIMEOUT_INFINITE) < 0 ? -1 :
		  echo_check_echo(&c1, "hostile", 7), 0, "caller_gets_the_real_answer");
	check_err(ret_raw(owner, id, (uint64_t)(uintptr_t)answer, answer_len, NULL, 0),
		  CAPOS_ERR_NO_SUCH_CALL, "second_return_of_same_id");
}

static void malformed_exception(capos_cap_t owner, capos_cap_t facet)
{
	static const uint64_t junk[2] = { 0x0000000500000000ull, 0x4141414141414141ull };
	uint32_t id;
	int ret;

	echo_submit_echo(&rt.ring, &c1, facet, "x", 1);
	id = recv_one(owner);
	ret = ipc_return(&rt.ring, owner, id, CAPOS_SQE_F_EXCEPTION, junk, sizeof(junk), NULL, 0);
	check_note("RETURN of a malformed CapException gives", ret);
	ret = ipc_call_wait(&rt.ring, &c1, CAPOS_TIMEOUT_INFINITE);
	check(ret < 0, "caller_of_malformed_exception_sees_an_error", ret);
	if (ret == CAPOS_ERR_APPLICATION_EXCEPTION)
		check(c1.exc_type == capos_CapException_Type_failed,
		      "malformed_exception_reads_failed", c1.exc_type);
}

int main(void)
{
	capos_cap_t f = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	capos_cap_t owner, facet, o2, f2;
	struct capos_cqe cqe;
	struct capnp_msg m;
	size_t len = 0;
	uint64_t rid;

	check_init("ipc-hostile");
	capnp_msg_init_build(&m, arena, sizeof(arena));
	echo_Echo_echo_Results_set_data(echo_Echo_echo_Results_init_root(&m), "hostile", 7);
	capnp_msg_write(&m, answer, sizeof(answer), &len);
	answer_len = (uint32_t)len;
	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &owner, &facet), 0, "create") ||
	    !check_err(endpoint_create(f, echo_Echo_TYPE_ID, &o2, &f2), 0, "create2"))
		return check_done();
	ipc_recv_submit(&rt.ring, facet, recv_buf, sizeof(recv_buf), &rid);
	ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe);
	check_err(cqe.result, CAPOS_ERR_NOT_PERMITTED, "recv_on_a_facet_refused");
	answer_once(owner, facet, o2);
	bad_calls(owner, facet);
	malformed_exception(owner, facet);
	cap_release(facet);
	cap_release(owner);
	cap_release(f2);
	cap_release(o2);
	return check_done();
}
