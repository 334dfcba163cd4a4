// SPDX-License-Identifier: MIT
/*
 * The server loop (server.h). State between two calls: at most one RECV
 * posted (recv_posted), at most one answer built but not sent (answer_ready,
 * in out[] with call.xfer and call.release). server_serve_one sends that
 * answer and receives the next call with one SQE, RECV | CAPOS_SQE_F_REPLY
 * (seL4's ReplyRecv), followed by the answer's RELEASEs, and enters once.
 * The kernel performs the answer before the receive and consumes the
 * RELEASEs after both, so the answer, its xfer descriptors and the caps it
 * copies are taken before the receive can overwrite call and recv_buf.
 *
 * The loop's SQEs carry user_data SERVER_UD_TAG | kind. RELEASE carries
 * CAPOS_SQE_F_SKIP_SUCCESS: it posts a CQE only when it fails, so
 * outstanding counts the RECV alone and the batch's cap_enter (min_complete
 * 1) returns when the next call arrives, one system call per round trip.
 * An answer that fails completes its RECV | REPLY at once with
 * CAPOS_CQE_F_REPLY_FAILED and nothing received: the failure is noted
 * (last_return, return_errors) and the loop posts a plain RECV and enters
 * again, as it does after any failure CQE. server_flush, which receives
 * nothing, sends the last answer as RETURN | SKIP_SUCCESS. While the loop
 * waits it reaps every completion: its own are noted; any other goes to the
 * ring's stash, where uring_wait and uring_reap find it.
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "heap.h"
#include "server.h"
#include "ustring.h"

#define SERVER_UD_TAG 0x5e72000000000000ull	/* "^r": the loop's own operations */
#define SERVER_UD_RECV (SERVER_UD_TAG | 1u)
#define SERVER_UD_RETURN (SERVER_UD_TAG | 2u)
#define SERVER_UD_RELEASE (SERVER_UD_TAG | 3u)

#define SERVER_RECORDS_BYTES (CAPOS_XFER_MAX * sizeof(struct capos_xfer_result))
#define SERVER_RECV_BYTES (sizeof(struct capos_recv_header) + SERVER_MSG_MAX + \
			   SERVER_RECORDS_BYTES)
#define SERVER_OUT_BYTES (SERVER_MSG_MAX + 8u)

int server_init(struct server *s, struct uring *r, capos_cap_t ep, uint64_t iface,
		int (*dispatch)(const void *impl, void *ctx, uint16_t method,
				struct capnp_msg *params, struct capnp_msg *results),
		const void *impl)
{
	memset(s, 0, sizeof(*s));
	s->ring = r;
	s->ep = ep;
	s->iface = iface;
	s->dispatch = dispatch;
	s->impl = impl;
	s->recv_buf = malloc(SERVER_RECV_BYTES);
	s->arena = malloc(SERVER_MSG_MAX);
	s->out = malloc(SERVER_OUT_BYTES);
	if (!s->recv_buf || !s->arena || !s->out) {
		server_fini(s);
		return CAPOS_ERR_NO_MEMORY;
	}
	return 0;
}

void server_fini(struct server *s)
{
	free(s->recv_buf);
	free(s->arena);
	free(s->out);
	s->recv_buf = s->arena = s->out = NULL;
}

/*
 * A free SQE, letting the kernel consume the SQ once if it is full. A failure
 * CQE that enter posts is reaped by the next wait.
 */
static struct capos_sqe *server_sqe(struct server *s)
{
	struct capos_sqe *sqe = uring_get_sqe(s->ring);

	if (!sqe && uring_enter(s->ring, 0, 0) >= 0)
		sqe = uring_get_sqe(s->ring);
	return sqe;
}

/* Queues the RELEASEs the last call asked for. */
static int server_queue_releases(struct server *s)
{
	struct server_call *c = &s->call;
	struct capos_sqe *sqe;
	uint8_t i;

	for (i = 0; i < c->nrelease; i++) {
		sqe = server_sqe(s);
		if (!sqe)
			return CAPOS_ERR_CQ_FULL;
		sqe->opcode = CAPOS_OP_RELEASE;
		sqe->flags = CAPOS_SQE_F_SKIP_SUCCESS;
		sqe->cap_id = c->release[i];
		sqe->user_data = SERVER_UD_RELEASE;
	}
	c->nrelease = 0;
	return 0;
}

