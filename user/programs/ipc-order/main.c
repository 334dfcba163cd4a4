// SPDX-License-Identifier: MIT
/*
 * ipc-order (QEMU scenario ipc-order): the two orders in which a call and a
 * receive can meet, in one process with an endpoint from EndpointFactory.
 * Call before receive: the CALL is queued, a later RECV takes it. Receive
 * before call: the RECV waits (no completion), the CALL meets it. Queued
 * calls are received first in, first out. A RECV whose buffer cannot hold
 * the call completes with RESULT_TOO_SMALL and leaves the call queued. Each
 * RECV delivers the header (call id, method, interface, sizes) and params;
 * each RETURN completes the caller's CALL with the answer.
 */
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

static struct ipc_call calls[3];
static uint64_t recv_buf[256];
static uint64_t answer[64], arena[64];

/* RETURNs an Echo.echo answer holding text. */
static int answer_echo(capos_cap_t owner, uint32_t call_id, const char *text)
{
	struct capnp_msg m;
	size_t len = 0;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	echo_Echo_echo_Results_set_data(echo_Echo_echo_Results_init_root(&m), text,
					(uint32_t)strlen(text));
	capnp_msg_write(&m, answer, sizeof(answer), &len);
	return ipc_return(&rt.ring, owner, call_id, 0, answer, (uint32_t)len, NULL, 0);
}

/* Receives one call; checks it is Echo.echo of `text`; returns its call id or 0. */
static uint32_t recv_echo(capos_cap_t owner, const char *text, const char *name)
{
	const struct capos_recv_header *h = (const void *)recv_buf;
	struct capos_cqe cqe;
	struct capnp_msg m;
	struct capnp_data d;
	uint64_t id;
	int err = ipc_recv_submit(&rt.ring, owner, recv_buf, sizeof(recv_buf), &id);

	if (!err)
		err = ipc_wait_id(&rt.ring, id, CAPOS_TIMEOUT_INFINITE, &cqe);
	if (!err)
		err = cqe.result < 0 ? cqe.result : 0;
	if (!check_err(err, 0, name))
		return 0;
	check(h->method_id == echo_Echo_echo && h->interface_id == echo_Echo_TYPE_ID &&
	      h->call_id == cqe.call_id && cqe.written == 64 + h->params_len &&
	      h->xfer_count == 0, "recv_header_fields", h->method_id);
	capnp_msg_init_read(&m, (uint8_t *)recv_buf + 64, h->params_len);
	d = echo_Echo_echo_Params_get_data(echo_Echo_echo_Params_root(&m));
	check(!capnp_msg_error(&m) && d.len == strlen(text) && !memcmp(d.ptr, text, d.len),
	      "recv_params_are_the_callers", d.len);
	return h->call_id;
}

static void call_before_recv(capos_cap_t owner, capos_cap_t facet)
{
	uint32_t id;

	check_err(echo_submit_echo(&rt.ring, &calls[0], facet, "first", 5), 0, "cbr_submit");
	check(uring_enter(&rt.ring, 0, 0) >= 0, "cbr_call_queued", 0);
	check_err(ipc_call_wait(&rt.ring, &calls[0], 0), CAPOS_ERR_TIMED_OUT,
		  "cbr_call_waits_for_server");
	id = recv_echo(owner, "first", "cbr_recv_takes_queued_call");
	check_err(answer_echo(owner, id, "first"), 0, "cbr_return");
	check_err(ipc_call_wait(&rt.ring, &calls[0], CAPOS_TIMEOUT_INFINITE) < 0 ? -1 :
		  echo_check_echo(&calls[0], "first", 5), 0, "cbr_caller_gets_answer");
}

static void recv_before_call(capos_cap_t owner, capos_cap_t facet)
{
	const struct capos_recv_header *h = (const void *)recv_buf;
	struct capos_cqe cqe;
	uint64_t rid;

	check_err(ipc_recv_submit(&rt.ring, owner, recv_buf, sizeof(recv_buf), &rid), 0,
		  "rbc_recv_submit");
	check_err(ipc_wait_id(&rt.ring, rid, 0, &cqe), CAPOS_ERR_TIMED_OUT, "rbc_recv_waits");
	check_err(echo_submit_echo(&rt.ring, &calls[1], facet, "second", 6), 0, "rbc_call");
	check_err(ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe), 0,
		  "rbc_recv_completes");
	check(cqe.result == (int)(64 + h->params_len), "rbc_recv_result_is_size", cqe.result);
	check_err(answer_echo(owner, h->call_id, "second"), 0, "rbc_return");
	check_err(ipc_call_wait(&rt.ring, &calls[1], CAPOS_TIMEOUT_INFINITE) < 0 ? -1 :
		  echo_check_echo(&calls[1], "second", 6), 0, "rbc_caller_gets_answer");
}

static void fifo_and_small_buffer(capos_cap_t owner, capos_cap_t facet)
{
	static const char *const text[3] = { "zero", "one", "two" };
	struct capos_cqe cqe;
	uint32_t i, id;
	uint64_t rid;

	for (i = 0; i < 3; i++)
		echo_submit_echo(&rt.ring, &calls[i], facet, text[i], (uint32_t)strlen(text[i]));
	uring_enter(&rt.ring, 0, 0);
	ipc_recv_submit(&rt.ring, owner, recv_buf, 64, &rid);
	check_err(ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe), 0, "small_recv_done");
	check_err(cqe.result, CAPOS_ERR_RESULT_TOO_SMALL, "small_recv_buffer_rejected");
	for (i = 0; i < 3; i++) {
		id = recv_echo(owner, text[i], "fifo_recv");
		answer_echo(owner, id, text[i]);
	}
	for (i = 0; i < 3; i++)
		check_err(ipc_call_wait(&rt.ring, &calls[i], CAPOS_TIMEOUT_INFINITE) < 0 ? -1 :
			  echo_check_echo(&calls[i], text[i], (uint32_t)strlen(text[i])), 0,
			  "fifo_answers_match");
}

int main(void)
{
	capos_cap_t f = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	capos_cap_t owner, facet;

	check_init("ipc-order");
	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &owner, &facet), 0, "create"))
		return check_done();
	call_before_recv(owner, facet);
	recv_before_call(owner, facet);
	fifo_and_small_buffer(owner, facet);
	check_err(cap_release(facet), 0, "release_facet");
	check_err(cap_release(owner), 0, "release_owner");
	return check_done();
}
