// SPDX-License-Identifier: MIT
/*
 * ipc-fastpath-server: the server half of the QEMU scenario ipc-fastpath
 * (the client, ipc-fastpath, says what is checked). It owns two endpoints,
 * "service" (main) and "side", and receives the client's calls in the order
 * of ../ipc-fastpath/fastpath.h. It answers the way a server meant for the
 * kernel's IPC fast path does: RETURN | SKIP_SUCCESS followed by the next
 * RECV on the same endpoint, both in one cap_enter(min_complete = 1), so
 * that cap_enter returns with the RECV's CQE alone. Where a case needs
 * another batch (RETURN and RECV on different endpoints, a RETURN that fails
 * or has no SKIP_SUCCESS, a RECV buffer too small) the results must be those
 * of docs/ipc.md all the same.
 *
 * The state between steps is one open call: received and checked, not yet
 * answered (its caller waits). Each step answers it in its own way and
 * returns the next open call. Every received call is checked field by field
 * (CQE, RECV header, params, padding, untouched bytes), and no completion
 * may come that the step did not expect. Prints PASS/FAIL lines and exits 0
 * only if every check held.
 */
#include "../ipc-fastpath/fastpath.h"
#include "check.h"
#include "pattern.h"
#include "rt.h"

#define SKIP CAPOS_SQE_F_SKIP_SUCCESS

static capos_cap_t main_ep, side_ep;
static uint8_t recv_main[FP_BUF] __attribute__((aligned(FP_PAGE)));
static uint8_t recv_side[FP_BUF] __attribute__((aligned(FP_PAGE)));
static uint8_t answer[FP_BUF] __attribute__((aligned(FP_PAGE)));

/* A call received and not answered yet. */
struct s_call {
	capos_cap_t ep;		/* the endpoint it came through */
	uint32_t id;		/* its call id */
	uint16_t method;
};

static uint8_t *s_buf(const struct fp_msg *m)
{
	return m->side ? recv_side : recv_main;
}

/* Queues a RECV into buf + off, len bytes (filled with FP_FILL first); returns its user_data. */
static uint64_t s_queue_recv_at(capos_cap_t ep, uint8_t *buf, uint32_t off, uint32_t len)
{
	uint64_t ud = uring_next_id(&rt.ring);
	struct capos_sqe *s;

	memset(buf, FP_FILL, FP_BUF);
	s = uring_get_sqe(&rt.ring);
	s->opcode = CAPOS_OP_RECV;
	s->cap_id = ep;
	s->user_data = ud;
	s->result_addr = uaddr_of(buf + off);
	s->result_len = len;
	return ud;
}

/* Queues the RECV a call of `method` is to arrive in: its table size, or (full) the whole rest. */
static uint64_t s_queue_recv(uint16_t method, bool full)
{
	const struct fp_msg *m = fp_msg(method);
	uint32_t len = !full && m->blen ? m->blen : FP_BUF - m->recv_off;

	return s_queue_recv_at(m->side ? side_ep : main_ep, s_buf(m), m->recv_off, len);
}

/* Queues a RETURN of call id on ep with msg[0..len); returns its user_data. */
static uint64_t s_queue_return(capos_cap_t ep, uint32_t id, uint64_t msg, uint32_t len,
			       uint16_t flags)
{
	uint64_t ud = uring_next_id(&rt.ring);
	struct capos_sqe *s = uring_get_sqe(&rt.ring);

	s->opcode = CAPOS_OP_RETURN;
	s->flags = flags;
	s->cap_id = ep;
	s->call_id = id;
	s->user_data = ud;
	s->params_addr = msg;
	s->params_len = len;
	return ud;
}

/* The answer to a call of `method`, written where the table puts it; its address. */
static uint64_t s_answer(uint16_t method)
{
	const struct fp_msg *m = fp_msg(method);

	fp_fill(answer + m->answer_off, method + FP_ANSWER_TAG, m->alen);
	return uaddr_of(answer + m->answer_off);
}

static uint64_t s_queue_answer(struct s_call c, uint16_t flags)
{
	return s_queue_return(c.ep, c.id, s_answer(c.method), fp_msg(c.method)->alen, flags);
}

/* A RETURN alone (its own cap_enter); its result. */
static int s_return_alone(struct s_call c)
{
	uint64_t ud = s_queue_answer(c, 0);
	struct capos_cqe cqe = { .result = 1 };
	int err = uring_wait(&rt.ring, ud, &cqe);

	return err ? err : fp_cqe_is(&cqe, ud, cqe.result, 0, CAPOS_OP_RETURN, 0) ? cqe.result : 1;
}

