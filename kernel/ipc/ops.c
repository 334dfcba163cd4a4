// SPDX-License-Identifier: MIT
/*
 * The ring operations of an endpoint: CALL on a client facet, RECV (with
 * or without REPLY) and RETURN on the owner side. The ring reaches them
 * through the sides' kobj_ring_ops, from the general dispatcher and from
 * the fast path alike (fastpath.c), so each is written once. Each checks
 * what it can before it acts (decode, then invoke), and drops what it gave
 * up only after ep_unlock() (endpoint_impl.h).
 *
 * Lock order: endpoint lock, then one peer lock (docs/locking.md).
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "ipc/endpoint_impl.h"
#include "proc/proc.h"

/* ---- CALL -------------------------------------------------------------------------------- */

/*
 * Offers a call to the waiting receivers, its params straight from the
 * caller's memory. Returns true when it was delivered (or failed for good,
 * already completed); false to queue it. A waiting RECV holds its place
 * among the unanswered calls (queue.c), so delivery keeps the bound.
 */
static bool offer_to_receivers_locked(struct endpoint *ep, struct ipc_call *call, uint32_t n,
				      const struct msg_body *src, struct ipc_defer *d)
{
	struct ipc_recv *r;

	assert_held(&ep->lock);
	while ((r = recv_pop_locked(ep)) != NULL) {
		struct capos_cqe cqe;
		int err = 0;

		switch (deliver_locked(ep, call, n, r, src, true, &cqe, &err, &d->objs)) {
		case DELIVERED:
			recv_free_locked(ep, r);
			inflight_push_locked(ep, call);
			return true;
		case RECV_FAILED:
			recv_fail(r, err);
			recv_free_locked(ep, r);
			break;
		case SERVER_GONE:
			recv_free_locked(ep, r);
			break;
		case CALL_FAILED:
			recv_push_front_locked(ep, r);	/* it keeps waiting, first in line */
			call_fail(call, err);
			call_defer_free(d, call);
			return true;
		}
	}
	return false;
}

/* Queues a call no receiver was waiting for, with a copy of its params. */
static int queue_call_locked(struct endpoint *ep, struct ipc_call *call,
			     const struct msg_body *src)
{
	assert_held(&ep->lock);
	if (as_copy_in(src->as, call->params, src->uaddr, call->params_len))
		return CAPOS_ERR_BAD_ADDRESS;
	pending_push_locked(ep, call, false);
	return KOBJ_CALL_PENDING;
}

/* A CALL the endpoint cannot take: a CapException in the caller's buffer. */
static int call_refuse(const struct ring_caller *c, const struct capos_sqe *s, bool dead,
		       struct capos_cqe *cqe)
{
	return write_exception(c->as, s->result_addr, s->result_len,
			       dead ? capos_CapException_Type_disconnected
				    : capos_CapException_Type_overloaded,
			       dead ? "the server is gone" : "the endpoint's call queue is full",
			       &cqe->written);
}

int endpoint_call_shaped(struct kobj *obj, const struct ring_caller *c,
			 const struct capos_sqe *s, struct capos_cqe *cqe, struct sqe_shape sh)
{
	struct endpoint_client *facet = (struct endpoint_client *)obj;
	struct endpoint *ep = facet->ep;
	const struct msg_body src = { .as = c->as, .uaddr = s->params_addr, .len = s->params_len };
	struct ipc_defer d;
	struct buf_window win;
	bool refused;
	int err;

	/* No RECV could hold it: queued, it would fail the first RECV in line for good. */
	if (__builtin_expect(s->params_len > IPC_PARAMS_DELIVERABLE(sh.xfer_count), 0))
		return CAPOS_ERR_TOO_LARGE;
	if (buffer_claim(c, s->result_addr, s->result_len, &win))
		return CAPOS_ERR_BAD_ADDRESS;
	struct ipc_call *call = call_create(ep, c, s, sh.xfer_count, facet, &win, &err);
	if (!call)
		return err;
	ipc_defer_init(&d);
	ep_lock(ep);
	refused = ep->dead || ep->npending >= ENDPOINT_MAX_PENDING;
	if (!refused) {
		call->id = call_id_peek_locked(ep);
		call_id_take_locked(ep, call->id);
		err = KOBJ_CALL_PENDING;
		if (!offer_to_receivers_locked(ep, call, sh.xfer_count, &src, &d))
			err = queue_call_locked(ep, call, &src);
		if (err != KOBJ_CALL_PENDING)
			call_defer_free(&d, call);
	}
	bool dead = ep->dead;
	ep_unlock(ep);
	if (refused) {
		err = call_refuse(c, s, dead, cqe);
		call_defer_free(&d, call);
	}
	ipc_defer_flush(&d);
	return err;
}

