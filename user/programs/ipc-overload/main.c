// SPDX-License-Identifier: MIT
/*
 * ipc-overload (QEMU scenario ipc-overload): the endpoint's bounded queues,
 * in one process with raw SQEs. 128 CALLs with no RECV all wait; the 129th
 * completes at once with a CapException of type overloaded. Draining them
 * (RECV + RETURN each) completes all 128, and the endpoint works again.
 * Then 128 calls received and not answered fill the in-flight list: a
 * further RECV completes with QUEUE_FULL and the call stays queued until an
 * answer frees a place. A RECV that waits holds a place among the
 * unanswered calls too (the call it takes becomes one): with 120 received,
 * only 8 of 16 RECVs may wait, and 16 calls then make 128 unanswered, never
 * 136. Completions are reaped by hand (got[] by user_data), since up to 129
 * arrive at once.
 */
#include "capos.capnp.h"
#include "check.h"
#include "echo.capnp.h"
#include "rt.h"

#define OV_BOUND 128u
#define OV_UD_CALL 1u			/* user_data of call i: OV_UD_CALL + i */
#define OV_UD_OTHER 400u		/* RECVs and RETURNs */
#define OV_UD_OTHERS 512u		/* RECV/RETURN ids cycle through these */
#define OV_UD_MAX (OV_UD_OTHER + OV_UD_OTHERS)

static uint64_t params[8], answer[8], arena[16];
#define OV_EXTRA 16u			/* calls past the bound (waiting_recvs_hold_places) */
static uint64_t results[OV_BOUND + OV_EXTRA][16];
static uint64_t recv_buf[64];
static uint32_t params_len, answer_len;
static struct capos_cqe got[OV_UD_MAX];
static bool have[OV_UD_MAX];
static uint32_t next_other;

static struct capos_sqe *ov_sqe(uint64_t ud)
{
	struct capos_sqe *sqe = uring_get_sqe(&rt.ring);

	if (!sqe) {
		uring_enter(&rt.ring, 0, 0);
		sqe = uring_get_sqe(&rt.ring);
	}
	if (sqe) {
		sqe->user_data = ud;
		have[ud] = false;
	}
	return sqe;
}

static void ov_reap(void)
{
	struct capos_cqe c;

	while (uring_reap(&rt.ring, &c)) {
		if (c.user_data < OV_UD_MAX) {
			got[c.user_data] = c;
			have[c.user_data] = true;
		}
	}
}

/* Waits for ud's completion; returns its result or a cap_enter error. */
static int ov_wait(uint64_t ud)
{
	int64_t r;

	for (ov_reap(); !have[ud]; ov_reap()) {
		r = uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE);
		if (r < 0)
			return (int)r;
	}
	return got[ud].result;
}

static void ov_call(capos_cap_t facet, uint32_t i)
{
	struct capos_sqe *sqe = ov_sqe(OV_UD_CALL + i);

	if (!sqe)
		return;
	sqe->opcode = CAPOS_OP_CALL;
	sqe->cap_id = facet;
	sqe->method_id = echo_Echo_echo;
	sqe->params_addr = (uint64_t)(uintptr_t)params;
	sqe->params_len = params_len;
	sqe->result_addr = (uint64_t)(uintptr_t)results[i];
	sqe->result_len = sizeof(results[i]);
}

static int ov_recv(capos_cap_t owner, uint32_t *call_id)
{
	uint64_t ud = OV_UD_OTHER + next_other++ % OV_UD_OTHERS;
	struct capos_sqe *sqe = ov_sqe(ud);
	int ret;

	sqe->opcode = CAPOS_OP_RECV;
	sqe->cap_id = owner;
	sqe->result_addr = (uint64_t)(uintptr_t)recv_buf;
	sqe->result_len = sizeof(recv_buf);
	ret = ov_wait(ud);
	*call_id = got[ud].call_id;
	return ret;
}

static int ov_return(capos_cap_t owner, uint32_t call_id)
{
	uint64_t ud = OV_UD_OTHER + next_other++ % OV_UD_OTHERS;
	struct capos_sqe *sqe = ov_sqe(ud);

	sqe->opcode = CAPOS_OP_RETURN;
	sqe->cap_id = owner;
	sqe->call_id = call_id;
	sqe->params_addr = (uint64_t)(uintptr_t)answer;
	sqe->params_len = answer_len;
	return ov_wait(ud);
}

static void ov_messages(void)
{
	struct capnp_msg m;
	size_t len = 0;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	echo_Echo_echo_Params_set_data(echo_Echo_echo_Params_init_root(&m), "x", 1);
	capnp_msg_write(&m, params, sizeof(params), &len);
	params_len = (uint32_t)len;
	capnp_msg_init_build(&m, arena, sizeof(arena));
	echo_Echo_echo_Results_set_data(echo_Echo_echo_Results_init_root(&m), "x", 1);
	capnp_msg_write(&m, answer, sizeof(answer), &len);
	answer_len = (uint32_t)len;
}

static uint16_t ov_exception_type(uint32_t i)
{
	struct capnp_msg m;
	uint16_t t;

	if (capnp_msg_init_read(&m, results[i], got[OV_UD_CALL + i].written))
		return 0xffff;
	t = capos_CapException_get_type(capos_CapException_root(&m));
	return capnp_msg_error(&m) ? 0xffff : t;
}