/* Fills in the RETURN fields of the ready answer (a RETURN's, or a RECV | REPLY's). */
static void server_fill_answer(struct server *s, struct capos_sqe *sqe)
{
	struct server_call *c = &s->call;

	sqe->flags |= s->answer_flags;
	sqe->cap_id = s->ep;
	sqe->call_id = c->call_id;
	sqe->params_addr = (uint64_t)(uintptr_t)s->out;
	sqe->params_len = s->answer_len;
	sqe->xfer_count = c->nxfer;
	sqe->xfer_addr = c->nxfer ? (uint64_t)(uintptr_t)c->xfer : 0;
	s->answer_ready = false;
	s->last_return = 0;	/* until a failure CQE says otherwise */
}

/* Fills in a RECV into recv_buf, now posted. */
static void server_fill_recv(struct server *s, struct capos_sqe *sqe)
{
	sqe->opcode = CAPOS_OP_RECV;
	sqe->cap_id = s->ep;
	sqe->user_data = SERVER_UD_RECV;
	sqe->result_addr = (uint64_t)(uintptr_t)s->recv_buf;
	sqe->result_len = SERVER_RECV_BYTES;
	s->recv_posted = true;
	s->outstanding++;
}

/* Queues the ready answer alone: RETURN, posting only a failure. */
static int server_queue_return(struct server *s)
{
	struct capos_sqe *sqe = server_sqe(s);

	if (!sqe)
		return CAPOS_ERR_CQ_FULL;
	sqe->opcode = CAPOS_OP_RETURN;
	sqe->flags = CAPOS_SQE_F_SKIP_SUCCESS;
	sqe->user_data = SERVER_UD_RETURN;
	server_fill_answer(s, sqe);
	return 0;
}

/* Queues the next RECV; with an answer ready, as RECV | REPLY carrying it. */
static int server_queue_recv(struct server *s)
{
	struct capos_sqe *sqe = server_sqe(s);

	if (!sqe)
		return CAPOS_ERR_CQ_FULL;
	if (s->answer_ready) {
		sqe->flags = CAPOS_SQE_F_REPLY;
		server_fill_answer(s, sqe);
	}
	server_fill_recv(s, sqe);
	return 0;
}

/*
 * Notes one completion: 1 if it is a receive's (copied to *recv), else 0, or
 * CAPOS_ERR_NO_MEMORY if it is another caller's and the stash cannot take it
 * (the caller then leaves it in the CQ: it is never dropped). RETURN
 * and RELEASE post only when they fail (SKIP_SUCCESS) and are not counted in
 * outstanding: their CQEs only add to the error counts. A RECV | REPLY
 * whose answer failed (REPLY_FAILED) received nothing: it counts as a failed
 * RETURN, and no RECV is posted any more.
 */
static int server_note(struct server *s, const struct capos_cqe *c, struct capos_cqe *recv)
{
	if ((c->user_data & ~0xffull) != SERVER_UD_TAG)
		return uring_stash_put(s->ring, c) ? 0 : CAPOS_ERR_NO_MEMORY;
	switch (c->user_data) {
	case SERVER_UD_RECV:
		s->outstanding--;
		s->recv_posted = false;
		if (c->flags & CAPOS_CQE_F_REPLY_FAILED) {	/* the answer failed */
			s->last_return = c->result;
			s->return_errors++;
			return 0;
		}
		*recv = *c;
		return 1;
	case SERVER_UD_RETURN:
		s->last_return = c->result;
		s->return_errors += c->result < 0;
		return 0;
	case SERVER_UD_RELEASE:
		s->release_errors += c->result < 0;
		return 0;
	default:
		return 0;
	}
}

