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
#include "server_internal.h"
#include "ustring.h"

/* The loop's own operations: the tag, the port in bits 8..15, the kind in 0..7. */
#define SERVER_UD_TAG 0x5e72000000000000ull	/* "^r" */
#define SERVER_UD_MASK 0xffffffffffff0000ull
#define SERVER_UD_RECV 1u
#define SERVER_UD_RETURN 2u
#define SERVER_UD_RELEASE 3u
#define SERVER_UD(kind, port) (SERVER_UD_TAG | ((uint64_t)(port) << 8) | (kind))
#define SERVER_UD_KIND(ud) ((ud) & 0xffu)
#define SERVER_UD_PORT(ud) ((int)(((ud) >> 8) & 0xffu))


int server_init(struct server *s, struct uring *r, capos_cap_t ep, uint64_t iface,
		int (*dispatch)(const void *impl, void *ctx, uint16_t method,
				struct capnp_msg *params, struct capnp_msg *results),
		const void *impl)
{
	struct server_port *p0 = &s->ports[0];

	memset(s, 0, sizeof(*s));
	s->ring = r;
	s->ports_used = 1;
	*p0 = (struct server_port){ .ep = ep, .iface = iface, .dispatch = dispatch,
				    .impl = impl, .live = true };
	p0->recv_buf = malloc(SERVER_RECV_BYTES);
	s->arena = malloc(SERVER_MSG_MAX);
	s->out = malloc(SERVER_OUT_BYTES);
	if (!p0->recv_buf || !s->arena || !s->out) {
		server_fini(s);
		return CAPOS_ERR_NO_MEMORY;
	}
	return 0;
}

void server_fini(struct server *s)
{
	for (uint32_t i = 0; i < SERVER_PORTS_MAX; i++) {
		free(s->ports[i].recv_buf);
		s->ports[i].recv_buf = NULL;
	}
	free(s->arena);
	free(s->out);
	s->arena = s->out = NULL;
}

static bool server_any_recv_posted(const struct server *s)
{
	for (uint32_t i = 0; i < s->ports_used; i++)
		if (s->ports[i].recv_posted)
			return true;
	return false;
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
		sqe->user_data = SERVER_UD(SERVER_UD_RELEASE, 0);
	}
	c->nrelease = 0;
	return 0;
}

/* Fills in the RETURN fields of the ready answer (a RETURN's, or a RECV | REPLY's). */
static void server_fill_answer(struct server *s, struct capos_sqe *sqe)
{
	struct server_call *c = &s->call;

	sqe->flags |= s->answer_flags;
	sqe->cap_id = s->ports[c->port].ep;
	sqe->call_id = c->call_id;
	sqe->params_addr = (uint64_t)(uintptr_t)s->out;
	sqe->params_len = s->answer_len;
	sqe->xfer_count = c->nxfer;
	sqe->xfer_addr = c->nxfer ? (uint64_t)(uintptr_t)c->xfer : 0;
	s->answer_ready = false;
	s->last_return = 0;	/* until a failure CQE says otherwise */
}

/* Fills in a RECV of port into its recv_buf, now posted. */
static void server_fill_recv(struct server *s, int port, struct capos_sqe *sqe)
{
	struct server_port *p = &s->ports[port];

	sqe->opcode = CAPOS_OP_RECV;
	sqe->cap_id = p->ep;
	sqe->user_data = SERVER_UD(SERVER_UD_RECV, port);
	sqe->result_addr = (uint64_t)(uintptr_t)p->recv_buf;
	sqe->result_len = SERVER_RECV_BYTES;
	p->recv_posted = true;
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
	sqe->user_data = SERVER_UD(SERVER_UD_RETURN, 0);
	server_fill_answer(s, sqe);
	return 0;
}

/* Queues port's next RECV; with its answer ready, as RECV | REPLY carrying it. */
static int server_queue_recv(struct server *s, int port)
{
	struct capos_sqe *sqe = server_sqe(s);

	if (!sqe)
		return CAPOS_ERR_CQ_FULL;
	if (s->answer_ready && s->call.port == port) {
		sqe->flags = CAPOS_SQE_F_REPLY;
		server_fill_answer(s, sqe);
	}
	server_fill_recv(s, port, sqe);
	return 0;
}

/* Posts a RECV on every live port that has none. */
static int server_post_recvs(struct server *s)
{
	int err;

	for (uint32_t i = 0; i < s->ports_used; i++)
		if (s->ports[i].live && !s->ports[i].recv_posted && !s->ports[i].orphaned &&
		    (err = server_queue_recv(s, (int)i)) != 0)
			return err;
	return 0;
}

/*
 * Port's endpoint has no client left (its RECV answered NO_CLIENTS): no call
 * can come, so no RECV is posted on it again, and the orphan function (if
 * any) may free what the port stood for. The loop goes on serving the
 * other ports and handing over other completions.
 */