/* Receives and answers n calls; returns how many callers got their answer. */
static uint32_t ov_drain(capos_cap_t owner, uint32_t first, uint32_t n)
{
	uint32_t i, id, ok = 0;

	for (i = 0; i < n; i++)
		if (ov_recv(owner, &id) >= 0)
			ov_return(owner, id);
	for (i = first; i < first + n; i++)
		if (ov_wait(OV_UD_CALL + i) >= 0)
			ok++;
	return ok;
}

static void overload(capos_cap_t owner, capos_cap_t facet)
{
	uint32_t i, waiting = 0;

	for (i = 0; i < OV_BOUND; i++)
		ov_call(facet, i);
	uring_enter(&rt.ring, 0, 0);
	ov_reap();
	for (i = 0; i < OV_BOUND; i++)
		waiting += !have[OV_UD_CALL + i];
	check(waiting == OV_BOUND, "calls_up_to_the_bound_wait", waiting);
	ov_call(facet, OV_BOUND);
	uring_enter(&rt.ring, 0, 0);
	ov_reap();
	check(have[OV_UD_CALL + OV_BOUND], "call_past_the_bound_completes_at_once", 0);
	check_err(got[OV_UD_CALL + OV_BOUND].result, CAPOS_ERR_APPLICATION_EXCEPTION,
		  "call_past_the_bound_raises");
	check(ov_exception_type(OV_BOUND) == capos_CapException_Type_overloaded,
	      "call_past_the_bound_is_overloaded", ov_exception_type(OV_BOUND));
	check(ov_drain(owner, 0, OV_BOUND) == OV_BOUND, "queued_calls_all_answered", 0);
	ov_call(facet, 0);
	check(ov_drain(owner, 0, 1) == 1, "endpoint_works_after_overload", 0);
}

static void inflight_limit(capos_cap_t owner, capos_cap_t facet)
{
	uint32_t ids[OV_BOUND], i, id, received = 0;
	int ret;

	for (i = 0; i < OV_BOUND; i++)
		ov_call(facet, i);
	for (i = 0; i < OV_BOUND; i++)
		received += ov_recv(owner, &ids[i]) >= 0;
	check(received == OV_BOUND, "received_up_to_the_inflight_bound", received);
	ov_call(facet, OV_BOUND);
	ret = ov_recv(owner, &id);
	check_err(ret, CAPOS_ERR_QUEUE_FULL, "recv_past_the_inflight_bound_is_queue_full");
	ov_return(owner, ids[0]);
	ret = ov_recv(owner, &id);
	check(ret >= 0, "recv_works_after_an_answer", ret);
	for (i = 1; i < OV_BOUND; i++)
		ov_return(owner, ids[i]);
	ov_return(owner, id);
	received = 0;
	for (i = 0; i < OV_BOUND + 1; i++)
		received += ov_wait(OV_UD_CALL + i) >= 0;
	check(received == OV_BOUND + 1, "every_caller_answered", received);
}

/* Submits a RECV without waiting; returns its user_data. */
static uint64_t ov_recv_async(capos_cap_t owner)
{
	uint64_t ud = OV_UD_OTHER + next_other++ % OV_UD_OTHERS;
	struct capos_sqe *sqe = ov_sqe(ud);

	sqe->opcode = CAPOS_OP_RECV;
	sqe->cap_id = owner;
	sqe->result_addr = (uint64_t)(uintptr_t)recv_buf;
	sqe->result_len = sizeof(recv_buf);
	return ud;
}

static void waiting_recvs_hold_places(capos_cap_t owner, capos_cap_t facet)
{
	const uint32_t held = OV_BOUND - OV_EXTRA / 2;	/* 120 received, unanswered */
	uint32_t ids[OV_BOUND + OV_EXTRA], i, n = 0, full = 0, answered = 0;
	uint64_t ud[OV_EXTRA];

	for (i = 0; i < held; i++)
		ov_call(facet, i);
	for (i = 0; i < held; i++)
		n += ov_recv(owner, &ids[n]) >= 0;
	for (i = 0; i < OV_EXTRA; i++)
		ud[i] = ov_recv_async(owner);
	uring_enter(&rt.ring, 0, 0);
	ov_reap();
	for (i = 0; i < OV_EXTRA; i++)
		full += have[ud[i]] && got[ud[i]].result == CAPOS_ERR_QUEUE_FULL;
	check(full == OV_EXTRA / 2, "recvs_past_the_inflight_places_are_queue_full", full);
	for (i = held; i < held + OV_EXTRA; i++)
		ov_call(facet, i);
	uring_enter(&rt.ring, 0, 0);
	ov_reap();
	for (i = 0; i < OV_EXTRA; i++)
		if (have[ud[i]] && got[ud[i]].result >= 0)
			ids[n++] = got[ud[i]].call_id;
	check(n == OV_BOUND, "unanswered_calls_never_pass_the_bound", n);
	for (i = 0; i < n; i++)
		ov_return(owner, ids[i]);
	ov_drain(owner, n, held + OV_EXTRA - n);
	for (i = 0; i < held + OV_EXTRA; i++)
		answered += ov_wait(OV_UD_CALL + i) >= 0;
	check(answered == held + OV_EXTRA, "every_caller_answered_after_the_bound", answered);
}

int main(void)
{
	capos_cap_t f = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	capos_cap_t owner, facet;

	check_init("ipc-overload");
	ov_messages();
	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &owner, &facet), 0, "create"))
		return check_done();
	overload(owner, facet);
	inflight_limit(owner, facet);
	waiting_recvs_hold_places(owner, facet);
	cap_release(facet);
	cap_release(owner);
	return check_done();
}
