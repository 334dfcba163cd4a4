/* SPDX-License-Identifier: MIT */
/*
 * Writing a message into a peer's claimed buffer and posting a peer's CQE:
 * the two steps every delivery and answer ends with, on the general path
 * and the fast path alike. Inline, so that each caller's constants (a
 * header or none, transfers or none, a staged body or user memory) fold
 * away; the rare page-crossing copy is out of line (message.c).
 *
 * Each message is copied once, from the sender's pages to the receiver's:
 * the sender is the current process, so its memory is read directly, and
 * the receiver's buffer is written through the window claimed for it
 * (ipc/claim.h).
 */
#ifndef CAPOS_KERNEL_IPC_MESSAGE_H
#define CAPOS_KERNEL_IPC_MESSAGE_H

#include <capos/endpoint.h>
#include <capos/errors.h>
#include <capos/ring.h>

#include "ipc/claim.h"
#include "ipc/peer.h"
#include "lib/lockdep.h"
#include "lib/string.h"
#include "mm/addrspace.h"
#include "proc/proc.h"
#include "ring/ring.h"

/* Where a message body comes from: kernel memory at kptr, or (kptr NULL) user memory. */
struct msg_body {
	struct addrspace *as;	/* the current address space (the sender's) */
	uint64_t uaddr;
	const void *kptr;
	uint32_t len;
};

/* The fields of a RECV header that vary (capos_recv_header; the rest is zero). */
struct recv_head {
	uint32_t call_id;
	uint16_t method_id;
	uint16_t xfer_count;
	uint64_t interface_id;
	uint32_t params_len;
};

/* The RECV header as eight word stores (no block clear, for which gcc may use rep stos). */
static inline __attribute__((always_inline)) void recv_header_put(uint64_t *w,
								 const struct recv_head *h)
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

struct ring_caller;

/*
 * Claims the buffer [addr, addr + len) of the calling process for a message
 * that arrives later (a RECV's, a CALL's answer): message.c.
 */
int buffer_claim(const struct ring_caller *c, uint64_t addr, uint32_t len, struct buf_window *w);

/* put_message for a message that does not fit the window: the gathered copy. */
int put_message_gather(struct addrspace *dst, uint64_t uaddr, const struct recv_head *h,
		       const struct msg_body *body, const struct capos_xfer_result *rec,
		       uint32_t n);

/* The bytes a message takes: header, body padded to 8, transfer records. */
static inline uint32_t message_size(bool head, uint32_t body_len, uint32_t n)
{
	/* Lengths are bounded by the ABI (CAPOS_PARAMS_MAX, CAPOS_XFER_MAX): no overflow. */
	uint32_t end = (head ? (uint32_t)sizeof(struct capos_recv_header) : 0) + body_len;

	return ((end + 7u) & ~7u) + n * (uint32_t)sizeof(struct capos_xfer_result);
}

#define MSG_TOO_SMALL 3	/* put_message: the buffer (limit bytes) cannot hold it */

/* The CQE error for a put_message failure: RESULT_TOO_SMALL or BAD_ADDRESS. */
static inline int message_error(int copied)
{
	return copied == MSG_TOO_SMALL ? CAPOS_ERR_RESULT_TOO_SMALL : CAPOS_ERR_BAD_ADDRESS;
}

/*
 * Writes a message into the user buffer at uaddr of `dst` (`limit` bytes),
 * whose claimed window is `win`: the RECV header `h` (NULL for an answer),
 * the body, zero padding to the next 8 bytes and n transfer records.
 * Returns 0, MSG_TOO_SMALL (nothing written), AS_BAD_DST or AS_BAD_SRC (the
 * body's user memory is unreadable); the buffer may be partly written on
 * the last two.
 */
static inline __attribute__((always_inline)) int put_message(
	struct addrspace *dst, uint64_t uaddr, uint32_t limit, const struct buf_window *win,
	const struct recv_head *h, const struct msg_body *body,
	const struct capos_xfer_result *rec, uint32_t n)
{
	uint32_t head_len = h ? (uint32_t)sizeof(struct capos_recv_header) : 0;
	uint32_t end = head_len + body->len, roff = (end + 7u) & ~7u;
	uint32_t total = message_size(h != NULL, body->len, n);
	uint8_t *kva = win->kva;

	/* win->len is 0 when kva is NULL: only an empty message fits then. */
	if (total > win->len) {
		/* The window lies inside the buffer: a message that fits it fits. */
		if (total > limit)
			return MSG_TOO_SMALL;
		/* Copies, so that h and body never need an address on the common path. */
		struct recv_head hh = h ? *h : (struct recv_head){ 0 };
		struct msg_body bb = *body;

		return put_message_gather(dst, uaddr, h ? &hh : NULL, &bb, rec, n);
	}
	if (end == 0)
		return 0;
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

/*
 * A CQE as its four words (struct capos_cqe's layout), built from scalars
 * so that callers' constants fold and nothing goes through memory.
 */
struct cqe_words {
	uint64_t w[4];
};

static inline __attribute__((always_inline)) struct cqe_words cqe_words(
	uint64_t user_data, int32_t result, uint32_t flags, uint32_t call_id, uint32_t written,
	uint16_t xfer_count, uint8_t opcode)
{
	CAPOS_STATIC_ASSERT(sizeof(struct capos_cqe) == sizeof(struct cqe_words),
			    "a CQE is four words");
	return (struct cqe_words){ { user_data, (uint32_t)result | (uint64_t)flags << 32,
				     call_id | (uint64_t)written << 32,
				     xfer_count | (uint64_t)opcode << 16 } };	/* _pad, reserved 0 */
}

/*
 * Posts the CQE `c` to the peer's ring, filling the slot in place with word
 * stores, and wakes its waiter while the peer lock keeps it alive. Caller
 * holds p->lock and has checked p->alive.
 */
static inline __attribute__((always_inline)) void peer_post_locked(struct ipc_peer *p,
								  struct cqe_words c)
{
	struct capos_cqe *slot;

	assert_held(&p->lock);
	slot = ring_post_begin(p->ring);
	if (slot) {
		uint64_t *w = (uint64_t *)slot;

		w[0] = c.w[0];
		w[1] = c.w[1];
		w[2] = c.w[2];
		w[3] = c.w[3];
	}
	if (ring_post_end(p->ring, slot))
		ring_wake(p->ring);
}

#endif