/*
 * Reaps until a receive completes, posting a plain RECV whenever none is
 * (at first, or after a RECV | REPLY whose answer failed). Returns 0, the
 * cap_enter error (TIMED_OUT: the RECV is still posted), CQ_FULL, or
 * NO_MEMORY (the stash could not grow; the CQE is still in the CQ).
 */
/*
 * Takes back the loop's own completions that another wait stashed: a
 * handler or the program may wait for a call of its own (e.g.
 * server_return_raw of a held call) while the RECV is posted, and that wait
 * stashes the RECV's completion. Returns 1 if the RECV's was among them.
 */
static int server_take_stashed(struct server *s, struct capos_cqe *recv)
{
	struct capos_cqe c;
	int got = 0;
	uint32_t i = 0;

	while (i < s->ring->nstash) {
		if ((s->ring->stash[i].user_data & ~0xffull) != SERVER_UD_TAG) {
			i++;
			continue;
		}
		uring_take_stashed(s->ring, i, &c);
		got |= server_note(s, &c, recv) > 0;
	}
	return got;
}

static int server_wait_recv(struct server *s, uint64_t timeout_ns, struct capos_cqe *recv)
{
	const struct capos_cqe *c;
	bool got = server_take_stashed(s, recv);
	int64_t ret;
	int err;

	for (;;) {
		while ((c = uring_peek_cqe(s->ring)) != NULL) {
			int noted = server_note(s, c, recv);

			if (noted < 0)
				return noted;
			uring_cqe_seen(s->ring);	/* only once noted or stashed */
			got |= noted;
		}
		if (got)
			return 0;
		if (!s->recv_posted && (err = server_queue_recv(s)) != 0)
			return err;
		ret = uring_enter(s->ring, s->outstanding, timeout_ns);
		if (ret < 0)
			return (int)ret;
		if (ret == 0)	/* timeout_ns 0: cap_enter does not wait */
			return CAPOS_ERR_TIMED_OUT;
	}
}

/*
 * Lets the kernel consume every queued SQE, then notes the failure CQEs they
 * posted: RETURN and RELEASE complete within the cap_enter that consumes
 * them. With a RECV posted the CQ is left to the next server_wait_recv, which
 * must not lose the RECV's completion. Returns 0, the cap_enter error,
 * CAPOS_ERR_CQ_FULL if the kernel found no CQ credit for the rest, or
 * CAPOS_ERR_NO_MEMORY if the stash could not grow (the CQE stays in the CQ).
 */
static int server_drain(struct server *s)
{
	struct uring *r = s->ring;
	/* Pairs with the kernel's store-release of sq_head after copying SQEs out. */
	uint32_t head = capos_load_acquire_u32(&r->hdr->sq_head), before;
	const struct capos_cqe *c;
	struct capos_cqe unused;
	int64_t ret;

	for (;;) {
		ret = uring_enter(r, 0, 0);
		if (ret < 0)
			return (int)ret;
		while (!s->recv_posted && (c = uring_peek_cqe(r)) != NULL) {
			if (server_note(s, c, &unused) < 0)
				return CAPOS_ERR_NO_MEMORY;
			uring_cqe_seen(r);
		}
		before = head;
		head = capos_load_acquire_u32(&r->hdr->sq_head);
		if (head == r->sq_tail)
			return 0;
		if (head == before)	/* no CQ credit left for the rest */
			return CAPOS_ERR_CQ_FULL;
	}
}

/* Frames the exception in call into out[] as the answer. */
static void server_build_exception(struct server *s)
{
	struct capos_CapException_builder e;
	struct capnp_msg m;
	size_t len = 0;
	uint8_t i;

	capnp_msg_init_build(&m, s->arena, SERVER_MSG_MAX);
	e = capos_CapException_init_root(&m);
	capos_CapException_set_type(e, s->call.exc_type);
	capos_CapException_set_reason(e, s->call.exc_reason, (uint32_t)strlen(s->call.exc_reason));
	capnp_msg_write(&m, s->out, SERVER_OUT_BYTES, &len);
	s->answer_len = (uint32_t)len;
	s->answer_flags = CAPOS_SQE_F_EXCEPTION;
	/* An exception carries no capabilities; those the handler meant to move away go. */
	for (i = 0; i < s->call.nxfer; i++)
		if (s->call.xfer[i].mode == CAPOS_XFER_MOVE)
			server_call_release_after(&s->call, s->call.xfer[i].cap_id);
	s->call.nxfer = 0;
}

