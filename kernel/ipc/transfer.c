// SPDX-License-Identifier: MIT
/*
 * The two steps that move a message between processes, each written once
 * for the general operations and the fast path: a call delivered to a
 * waiting receiver (deliver_locked), an answer delivered to its caller
 * (answer_locked). Both install transferred capabilities all or nothing
 * before the message is written, take them back if the write fails, and
 * post the receiving side's CQE last, so a peer sees a complete message or
 * nothing. References a delivery gives up go to `later` (endpoint_impl.h);
 * capabilities taken back after a failed write are dropped at once, since
 * the message still holds its own (cap_xfer_uninstall).
 *
 * Lock order: endpoint lock, then one peer lock (docs/locking.md).
 */
#include <capos/errors.h>

#include "ipc/endpoint_impl.h"
#include "ipc/message.h"

/*
 * Hands `call` to the receiver `r`: capabilities into the server's table,
 * header, params and records into its buffer. `src` is set when the params
 * are still in the caller's memory (the caller is the current process),
 * NULL when they are staged in the call. On DELIVERED, *cqe is the
 * receiver's completion, already posted to its ring if `post`, and moved
 * capabilities have left the caller; on any other outcome nothing changed
 * but a partly written receive buffer. n is call->nxfer, given apart so
 * that a caller's constant folds (struct sqe_shape).
 */
enum deliver_outcome deliver_locked(struct endpoint *ep, struct ipc_call *call, uint32_t n,
				    const struct ipc_recv *r, const struct msg_body *src,
				    bool post, struct capos_cqe *cqe, int *err,
				    struct kobj_defer *later)
{
	struct capos_xfer_result rec[CAPOS_XFER_MAX];
	struct ipc_peer *server = r->server;
	uint32_t need = sizeof(struct capos_recv_header) + call->params_len;
	struct msg_body staged;
	const struct recv_head h = {
		.call_id = call->id, .method_id = call->method_id, .xfer_count = (uint16_t)n,
		.interface_id = ep->iface, .params_len = call->params_len,
	};

	assert_held(&ep->lock);
	if (!src) {
		staged = (struct msg_body){ .kptr = call->params, .len = call->params_len };
		src = &staged;
	}
	spin_lock(&server->lock);
	if (!server->alive) {
		spin_unlock(&server->lock);
		return SERVER_GONE;
	}
	/* Checked before capabilities go in; put_message checks the rest. */
	if (n && message_size(true, call->params_len, n) > r->result_len) {
		spin_unlock(&server->lock);
		*err = CAPOS_ERR_RESULT_TOO_SMALL;
		return RECV_FAILED;
	}
	*err = n ? cap_xfer_install(server->caps, call->xfer, n, rec) : 0;
	if (*err) {
		spin_unlock(&server->lock);
		return CALL_FAILED;
	}
	int copied = put_message(server->as, r->result_addr, r->result_len, &r->win, &h, src, rec,
				 n);
	if (copied) {
		cap_xfer_uninstall(server->caps, rec, n);
		spin_unlock(&server->lock);
		*err = message_error(copied);
		/* A bad or small receive buffer fails the RECV; bad params fail the call. */
		return copied == AS_BAD_SRC ? CALL_FAILED : RECV_FAILED;
	}
	const struct cqe_words done = cqe_words(r->user_data, (int32_t)need,
						n ? CAPOS_CQE_F_XFER : 0, call->id, need,
						(uint16_t)n, CAPOS_OP_RECV);
	if (post)
		peer_post_locked(server, done);
	else
		__builtin_memcpy(cqe, &done, sizeof(*cqe));
	spin_unlock(&server->lock);
	if (n) {
		spin_lock(&call->caller->lock);
		if (call->caller->alive)
			cap_xfer_finish_moves(call->caller->caps, call->xfer, n, later);
		spin_unlock(&call->caller->lock);
		cap_xfer_defer(call->xfer, n, later);	/* the server's table holds them now */
		call->nxfer = 0;
	}
	return DELIVERED;
}

/*
 * Copies the answer `a` from the server's memory into the caller's result
 * buffer and its capabilities into the caller's table, then posts the
 * caller's CQE. *err is RETURN's result. ANSWER_RETRY (the server's message
 * is unreadable) changes nothing but a partly written result buffer.
 * Caller holds ep->lock and the caller's peer lock, and has checked that
 * the caller is alive and the call not cancelled. n is a->nxfer, given
 * apart as in deliver_locked.
 */
enum answer_outcome answer_locked(struct endpoint *ep, struct ipc_call *call,
				  const struct ipc_answer *a, uint32_t n, int *err)
{
	struct capos_xfer_result rec[CAPOS_XFER_MAX];
	struct ipc_peer *p = call->caller;

	assert_held(&ep->lock);
	assert_held(&p->lock);
	*err = 0;
	/* Checked before capabilities go in; put_message checks the rest. */
	if (n && message_size(false, a->body.len, n) > call->result_len)
		*err = CAPOS_ERR_RESULT_TOO_SMALL;
	else
		*err = n ? cap_xfer_install(p->caps, a->xfer, n, rec) : 0;
	if (!*err) {
		int copied = put_message(p->as, call->result_addr, call->result_len,
					 &call->result_win, NULL, &a->body, rec, n);

		if (copied) {
			cap_xfer_uninstall(p->caps, rec, n);
			*err = message_error(copied);
			if (copied == AS_BAD_SRC)
				return ANSWER_RETRY;	/* the caller is not told */
		}
	}
	if (*err)
		peer_post_locked(p, cqe_words(call->user_data, *err, 0, 0, 0, 0, CAPOS_OP_CALL));
	else
		peer_post_locked(p, cqe_words(call->user_data,
					      a->exception ? CAPOS_ERR_APPLICATION_EXCEPTION
							   : (int32_t)a->body.len,
					      n ? CAPOS_CQE_F_XFER : 0, 0, a->body.len, (uint16_t)n,
					      CAPOS_OP_CALL));
	return ANSWERED;
}