static int server_note_orphan(struct server *s, int port)
{
	struct server_port *p = &s->ports[port];

	s->outstanding--;
	p->recv_posted = false;
	p->orphaned = true;
	if (p->live && s->orphan)
		s->orphan(s->orphan_arg, port, p->ctx);
	return 0;
}

/*
 * Notes one of the loop's own completions: 1 if it is a receive that
 * brought a call (copied to *recv, unless *got says one was taken already:
 * then it is stashed for the next round), else 0, or CAPOS_ERR_NO_MEMORY
 * if the stash cannot take it (the caller then leaves it in the CQ: it is
 * never dropped). RETURN and RELEASE post only when they fail
 * (SKIP_SUCCESS) and are not counted in outstanding: their CQEs only add to
 * the error counts. A RECV | REPLY whose answer failed (REPLY_FAILED)
 * received nothing: it counts as a failed RETURN, and the loop posts a plain
 * RECV. A receive of a removed port frees the port, and a call it brought
 * is left to the endpoint's release (its caller learns DISCONNECTED).
 */
static int server_note_own(struct server *s, const struct capos_cqe *c, struct capos_cqe *recv,
			   bool got)
{
	int port = SERVER_UD_PORT(c->user_data) % SERVER_PORTS_MAX;
	struct server_port *p = &s->ports[port];

	switch (SERVER_UD_KIND(c->user_data)) {
	case SERVER_UD_RECV:
		if (c->result == CAPOS_ERR_NO_CLIENTS)
			return server_note_orphan(s, port);
		if (got && p->live && !(c->flags & CAPOS_CQE_F_REPLY_FAILED))
			return uring_stash_put(s->ring, c) ? 0 : CAPOS_ERR_NO_MEMORY;
		s->outstanding--;
		p->recv_posted = false;
		if (c->flags & CAPOS_CQE_F_REPLY_FAILED) {	/* the answer failed */
			s->last_return = c->result;
			s->return_errors++;
			return 0;
		}
		if (!p->live)
			return 0;
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

static bool server_is_own(const struct capos_cqe *c)
{
	return (c->user_data & SERVER_UD_MASK) == SERVER_UD_TAG;
}

/*
 * Notes one completion: the loop's own (server_note_own), or another's,
 * handed to the other function or else stashed for uring_wait.
 */
static int server_note(struct server *s, const struct capos_cqe *c, struct capos_cqe *recv,
		       bool got)
{
	if (server_is_own(c))
		return server_note_own(s, c, recv, got);
	if (!s->other)
		return uring_stash_put(s->ring, c) ? 0 : CAPOS_ERR_NO_MEMORY;
	s->other(s->other_arg, c);
	return 0;
}

/*
 * Takes back the completions that another wait stashed: a handler or the
 * other function may wait for a call of its own (e.g. server_return_raw of
 * a held call) while RECVs are posted, and that wait stashes what it
 * passes. The loop's own are noted; others go to the other function, if
 * set (each taken out of the stash before the call, which may change the
 * stash). Returns 1 if a received call was among them, or
 * CAPOS_ERR_NO_MEMORY.
 */
static int server_take_stashed(struct server *s, struct capos_cqe *recv)
{
	struct capos_cqe c;
	bool got = false;
	uint32_t i = 0, budget = s->ring->nstash;	/* what the other function stashes waits */

	while (i < s->ring->nstash && budget) {
		const struct capos_cqe *e = &s->ring->stash[i];
		int noted;

		if (!server_is_own(e) && !s->other) {
			i++;
			continue;
		}
		/* A second received call stays stashed for the next round. */
		if (got && server_is_own(e) && SERVER_UD_KIND(e->user_data) == SERVER_UD_RECV) {
			i++;
			continue;
		}
		uring_take_stashed(s->ring, i, &c);
		budget--;
		noted = server_note(s, &c, recv, got);
		if (noted < 0)
			return noted;
		got |= noted > 0;
	}
	return got;
}

/* Whether the stash holds a completion the loop takes (its own, or any for the other function). */
static bool server_stash_waiting(const struct server *s)
{
	for (uint32_t i = 0; i < s->ring->nstash; i++)
		if (s->other || server_is_own(&s->ring->stash[i]))
			return true;
	return false;
}

/*
 * Reaps until a call is received on some port, posting a RECV on every live
 * port that has none. Returns 0, the cap_enter error (TIMED_OUT: the RECVs
 * are still posted), CQ_FULL, or NO_MEMORY (the stash could not grow; the
 * CQE is still in the CQ).
 */
static int server_wait_recv(struct server *s, uint64_t timeout_ns, struct capos_cqe *recv)
{
	const struct capos_cqe *c;
	int64_t ret;
	int got, err;

	for (;;) {
		got = server_take_stashed(s, recv);
		if (got < 0)
			return got;
		while ((c = uring_peek_cqe(s->ring)) != NULL) {
			int noted;

			if (!server_is_own(c) && s->other) {
				/* Seen first: the other function may reap the CQ itself. */
				struct capos_cqe copy = *c;

				uring_cqe_seen(s->ring);
				s->other(s->other_arg, &copy);
				continue;
			}
			noted = server_note(s, c, recv, got);
			if (noted < 0)
				return noted;
			uring_cqe_seen(s->ring);	/* only once noted or stashed */
			got |= noted;
		}
		if (got)
			return 0;
		if (server_stash_waiting(s))	/* the other function's waits stashed some */
			continue;
		if ((err = server_post_recvs(s)) != 0)
			return err;
		ret = uring_enter(s->ring, 1, timeout_ns);
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
		while (!server_any_recv_posted(s) && (c = uring_peek_cqe(r)) != NULL) {
			if (server_note(s, c, &unused, false) < 0)
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
static bool server_open(struct server *s, int port, const struct capos_cqe *cqe)
{
	uint64_t *buf = s->ports[port].recv_buf;
	const struct capos_recv_header *h = (const struct capos_recv_header *)buf;
	struct server_call *c = &s->call;
	uint32_t rec;

	if (cqe->written < sizeof(*h) || h->params_len > SERVER_RECV_BYTES ||
	    cqe->written != sizeof(*h) + h->params_len || h->call_id != cqe->call_id)
		return false;
	rec = (cqe->written + 7u) & ~7u;
	memset(c, 0, sizeof(*c));
	c->srv = s;
	c->port = port;
	c->port_ctx = s->ports[port].ctx;
	c->call_id = h->call_id;
	c->method_id = h->method_id;
	c->interface_id = h->interface_id;
	if ((cqe->flags & CAPOS_CQE_F_XFER) && cqe->xfer_count) {
		if (cqe->xfer_count > CAPOS_XFER_MAX)
			return false;
		c->caps = (const struct capos_xfer_result *)((uint8_t *)buf + rec);
		c->ncaps = cqe->xfer_count;
	}
	capnp_msg_init_build(&c->results, s->arena, SERVER_MSG_MAX);
	if (capnp_msg_init_read(&c->params, (const uint8_t *)buf + sizeof(*h),
				h->params_len))
		capnp_msg_fail(&c->params, CAPNP_ERR_TRUNCATED);
	return true;
}

/* Serves the call the receive buffer of port holds. */
static int server_handle(struct server *s, int port, const struct capos_cqe *cqe)
{
	struct server_call *c = &s->call;
	const struct server_port *p = &s->ports[port];
	int ret;

	s->calls++;
	if (!server_open(s, port, cqe)) {
		/* Answer what can be answered: the call id from the CQE. */
		memset(c, 0, sizeof(*c));
		c->port = port;
		c->call_id = cqe->call_id;
		server_raise(c, capos_CapException_Type_failed, "inconsistent RECV");
		s->answer_ready = true;
		server_build_exception(s);
		return 0;
	}
	if (((const struct capos_recv_header *)s->ports[port].recv_buf)->params_len >
	    SERVER_MSG_MAX) {
		server_drop_untaken(c);
		server_raise(c, capos_CapException_Type_invalidArgument,
			     "the params are larger than this server takes");
		s->answer_ready = true;
		server_build_exception(s);
		return 0;
	}
	if (p->iface && c->interface_id != p->iface)
		ret = CAPNPC_DISPATCH_UNIMPLEMENTED;
	else if (capnp_msg_error(&c->params))
		ret = 0;	/* server_finish raises invalidArgument */
	else
		ret = p->dispatch(p->impl, c, c->method_id, &c->params, &c->results);
	return server_finish(s, ret);
}

int server_serve_one(struct server *s, uint64_t timeout_ns)
{
	const struct server_port *p = &s->ports[s->call.port];
	struct capos_cqe cqe;
	int err, port;

	/*
	 * The answer rides on its port's next RECV (RECV | REPLY); only with
	 * that RECV still posted (after a timeout, or another port's call) or
	 * the port removed does it go alone, as RETURN. Either way the
	 * RELEASEs follow it.
	 */
	if (s->answer_ready)
		err = p->recv_posted || !p->live || p->orphaned ? server_queue_return(s)
								: server_queue_recv(s, s->call.port);
	else
		err = 0;
	if (!err)
		err = server_queue_releases(s);
	if (err)
		return err;
	for (;;) {
		err = server_wait_recv(s, timeout_ns, &cqe);
		if (err)
			return err;
		port = SERVER_UD_PORT(cqe.user_data) % SERVER_PORTS_MAX;
		if (cqe.result >= 0)
			return server_handle(s, port, &cqe);
		if (port == 0)
			return cqe.result;
		/* An added port whose endpoint failed (released, say) is served no more. */
		s->ports[port].live = false;
	}
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