int server_raise(struct server_call *c, uint16_t type, const char *reason)
{
	size_t n = strlen(reason);

	if (n > SERVER_REASON_MAX)
		n = SERVER_REASON_MAX;
	c->exc_type = type;
	memcpy(c->exc_reason, reason, n);
	c->exc_reason[n] = '\0';
	return SERVER_RAISED;
}

/* Releases (after the answer) every received capability the handler did not take. */
static void server_drop_untaken(struct server_call *c)
{
	uint16_t i;

	for (i = 0; i < c->ncaps; i++)
		if (!(c->taken & (1u << i)))
			server_call_release_after(c, c->caps[i].cap_id);
}

/*
 * Turns the handler's verdict into the answer in out[]. Returns 0, or
 * SERVER_HELD / SERVER_STOP for the loop.
 */
static int server_finish(struct server *s, int ret)
{
	struct server_call *c = &s->call;
	size_t len = 0;

	server_drop_untaken(c);
	if (ret == SERVER_HELD)
		return ret;
	if (ret == CAPNPC_DISPATCH_UNIMPLEMENTED)
		server_raise(c, capos_CapException_Type_unimplemented, "no such method");
	else if (ret < 0 && ret != SERVER_RAISED && ret != SERVER_STOP)
		server_raise(c, capos_CapException_Type_failed, capos_strerror(ret));
	else if (capnp_msg_error(&c->params))
		ret = server_raise(c, capos_CapException_Type_invalidArgument, "malformed params");
	else if (ret != SERVER_RAISED &&
		 capnp_msg_write(&c->results, s->out, SERVER_OUT_BYTES, &len))
		ret = server_raise(c, capos_CapException_Type_failed, "results too large");
	s->answer_ready = true;
	if (ret < 0 && ret != SERVER_STOP) {
		server_build_exception(s);
		return 0;
	}
	s->answer_len = (uint32_t)len;
	s->answer_flags = 0;
	return ret == SERVER_STOP ? SERVER_STOP : 0;
}

/* Opens the received call in s->call; false if the completion is inconsistent. */
static bool server_open(struct server *s, const struct capos_cqe *cqe)
{
	const struct capos_recv_header *h = (const struct capos_recv_header *)s->recv_buf;
	struct server_call *c = &s->call;
	uint32_t rec;

	if (cqe->written < sizeof(*h) || h->params_len > SERVER_MSG_MAX ||
	    cqe->written != sizeof(*h) + h->params_len || h->call_id != cqe->call_id)
		return false;
	rec = (cqe->written + 7u) & ~7u;
	memset(c, 0, sizeof(*c));
	c->srv = s;
	c->call_id = h->call_id;
	c->method_id = h->method_id;
	c->interface_id = h->interface_id;
	if ((cqe->flags & CAPOS_CQE_F_XFER) && cqe->xfer_count) {
		if (cqe->xfer_count > CAPOS_XFER_MAX)
			return false;
		c->caps = (const struct capos_xfer_result *)((uint8_t *)s->recv_buf + rec);
		c->ncaps = cqe->xfer_count;
	}
	capnp_msg_init_build(&c->results, s->arena, SERVER_MSG_MAX);
	if (capnp_msg_init_read(&c->params, (const uint8_t *)s->recv_buf + sizeof(*h),
				h->params_len))
		capnp_msg_fail(&c->params, CAPNP_ERR_TRUNCATED);
	return true;
}