/* The RECV CQE c (user_data ud) brought the call `method` into its buffer, every field right. */
static bool s_got(const struct capos_cqe *c, uint64_t ud, uint16_t method)
{
	const struct fp_msg *m = fp_msg(method);
	const uint8_t *buf = s_buf(m);
	uint32_t need = FP_HDR + m->plen;
	struct capos_recv_header h;

	memcpy(&h, buf + m->recv_off, sizeof(h));
	return fp_cqe_is(c, ud, (int32_t)need, need, CAPOS_OP_RECV, h.call_id) && h.call_id &&
	       h.method_id == method && h.xfer_count == 0 &&
	       h.interface_id == (m->side ? FP_IFACE_SIDE : FP_IFACE_MAIN) &&
	       h.params_len == m->plen && h.flags == 0 && h.session_ref.lo == 0 &&
	       h.session_ref.hi == 0 && h.session_epoch == 0 && h.reserved[0] == 0 &&
	       h.reserved[1] == 0 &&
	       fp_buffer_holds(buf, FP_BUF, m->recv_off, FP_HDR, m->plen, method);
}

/*
 * Waits for the RECV ud and checks it brought `method`, and that no other
 * completion came with it (every step reaps what it expects before this).
 */
static struct s_call s_take(uint64_t ud, uint16_t method)
{
	const struct fp_msg *m = fp_msg(method);
	struct capos_cqe c = { .result = 1 }, other;
	int err = uring_wait(&rt.ring, ud, &c);
	int strays = 0;

	while (uring_reap(&rt.ring, &other))
		strays++;
	if (!check(!err && !strays && s_got(&c, ud, method), m->name, err ? err : c.result)) {
		const struct capos_recv_header *h = (const void *)(s_buf(m) + m->recv_off);

		check_note("received method", h->method_id);
		check_note("other completions", strays);
	}
	return (struct s_call){ .ep = m->side ? side_ep : main_ep, .id = c.call_id,
				.method = method };
}

/* The fast path's server batch: answer `open`, RECV for `next`; the RECV's CQE comes alone. */
static struct s_call s_reply_recv(struct s_call open, uint16_t next)
{
	s_queue_answer(open, SKIP);
	return s_take(s_queue_recv(next, false), next);
}

/*
 * The RECV offered to `method` is too small for it: the RECV completes with
 * RESULT_TOO_SMALL and nothing written, the call waits, and a RECV alone
 * (room enough) then gets it.
 */
static struct s_call s_recv_too_small(struct s_call open, uint16_t method, const char *name)
{
	uint64_t rcv;
	struct capos_cqe c = { .result = 1 };
	int err;

	s_queue_answer(open, SKIP);
	rcv = s_queue_recv(method, false);
	err = uring_wait(&rt.ring, rcv, &c);
	check(!err && fp_cqe_is(&c, rcv, CAPOS_ERR_RESULT_TOO_SMALL, 0, CAPOS_OP_RECV, 0) &&
		      fp_all(s_buf(fp_msg(method)), 0, FP_BUF, FP_FILL),
	      name, err ? err : c.result);
	return s_take(s_queue_recv(method, true), method);
}

/*
 * `open` and the RECV for `after` in the fast path's batch, but the RETURN
 * (sqe, queued by the caller) ends otherwise: it posts its CQE with `want`
 * although it has SKIP_SUCCESS (or 0 without it), and the RECV waits for
 * the next call. When the RETURN failed, `open` is answered (again_want:
 * the result of that) by a RETURN alone before the next call can come.
 */
static struct s_call s_return_posts(struct s_call open, uint64_t ret, int want, int again_want,
				    uint16_t after, const char *name, const char *again)
{
	uint64_t rcv = s_queue_recv(after, false);
	struct capos_cqe c = { .result = 1 };
	int err = uring_wait(&rt.ring, ret, &c);

	check(!err && fp_cqe_is(&c, ret, want, 0, CAPOS_OP_RETURN, 0), name, err ? err : c.result);
	if (again)
		check_err(s_return_alone(open), again_want, again);
	return s_take(rcv, after);
}

/* A result buffer too small for the answer: the RETURN fails with the caller, the call is over. */
static struct s_call s_result_too_small(struct s_call open, uint16_t method, uint16_t after,
					const char *name, const char *over)
{
	struct s_call small = s_reply_recv(open, method);
	uint64_t ret = s_queue_answer(small, SKIP);

	return s_return_posts(small, ret, CAPOS_ERR_RESULT_TOO_SMALL, CAPOS_ERR_NO_SUCH_CALL, after,
			      name, over);
}

