// SPDX-License-Identifier: MIT
/*
 * Messages in and out of peers' memory: claiming a buffer when an operation
 * is submitted, the gathered copy of a message that does not fit its
 * claimed window (its buffer crosses a page: a page walk per destination
 * page; the common case is inline in message.h), CapExceptions, and the
 * completions of calls and receives that fail.
 */
#include <capos/errors.h>

#include "ipc/endpoint_impl.h"
#include "ipc/message.h"
#include "lib/string.h"
#include "proc/proc.h"
#include "ring/call.h"

#define EXCEPTION_BUF 192	/* a serialised CapException with a short reason */

/*
 * Claims the buffer [addr, addr + len) of the calling process for a RECV or
 * a CALL's answer (ipc/claim.h): checks that all of it is writable (as
 * as_check_access would) and takes its window, or reuses the thread's last
 * claim of the same buffer. Returns 0 or CAPOS_ERR_BAD_ADDRESS. The window
 * is valid while the process lives: the records that keep it also hold the
 * process's peer, checked alive before each use.
 */
int buffer_claim(const struct ring_caller *c, uint64_t addr, uint32_t len, struct buf_window *w)
{
	struct ipc_claim_cache *cache = c->claim;
	uint64_t epoch = as_unmap_epoch(c->as);	/* before the window is looked up */
	uint64_t key = claim_key(len, epoch);
	uint32_t first;

	if (cache && cache->addr == addr && cache->key == key) {
		buf_window_copy(w, &cache->win);
		return 0;
	}
	first = CAPOS_PAGE_SIZE - (uint32_t)(addr & (CAPOS_PAGE_SIZE - 1));
	if (first > len)
		first = len;
	w->kva = NULL;
	w->len = 0;
	w->epoch = epoch;
	if (len == 0)
		return 0;
	w->kva = as_window(c->as, addr, first);
	if (!w->kva)
		return CAPOS_ERR_BAD_ADDRESS;
	w->len = first;
	if (len > first && as_check_access(c->as, addr + first, len - first, AS_PROT_WRITE))
		return CAPOS_ERR_BAD_ADDRESS;
	if (cache)
		*cache = (struct ipc_claim_cache){ .addr = addr, .key = key, .win = *w };
	return 0;
}

int put_message_gather(struct addrspace *dst, uint64_t uaddr, const struct recv_head *h,
		       const struct msg_body *body, const struct capos_xfer_result *rec,
		       uint32_t n)
{
	uint32_t head_len = h ? (uint32_t)sizeof(struct capos_recv_header) : 0;
	uint32_t end = head_len + body->len, roff = (end + 7u) & ~7u;
	uint64_t head[sizeof(struct capos_recv_header) / 8];
	uint8_t tail[8 + CAPOS_XFER_MAX * sizeof(*rec)] __attribute__((aligned(8)));

	if (h)
		recv_header_put(head, h);
	memset(tail, 0, roff - end);
	memcpy(tail + (roff - end), rec, n * sizeof(*rec));
	struct as_piece pieces[3] = {
		{ .kptr = head, .len = head_len },
		{ .kptr = body->kptr, .uaddr = body->uaddr, .len = body->len },
		{ .kptr = tail, .len = roff - end + n * (uint32_t)sizeof(*rec) },
	};
	return as_copy_gather(dst, uaddr, pieces, 3);
}

/* Writes a CapException into a caller's result buffer; returns the CQE result. */
int write_exception(struct addrspace *as, uint64_t addr, uint32_t len, uint16_t type,
		    const char *reason, uint32_t *written)
{
	uint8_t buf[EXCEPTION_BUF] __attribute__((aligned(8)));
	struct call_ctx ctx = { .result = buf, .result_cap = len < sizeof(buf) ? len : sizeof(buf) };
	int ret = call_raise(&ctx, type, reason);

	*written = 0;
	if (ret == CAPOS_ERR_APPLICATION_EXCEPTION) {
		if (as_copy_out(as, addr, buf, ctx.result_written))
			return CAPOS_ERR_BAD_ADDRESS;
		*written = ctx.result_written;
	}
	return ret;
}

/* Completes a call with a transport error (if its caller still lives). */
void call_fail(struct ipc_call *call, int err)
{
	spin_lock(&call->caller->lock);
	if (call->caller->alive)
		peer_post_locked(call->caller, cqe_words(call->user_data, err, 0, 0, 0, 0,
							 CAPOS_OP_CALL));
	spin_unlock(&call->caller->lock);
}

/* Completes a call with a CapException of `type`. */
void call_raise_exception(struct ipc_call *call, uint16_t type, const char *reason)
{
	struct ipc_peer *p = call->caller;
	uint32_t written;
	int result;

	spin_lock(&p->lock);
	if (p->alive) {
		result = write_exception(p->as, call->result_addr, call->result_len, type, reason,
					 &written);
		peer_post_locked(p, cqe_words(call->user_data, result, 0, 0, written, 0,
					      CAPOS_OP_CALL));
	}
	spin_unlock(&p->lock);
}

/* Completes a waiting RECV with a transport error. */
void recv_fail(struct ipc_recv *r, int err)
{
	spin_lock(&r->server->lock);
	if (r->server->alive)
		peer_post_locked(r->server, cqe_words(r->user_data, err, 0, 0, 0, 0, CAPOS_OP_RECV));
	spin_unlock(&r->server->lock);
}