/* Serves the call s->recv_buf holds. */
static int server_handle(struct server *s, const struct capos_cqe *cqe)
{
	struct server_call *c = &s->call;
	int ret;

	s->calls++;
	if (!server_open(s, cqe)) {
		/* Answer what can be answered: the call id from the CQE. */
		memset(c, 0, sizeof(*c));
		c->call_id = cqe->call_id;
		server_raise(c, capos_CapException_Type_failed, "inconsistent RECV");
		s->answer_ready = true;
		server_build_exception(s);
		return 0;
	}
	if (s->iface && c->interface_id != s->iface)
		ret = CAPNPC_DISPATCH_UNIMPLEMENTED;
	else if (capnp_msg_error(&c->params))
		ret = 0;	/* server_finish raises invalidArgument */
	else
		ret = s->dispatch(s->impl, c, c->method_id, &c->params, &c->results);
	return server_finish(s, ret);
}

int server_serve_one(struct server *s, uint64_t timeout_ns)
{
	struct capos_cqe cqe;
	int err;

	/*
	 * The answer rides on the next RECV (RECV | REPLY); only with a RECV
	 * still posted (after a timeout) does it go alone, as RETURN. Either
	 * way the RELEASEs follow it.
	 */
	if (s->answer_ready)
		err = s->recv_posted ? server_queue_return(s) : server_queue_recv(s);
	else
		err = 0;
	if (!err)
		err = server_queue_releases(s);
	if (err)
		return err;
	err = server_wait_recv(s, timeout_ns, &cqe);
	if (err)
		return err;
	if (cqe.result < 0)
		return cqe.result;
	return server_handle(s, &cqe);
}

int server_flush(struct server *s)
{
	bool answering = s->answer_ready;
	int err;

	if (!answering && !s->call.nrelease)
		return 0;
	err = answering ? server_queue_return(s) : 0;
	if (!err)
		err = server_queue_releases(s);
	if (!err)
		err = server_drain(s);
	if (err)
		return err;
	return answering ? s->last_return : 0;
}

int server_run(struct server *s)
{
	int ret;

	do
		ret = server_serve_one(s, CAPOS_TIMEOUT_INFINITE);
	while (ret == 0 || ret == SERVER_HELD);
	if (ret != SERVER_STOP)
		return ret;
	ret = server_flush(s);
	return ret == CAPOS_ERR_DISCONNECTED ? 0 : ret;
}

int server_call_cap(struct server_call *c, uint32_t index, uint64_t iface, capos_cap_t *cap)
{
	if (index >= c->ncaps || (c->taken & (1u << index)))
		return CAPOS_ERR_INVALID_ARGUMENT;
	if (iface && c->caps[index].interface_id != iface)
		return CAPOS_ERR_WRONG_INTERFACE;
	c->taken |= (uint16_t)(1u << index);
	*cap = c->caps[index].cap_id;
	return 0;
}

int server_call_send(struct server_call *c, capos_cap_t cap, uint8_t mode)
{
	if (c->nxfer >= CAPOS_XFER_MAX)
		return CAPOS_ERR_TOO_LARGE;
	c->xfer[c->nxfer] = (struct capos_xfer){ .cap_id = cap, .mode = mode };
	return c->nxfer++;
}

int server_call_release_after(struct server_call *c, capos_cap_t cap)
{
	if (c->nrelease >= sizeof(c->release) / sizeof(c->release[0]))
		return CAPOS_ERR_TOO_LARGE;
	c->release[c->nrelease++] = cap;
	return 0;
}

int server_return_raw(struct server *s, uint32_t call_id, uint16_t flags, const void *msg,
		      uint32_t len, const struct capos_xfer *xfer, uint8_t n)
{
	struct capos_sqe sqe = {
		.opcode = CAPOS_OP_RETURN,
		.flags = flags,
		.cap_id = s->ep,
		.call_id = call_id,
		.params_addr = (uint64_t)(uintptr_t)msg,
		.params_len = len,
		.xfer_addr = n ? (uint64_t)(uintptr_t)xfer : 0,
		.xfer_count = n,
	};

	return uring_run(s->ring, &sqe, NULL);
}

int server_answer_empty(struct server *s, uint32_t call_id)
{
	/* Framing (one segment of one word) and a root pointer to an empty struct. */
	static const uint64_t empty[2] = { 0x0000000100000000ull, 0x00000000fffffffcull };

	return server_return_raw(s, call_id, 0, empty, sizeof(empty), NULL, 0);
}