/* ---- RETURN ------------------------------------------------------------------------------ */

/*
 * Reads a RETURN's answer: the message stays in the server's memory,
 * capabilities are held. `sh` is the SQE's shape (endpoint_impl.h).
 */
static int answer_prepare(const struct ring_caller *c, const struct capos_sqe *s,
			  struct sqe_shape sh, struct ipc_answer *a)
{
	a->body = (struct msg_body){ .as = c->as, .uaddr = s->params_addr, .len = s->params_len };
	a->exception = (sh.flags & CAPOS_SQE_F_EXCEPTION) != 0;
	a->nxfer = 0;	/* xfer[] is filled up to nxfer: no zeroing of the rest */
	if (a->exception && sh.xfer_count)
		return CAPOS_ERR_INVALID_XFER;	/* an exception carries no capabilities */
	if (!sh.xfer_count)
		return 0;
	return cap_xfer_collect(c->caps, c->as, s->xfer_addr, sh.xfer_count, a->xfer, &a->nxfer);
}

/* Answers call `id`; returns RETURN's result. A call that is over goes to d. */
static int answer_call_locked(struct endpoint *ep, uint32_t id, const struct ipc_answer *a,
			      uint32_t n, struct ipc_defer *d)
{
	struct ipc_call **link = inflight_find_locked(ep, id), *call;
	int err = CAPOS_ERR_DISCONNECTED;	/* the facet or the caller is gone */

	if (!link)
		return CAPOS_ERR_NO_SUCH_CALL;
	call = *link;
	spin_lock(&call->caller->lock);
	if (!call->cancelled && call->caller->alive &&
	    answer_locked(ep, call, a, n, &err) == ANSWER_RETRY) {
		spin_unlock(&call->caller->lock);
		return err;	/* still in flight: the server may answer again */
	}
	spin_unlock(&call->caller->lock);
	inflight_unlink_locked(ep, link);
	call_defer_free(d, call);
	return err;
}

/*
 * After ep_unlock: drops what the operation gave up, then moved capabilities
 * leave the server (the current process) and the answer's references go.
 * The list is emptied first: a RECV | REPLY that also received a message
 * may have filled it already (cap/object.h, KOBJ_DEFER_MAX). n is
 * a->nxfer, given apart as in answer_locked.
 */
static void answer_finish(const struct ring_caller *c, struct ipc_answer *a, uint32_t n, int err,
			  struct ipc_defer *d)
{
	ipc_defer_flush(d);
	if (!n)
		return;
	if (!err) {
		cap_xfer_finish_moves(c->caps, a->xfer, n, &d->objs);
		kobj_defer_flush(&d->objs);
	}
	cap_xfer_put(a->xfer, n);
}

int endpoint_return_shaped(struct kobj *obj, const struct ring_caller *c,
			   const struct capos_sqe *s, struct capos_cqe *cqe, struct sqe_shape sh)
{
	struct endpoint *ep = (struct endpoint *)obj;
	struct ipc_defer d;
	struct ipc_answer a;
	int err;

	(void)cqe;
	if ((err = answer_prepare(c, s, sh, &a)) != 0)
		return err;
	ipc_defer_init(&d);
	ep_lock(ep);
	err = answer_call_locked(ep, s->call_id, &a, sh.xfer_count, &d);
	ep_unlock(ep);
	answer_finish(c, &a, sh.xfer_count, err, &d);
	return err;
}

/* ---- RECV -------------------------------------------------------------------------------- */

static bool caller_is_alive(struct ipc_call *call)
{
	spin_lock(&call->caller->lock);
	bool alive = call->caller->alive;
	spin_unlock(&call->caller->lock);
	return alive;
}

/* Delivers the first deliverable queued call to `r`; returns the outcome for RECV. */
static int take_queued_locked(struct endpoint *ep, const struct ipc_recv *r,
			      struct capos_cqe *cqe, bool *delivered, struct ipc_defer *d)
{
	struct ipc_call *call;