/* RETURNs batched with a RECV that the fast path must leave to the general one. */
static struct s_call s_failed_returns(struct s_call open)
{
	uint64_t edge = uaddr_of(rt.heap.base) + rt.heap.size;	/* nothing mapped above */
	uint64_t ret;

	ret = s_queue_return(main_ep, open.id + 1000, uaddr_of(answer), 8, SKIP);
	open = s_return_posts(open, ret, CAPOS_ERR_NO_SUCH_CALL, 0, FP_M_AFTER_UNKNOWN_RETURN,
			      "return_of_unknown_call_posts_no_such_call",
			      "call_answered_after_unknown_return");
	ret = s_queue_return(main_ep, open.id, edge - 16, 64, SKIP);
	open = s_return_posts(open, ret, CAPOS_ERR_BAD_ADDRESS, 0, FP_M_AFTER_UNREADABLE_ANSWER,
			      "return_of_unreadable_answer_posts_bad_address",
			      "call_still_open_after_unreadable_answer");
	ret = s_queue_answer(open, 0);
	return s_return_posts(open, ret, 0, 0, FP_M_AFTER_RETURN_WITHOUT_SKIP,
			      "return_without_skip_success_posts_its_cqe", NULL);
}

/*
 * The last call on the main endpoint is answered with RECVs on both: the
 * client's stale and invalid caps reach neither, and its stop comes on the
 * side one. The client has released the main endpoint's only facet, so the
 * main RECV answers NO_CLIENTS.
 */
static void s_stop(struct s_call open)
{
	uint64_t rcv, main_rcv;
	struct s_call stop;
	struct capos_cqe c = { .result = 1 };

	s_queue_answer(open, SKIP);
	main_rcv = s_queue_recv_at(main_ep, recv_main, 0, FP_BUF);
	rcv = s_queue_recv(FP_M_STOP, false);
	check_err(uring_wait(&rt.ring, main_rcv, &c), 0, "main_recv_completes");
	check_err(c.result, CAPOS_ERR_NO_CLIENTS, "main_recv_answers_no_clients");
	stop = s_take(rcv, FP_M_STOP);
	check_err(s_return_alone(stop), 0, "answer_stop");
}

int main(void)
{
	struct s_call open;
	uint16_t m;

	check_init("ipc-fastpath-server");
	main_ep = rt_cap("service", CAPOS_IFACE_ENDPOINT);
	side_ep = rt_cap("side", CAPOS_IFACE_ENDPOINT);
	if (!check(main_ep != CAPOS_CAP_INVALID && side_ep != CAPOS_CAP_INVALID, "endpoints", 0))
		return check_done();
	open = s_take(s_queue_recv(FP_M_PLAIN_0_4000, false), FP_M_PLAIN_0_4000);
	for (m = FP_M_PLAIN_0_4000 + 1; m < FP_M_TABLE_END; m++)
		open = s_reply_recv(open, m);
	/* RETURN on main + RECV on side, then RETURN on side + RECV on main: the queued call. */
	open = s_reply_recv(open, FP_M_GO);
	open = s_reply_recv(open, FP_M_QUEUED);
	open = s_recv_too_small(open, FP_M_RECV_TOO_SMALL, "small_recv_fails_result_too_small");
	open = s_recv_too_small(open, FP_M_RECV_TOO_SMALL_FOR_PADDING,
				"recv_without_room_for_padding_fails_result_too_small");
	open = s_result_too_small(open, FP_M_RESULT_TOO_SMALL, FP_M_AFTER_RESULT_TOO_SMALL,
				  "return_into_small_result_fails_result_too_small",
				  "call_over_after_result_too_small");
	open = s_result_too_small(open, FP_M_RESULT_TOO_SMALL_FOR_PADDING,
				  FP_M_AFTER_RESULT_TOO_SMALL_FOR_PADDING,
				  "return_without_room_for_padding_fails_result_too_small",
				  "call_over_after_result_too_small_for_padding");
	/* The client's bad calls fail at once; the RECV waiting gets the next good one. */
	open = s_reply_recv(open, FP_M_AFTER_BAD_PARAMS);
	open = s_reply_recv(open, FP_M_AFTER_BAD_RESULTS);
	open = s_failed_returns(open);
	open = s_reply_recv(open, FP_M_LAST);
	s_stop(open);
	return check_done();
}
