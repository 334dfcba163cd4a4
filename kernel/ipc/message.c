// SPDX-License-Identifier: MIT
/*
 * Messages in and out of peers' memory: claiming a buffer when an operation
 * is submitted, writing a message (header, body, transfer records) into a
 * claimed buffer, and posting a peer's CQE. Every delivery and answer, on
 * the general path and the fast path, goes through put_message() and
 * peer_post_locked().
 *
 * Each message is copied once, from the sender's pages to the receiver's:
 * the sender is the current process, so its memory is read directly, and
 * the receiver's buffer is written through the window claimed for it
 * (ipc/claim.h). A message that does not fit the window (its buffer crosses
 * a page) takes the gathered copy, a page walk per destination page.
 */
#include <capos/errors.h>

#include "ipc/endpoint_impl.h"
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
	uint32_t epoch = cache ? as_unmap_epoch(c->as) : 0;
	uint32_t first;

	if (cache && cache->valid && cache->addr == addr && cache->len == len &&
	    cache->epoch == epoch) {
		*w = cache->win;
		return 0;
	}
	first = CAPOS_PAGE_SIZE - (uint32_t)(addr & (CAPOS_PAGE_SIZE - 1));
	if (first > len)
		first = len;
	w->kva = NULL;
	w->len = 0;
	if (len == 0)
		return 0;
	w->kva = as_window(c->as, addr, first);
	if (!w->kva)
		return CAPOS_ERR_BAD_ADDRESS;
	w->len = first;
	if (len > first && as_check_access(c->as, addr + first, len - first, AS_PROT_WRITE))
		return CAPOS_ERR_BAD_ADDRESS;
	if (cache)
		*cache = (struct ipc_claim_cache){ .valid = true, .epoch = epoch, .addr = addr,
						   .len = len, .win = *w };
	return 0;
}

/* The RECV header as eight word stores (no block clear, for which gcc may use rep stos). */
static inline void recv_header_put(uint64_t *w, const struct recv_head *h)
{
	CAPOS_STATIC_ASSERT(sizeof(struct capos_recv_header) == 8 * sizeof(uint64_t),
			    "the header is eight words");
	w[0] = h->call_id | (uint64_t)h->method_id << 32 | (uint64_t)h->xfer_count << 48;
	w[1] = h->interface_id;
	w[2] = h->params_len;	/* params_len, flags 0 */
	w[3] = 0;		/* session_ref (M9) */
	w[4] = 0;
	w[5] = 0;		/* session_epoch */
	w[6] = 0;		/* reserved */
	w[7] = 0;
}

/*
 * Writes a message into the user buffer at uaddr of `dst`, whose claimed
 * window is `win`: the RECV header `h` (NULL for an answer), the body, zero
 * padding to the next 8 bytes and n transfer records. Returns 0,
 * AS_BAD_DST or AS_BAD_SRC (the body's user memory is unreadable); the
 * buffer may be partly written on failure.
 */
int put_message(struct addrspace *dst, uint64_t uaddr, const struct buf_window *win,
		const struct recv_head *h, const struct msg_body *body,
		const struct capos_xfer_result *rec, uint32_t n)
{
	uint32_t head_len = h ? (uint32_t)sizeof(struct capos_recv_header) : 0;
	uint32_t end = head_len + body->len, roff = (end + 7u) & ~7u;
	uint32_t total = roff + n * (uint32_t)sizeof(*rec);
	uint8_t *kva = win->kva;

	if (kva && total <= win->len) {
		if (body->kptr)
			memcpy(kva + head_len, body->kptr, body->len);
		else if (as_copy_in(body->as, kva + head_len, body->uaddr, body->len))
			return AS_BAD_SRC;
		if (h)
			recv_header_put((uint64_t *)kva, h);
		for (uint32_t i = end; i < roff; i++)
			kva[i] = 0;
		if (n)
			memcpy(kva + roff, rec, n * sizeof(*rec));
		return 0;
	}
	/* Across a page boundary (or a bad buffer): the general copy finds out. */
	uint64_t head[sizeof(struct capos_recv_header) / 8];
	uint8_t tail[8 + CAPOS_XFER_MAX * sizeof(*rec)] __attribute__((aligned(8)));
	if (h)
		recv_header_put(head, h);
	memset(tail, 0, roff - end);
	memcpy(tail + (roff - end), rec, n * sizeof(*rec));
	struct as_piece pieces[3] = {
		{ .kptr = head, .len = head_len },
		{ .kptr = body->kptr, .uaddr = body->uaddr, .len = body->len },
		{ .kptr = tail, .len = total - end },
	};
	return as_copy_gather(dst, uaddr, pieces, 3);
}

/*
 * Posts `cqe` to the peer's ring, filling the slot in place with word
 * stores, and wakes its waiter while the peer lock keeps it alive. Caller
 * holds p->lock and has checked p->alive.
 */
void peer_post_locked(struct ipc_peer *p, const struct capos_cqe *cqe)
{
	struct capos_cqe *slot;

	assert_held(&p->lock);
	slot = ring_post_begin(p->ring);
	if (slot) {
		uint64_t *w = (uint64_t *)slot;

		CAPOS_STATIC_ASSERT(sizeof(*slot) == 4 * sizeof(uint64_t), "a CQE is four words");
		w[0] = cqe->user_data;
		w[1] = (uint32_t)cqe->result | (uint64_t)cqe->flags << 32;
		w[2] = cqe->call_id | (uint64_t)cqe->written << 32;
		w[3] = cqe->xfer_count | (uint64_t)cqe->opcode << 16;	/* _pad, reserved 0 */
	}
	if (ring_post_end(p->ring, slot))
		ring_wake(p->ring);
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
	struct capos_cqe cqe = { .user_data = call->user_data, .result = err,
				 .opcode = CAPOS_OP_CALL };

	spin_lock(&call->caller->lock);
	if (call->caller->alive)
		peer_post_locked(call->caller, &cqe);
	spin_unlock(&call->caller->lock);
}

/* Completes a call with a CapException of `type`. */
void call_raise_exception(struct ipc_call *call, uint16_t type, const char *reason)
{
	struct capos_cqe cqe = { .user_data = call->user_data, .opcode = CAPOS_OP_CALL };
	struct ipc_peer *p = call->caller;

	spin_lock(&p->lock);
	if (p->alive) {
		cqe.result = write_exception(p->as, call->result_addr, call->result_len, type,
					     reason, &cqe.written);
		peer_post_locked(p, &cqe);
	}
	spin_unlock(&p->lock);
}

/* Completes a waiting RECV with a transport error. */
void recv_fail(struct ipc_recv *r, int err)
{
	struct capos_cqe cqe = { .user_data = r->user_data, .result = err,
				 .opcode = CAPOS_OP_RECV };

	spin_lock(&r->server->lock);
	if (r->server->alive)
		peer_post_locked(r->server, &cqe);
	spin_unlock(&r->server->lock);
}