	assert_held(&ep->lock);
	*delivered = false;
	while ((call = pending_pop_locked(ep)) != NULL) {
		int err = 0;

		if (!caller_is_alive(call)) {
			call_defer_free(d, call);	/* its process exited while it waited */
			continue;
		}
		switch (deliver_locked(ep, call, call->nxfer, r, NULL, false, cqe, &err, &d->objs)) {
		case DELIVERED:
			inflight_push_locked(ep, call);
			*delivered = true;
			return cqe->result;
		case RECV_FAILED:
			pending_push_locked(ep, call, true);
			return err;
		case SERVER_GONE:
			pending_push_locked(ep, call, true);
			return CAPOS_ERR_DISCONNECTED;
		case CALL_FAILED:
			call_fail(call, err);
			call_defer_free(d, call);
			break;
		}
	}
	return 0;
}

/* The receiving half of RECV: a queued call now, or a wait for the next one. */
static int receive_locked(struct endpoint *ep, const struct ring_caller *c,
			  const struct capos_sqe *s, const struct ipc_recv *r,
			  struct capos_cqe *cqe, struct ipc_defer *d)
{
	bool delivered;
	int ret;

	assert_held(&ep->lock);
	if (ep->ninflight >= ENDPOINT_MAX_INFLIGHT)
		return CAPOS_ERR_QUEUE_FULL;
	ret = take_queued_locked(ep, r, cqe, &delivered, d);
	if (ret != 0 || delivered)
		return ret;
	if (ep->orphaned)	/* no call can ever come */
		return CAPOS_ERR_NO_CLIENTS;
	if (!recv_can_wait_locked(ep))
		return CAPOS_ERR_QUEUE_FULL;
	return recv_wait_locked(ep, c->peer, s, &r->win);
}

/*
 * RECV, and RECV | REPLY (seL4's ReplyRecv): the SQE's RETURN fields answer
 * call_id first, under the same endpoint lock hold as the receive. Until
 * the answer has gone out, every failure completes with
 * CAPOS_CQE_F_REPLY_FAILED and nothing is received; after it, a failure of
 * the receive completes without the flag (docs/ipc.md).
 */
int endpoint_recv_shaped(struct kobj *obj, const struct ring_caller *c,
			 const struct capos_sqe *s, struct capos_cqe *cqe, struct sqe_shape sh)
{
	struct endpoint *ep = (struct endpoint *)obj;
	bool reply = (sh.flags & CAPOS_SQE_F_REPLY) != 0;
	struct ipc_recv r;	/* what deliver_locked reads of a receiver, field by field */
	struct ipc_defer d;
	struct ipc_answer a;
	int ret = 0;

	r.server = c->peer;
	r.user_data = s->user_data;
	r.result_addr = s->result_addr;
	r.result_len = s->result_len;
	a.nxfer = 0;
	if (buffer_claim(c, s->result_addr, s->result_len, &r.win))
		ret = CAPOS_ERR_BAD_ADDRESS;
	else if (reply)
		ret = answer_prepare(c, s, sh, &a);
	if (ret) {
		cqe->flags |= reply ? CAPOS_CQE_F_REPLY_FAILED : 0;
		cap_xfer_put(a.xfer, a.nxfer);
		return ret;
	}
	ipc_defer_init(&d);
	ep_lock(ep);
	if (reply && (ret = answer_call_locked(ep, s->call_id, &a, sh.xfer_count, &d)) != 0)
		cqe->flags |= CAPOS_CQE_F_REPLY_FAILED;	/* nothing is received */
	else
		ret = receive_locked(ep, c, s, &r, cqe, &d);
	ep_unlock(ep);
	answer_finish(c, &a, reply ? sh.xfer_count : 0, cqe->flags & CAPOS_CQE_F_REPLY_FAILED ? ret : 0,
		      &d);
	return ret;
}

/* ---- the kobj_ring_ops of the two sides: the shape from the SQE itself -------------------- */

int endpoint_call(struct kobj *obj, const struct ring_caller *c, const struct capos_sqe *s,
		  struct capos_cqe *cqe)
{
	return endpoint_call_shaped(obj, c, s, cqe, sqe_shape_of(s));
}

int endpoint_recv(struct kobj *obj, const struct ring_caller *c, const struct capos_sqe *s,
		  struct capos_cqe *cqe)
{
	return endpoint_recv_shaped(obj, c, s, cqe, sqe_shape_of(s));
}

int endpoint_return(struct kobj *obj, const struct ring_caller *c, const struct capos_sqe *s,
		    struct capos_cqe *cqe)
{
	return endpoint_return_shaped(obj, c, s, cqe, sqe_shape_of(s));
}
