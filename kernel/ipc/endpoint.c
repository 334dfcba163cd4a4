// SPDX-License-Identifier: MIT
/*
 * IPC endpoints: see endpoint.h for the model and docs/ipc.md for the rules.
 *
 * Locking: `lock` guards the endpoint's queues and flags. Order: endpoint
 * lock, then one peer lock at a time (never two), then what that peer's
 * process owns (address-space lock, table lock, ring cq_lock), then the
 * scheduler lock (ring_post wakes). No endpoint lock is ever held while
 * another is taken.
 */
#include <capos/endpoint.h>
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "cap/table.h"
#include "ipc/claim.h"
#include "ipc/endpoint.h"
#include "ipc/peer.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "proc/proc.h"
#include "ring/call.h"
#include "ring/seam.h"

#define EXCEPTION_BUF 192	/* a serialised CapException with a short reason */

struct ipc_xfer {
	struct kobj *obj;	/* one reference */
	capos_cap_t src;	/* sender's id (moves remove it on delivery) */
	uint8_t mode;
};

struct ipc_call {
	struct ipc_call *next;
	struct endpoint *ep;			/* the endpoint it was made on (spare slot) */
	uint32_t capacity;			/* bytes of msg[] */
	uint32_t id;
	bool cancelled;				/* the facet went away; caller already told */
	const void *facet;			/* identity only, never dereferenced */
	struct ipc_peer *caller;		/* one reference */
	uint64_t user_data;
	uint64_t result_addr;
	uint32_t result_len;
	struct buf_window result_win;
	uint16_t method_id;
	uint32_t params_len;
	uint32_t nxfer;
	struct ipc_xfer xfer[CAPOS_XFER_MAX];
	/*
	 * The params of a call that had to wait for a RECV, copied from the
	 * caller when it was queued (the caller may reuse its buffer at once).
	 * A call that meets a waiting RECV is delivered straight from the
	 * caller's memory and never uses this. Allocated with the record.
	 */
	uint8_t params[] __attribute__((aligned(8)));
};

struct ipc_recv {
	struct ipc_recv *next;
	bool embedded;				/* the endpoint's own slot, not allocated */
	struct ipc_peer *server;		/* one reference */
	uint64_t user_data;
	uint64_t result_addr;
	uint32_t result_len;
	struct buf_window win;
};

struct endpoint {
	struct kobj owner;			/* kobj refs = owner capabilities */
	uint64_t iface;				/* interface the facets serve; set at creation */
	uint32_t core_refs;			/* atomic: owner side alive (1) + facets */
	struct spinlock lock;			/* guards everything below */
	bool dead;				/* owner side gone */
	uint32_t next_id;
	struct ipc_call *pending, *pending_tail;
	uint32_t npending;
	struct ipc_call *inflight;
	uint32_t ninflight;
	struct ipc_recv *recvs;
	uint32_t nrecvs;
	/*
	 * Recycled records: most endpoints have one RECV waiting and one call in
	 * flight at a time, so one of each is kept instead of going through
	 * kmalloc every round trip. recv_slot is guarded by `lock`; spare_call is
	 * swapped atomically (taken before the lock, returned from any context).
	 */
	struct ipc_recv recv_slot;
	bool recv_slot_used;
	struct ipc_call *spare_call;
};

#define CALL_SPARE_BYTES 512	/* params capacity of a recyclable call record */

struct endpoint_client {
	struct kobj obj;
	struct endpoint *ep;			/* one core reference */
};

static const struct kobj_ops endpoint_owner_ops;
static const struct kobj_ops endpoint_client_ops;

bool endpoint_is_client(const struct kobj *obj)
{
	return obj->ops == &endpoint_client_ops;
}

bool endpoint_is_owner(const struct kobj *obj)
{
	return obj->ops == &endpoint_owner_ops;
}

static struct ipc_peer *peer_of(const struct ring_caller *c)
{
	return c->proc->peer;
}

/*
 * Claims the buffer [addr, addr + len) of the calling process for a RECV or
 * a CALL's answer (ipc/claim.h): checks that all of it is writable (as
 * as_check_access would) and takes its window, or reuses the thread's last
 * claim of the same buffer. Returns 0 or CAPOS_ERR_BAD_ADDRESS. The window
 * is valid while the process lives: the records that keep it also hold the
 * process's peer, checked alive before each use.
 */
static int buffer_claim(const struct ring_caller *c, uint64_t addr, uint32_t len,
			struct buf_window *w)
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

static void core_put(struct endpoint *ep)
{
	if (__atomic_sub_fetch(&ep->core_refs, 1, __ATOMIC_ACQ_REL) == 0) {
		(void)kfree(ep->spare_call);
		(void)kfree(ep);
	}
}

/* ---- transfers ------------------------------------------------------------------------- */

static void xfer_put(struct ipc_xfer *x, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		kobj_put(x[i].obj);
}

/* Validates the SQE's descriptors and takes a reference to each capability. */
static int xfer_collect(const struct ring_caller *c, const struct capos_sqe *s,
			struct ipc_xfer *out, uint32_t *n)
{
	struct capos_xfer d[CAPOS_XFER_MAX];
	int err = 0;

	*n = 0;
	if (as_copy_in(c->as, d, s->xfer_addr, s->xfer_count * sizeof(d[0])))
		return CAPOS_ERR_BAD_ADDRESS;
	for (uint32_t i = 0; i < s->xfer_count && !err; i++) {
		uint32_t rights;

		if (d[i].scope != CAPOS_XFER_SCOPE_DEFAULT || d[i].reserved0 || d[i].reserved1 ||
		    (d[i].mode != CAPOS_XFER_COPY && d[i].mode != CAPOS_XFER_MOVE))
			err = CAPOS_ERR_INVALID_XFER;
		for (uint32_t j = 0; j < i && !err; j++)
			if (d[j].cap_id == d[i].cap_id &&
			    (d[i].mode == CAPOS_XFER_MOVE || d[j].mode == CAPOS_XFER_MOVE))
				err = CAPOS_ERR_DUPLICATE_XFER;
		if (err || (err = cap_table_lookup(c->caps, d[i].cap_id, &out[i].obj, &rights)))
			break;
		out[i].src = d[i].cap_id;
		out[i].mode = d[i].mode;
		(*n)++;
		if (!(rights & CAP_RIGHT_TRANSFER) || !kobj_is_transferable(out[i].obj))
			err = CAPOS_ERR_NOT_TRANSFERABLE;
	}
	if (err) {
		xfer_put(out, *n);
		*n = 0;
	}
	return err;
}

/* Installs the capabilities in `caps` (all or nothing) and fills the records. */
static int xfer_install(struct cap_table *caps, const struct ipc_xfer *x, uint32_t n,
			struct capos_xfer_result *rec)
{
	for (uint32_t i = 0; i < n; i++) {
		capos_cap_t id;

		kobj_get(x[i].obj);
		int err = cap_table_insert(caps, x[i].obj, CAP_RIGHTS_ALL, &id);
		if (err) {
			kobj_put(x[i].obj);
			while (i--) {
				struct kobj *back;

				if (cap_table_take(caps, rec[i].cap_id, &back) == 0)
					kobj_put(back);
			}
			return err;
		}
		rec[i] = (struct capos_xfer_result){ .cap_id = id,
						     .interface_id = x[i].obj->iface_id };
	}
	return 0;
}

/* Takes back capabilities xfer_install put into `caps` (the delivery failed after all). */
static void xfer_uninstall(struct cap_table *caps, const struct capos_xfer_result *rec, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct kobj *back;

		if (cap_table_take(caps, rec[i].cap_id, &back) == 0)
			kobj_put(back);
	}
}

/* After delivery, moved capabilities leave the sender (already gone: nothing to do). */
static void xfer_finish_moves(struct cap_table *caps, const struct ipc_xfer *x, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (x[i].mode == CAPOS_XFER_MOVE)
			(void)!cap_table_remove(caps, x[i].src);
}

/* ---- completions ----------------------------------------------------------------------- */

static void post_locked(struct ipc_peer *p, struct capos_cqe *cqe)
{
	if (p->alive)
		(void)ring_post(p->ring, cqe);
}

/* Writes a CapException into a caller's result buffer; returns the CQE result. */
static int write_exception(struct addrspace *as, uint64_t addr, uint32_t len, uint16_t type,
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

static void call_recycle(struct ipc_call *call);

static void call_free(struct ipc_call *call)
{
	xfer_put(call->xfer, call->nxfer);
	ipc_peer_put(call->caller);
	call_recycle(call);
}

/* Completes a call with a transport error. */
static void call_fail(struct ipc_call *call, int err)
{
	struct capos_cqe cqe = { .user_data = call->user_data, .result = err,
				 .opcode = CAPOS_OP_CALL };

	spin_lock(&call->caller->lock);
	post_locked(call->caller, &cqe);
	spin_unlock(&call->caller->lock);
}

/* Completes a call with a CapException of `type`. */
static void call_raise_exception(struct ipc_call *call, uint16_t type, const char *reason)
{
	struct capos_cqe cqe = { .user_data = call->user_data, .opcode = CAPOS_OP_CALL };
	struct ipc_peer *p = call->caller;

	spin_lock(&p->lock);
	if (p->alive) {
		cqe.result = write_exception(p->as, call->result_addr, call->result_len, type,
					     reason, &cqe.written);
		(void)ring_post(p->ring, &cqe);
	}
	spin_unlock(&p->lock);
}

/* Frees a RECV record; the embedded one is handed back under ep->lock (caller holds it). */
static void recv_free_locked(struct endpoint *ep, struct ipc_recv *r)
{
	ipc_peer_put(r->server);
	if (r->embedded)
		ep->recv_slot_used = false;
	else
		(void)kfree(r);
}

static void recv_fail(struct ipc_recv *r, int err)
{
	struct capos_cqe cqe = { .user_data = r->user_data, .result = err,
				 .opcode = CAPOS_OP_RECV };

	spin_lock(&r->server->lock);
	post_locked(r->server, &cqe);
	spin_unlock(&r->server->lock);
}

/* ---- delivery of a call to a receiver ----------------------------------------------------- */

enum deliver_outcome {
	DELIVERED,
	RECV_FAILED,	/* the receiver's buffer is unusable: it completes with *err */
	CALL_FAILED,	/* the call cannot be delivered to anyone: it fails with *err */
	SERVER_GONE,	/* the receiver's process has exited */
};

/*
 * Where a message body comes from: kernel memory at kptr, or (kptr NULL) user
 * memory at uaddr of `as`, which must be the current address space (the
 * sender in its cap_enter): the page-crossing path reads it directly.
 */
struct msg_body {
	struct addrspace *as;
	uint64_t uaddr;
	const void *kptr;
	uint32_t len;
};

/*
 * Writes a message into the user buffer at uaddr of `dst`: the RECV header
 * `h` (NULL for an answer), the body, zero padding to the next 8 bytes and n
 * transfer records. Returns 0, AS_BAD_DST or AS_BAD_SRC (the body's user
 * memory is unreadable); dst may be partly written on failure. The common
 * case, a buffer within one page, is written in place through as_window:
 * the body is copied once, from the sender's pages to the receiver's.
 */
static int put_message(struct addrspace *dst, uint64_t uaddr, const struct capos_recv_header *h,
		       const struct msg_body *body, const struct capos_xfer_result *rec,
		       uint32_t n)
{
	uint32_t head_len = h ? (uint32_t)sizeof(*h) : 0;
	uint32_t end = head_len + body->len, roff = (end + 7u) & ~7u;
	uint32_t total = roff + n * (uint32_t)sizeof(*rec);
	uint8_t *kva = as_window(dst, uaddr, total);

	if (kva) {
		if (h)
			*(struct capos_recv_header *)kva = *h;
		if (body->kptr)
			memcpy(kva + head_len, body->kptr, body->len);
		else if (as_copy_in(body->as, kva + head_len, body->uaddr, body->len))
			return AS_BAD_SRC;
		for (uint32_t i = end; i < roff; i++)
			kva[i] = 0;
		if (n)
			memcpy(kva + roff, rec, n * sizeof(*rec));
		return 0;
	}
	/* Across a page boundary (or a bad buffer): the general copy finds out. */
	uint8_t tail[8 + CAPOS_XFER_MAX * sizeof(*rec)] __attribute__((aligned(8)));
	memset(tail, 0, roff - end);
	memcpy(tail + (roff - end), rec, n * sizeof(*rec));
	struct as_piece pieces[3] = {
		{ .kptr = h, .len = head_len },
		{ .kptr = body->kptr, .uaddr = body->uaddr, .len = body->len },
		{ .kptr = tail, .len = total - end },
	};
	return as_copy_gather(dst, uaddr, pieces, 3);
}

/* Writes header, params and records into the receiver's buffer. Holds server->lock. */
static int deliver_copy_locked(struct ipc_peer *server, const struct ipc_recv *r,
			       const struct ipc_call *call, uint64_t iface,
			       const struct capos_xfer_result *rec, const struct msg_body *src)
{
	struct capos_recv_header h = {
		.call_id = call->id,
		.method_id = call->method_id,
		.xfer_count = (uint16_t)call->nxfer,
		.interface_id = iface,
		.params_len = call->params_len,
	};
	const struct msg_body staged = { .kptr = call->params, .len = call->params_len };

	return put_message(server->as, r->result_addr, &h, src ? src : &staged, rec, call->nxfer);
}

/*
 * Hands `call` to the receiver `r`: capabilities into the server's table,
 * header, params and records into its buffer. `src` is set when the params
 * are still in the caller's memory (the caller is the current process),
 * NULL when they are staged in the call. On DELIVERED, *cqe is the
 * receiver's completion, already posted to its ring if `post`. Caller holds
 * ep->lock.
 */
static enum deliver_outcome deliver(struct endpoint *ep, struct ipc_call *call,
				    const struct ipc_recv *r, const struct msg_body *src,
				    bool post, struct capos_cqe *cqe, int *err)
{
	struct capos_xfer_result rec[CAPOS_XFER_MAX];
	struct ipc_peer *server = r->server;
	uint32_t n = call->nxfer;
	uint32_t need = sizeof(struct capos_recv_header) + call->params_len;
	uint64_t total = ((need + 7ull) & ~7ull) + n * sizeof(rec[0]);

	spin_lock(&server->lock);
	if (!server->alive) {
		spin_unlock(&server->lock);
		return SERVER_GONE;
	}
	if (total > r->result_len) {
		spin_unlock(&server->lock);
		*err = CAPOS_ERR_RESULT_TOO_SMALL;
		return RECV_FAILED;
	}
	*err = n ? xfer_install(server->caps, call->xfer, n, rec) : 0;
	if (*err) {
		spin_unlock(&server->lock);
		return CALL_FAILED;
	}
	int copied = deliver_copy_locked(server, r, call, ep->iface, rec, src);
	if (copied) {
		xfer_uninstall(server->caps, rec, call->nxfer);
		spin_unlock(&server->lock);
		*err = CAPOS_ERR_BAD_ADDRESS;
		/* A bad receive buffer fails the RECV; bad params fail the call. */
		return copied == AS_BAD_DST ? RECV_FAILED : CALL_FAILED;
	}
	*cqe = (struct capos_cqe){
		.user_data = r->user_data, .result = (int32_t)need, .written = need,
		.call_id = call->id, .opcode = CAPOS_OP_RECV,
		.flags = n ? CAPOS_CQE_F_XFER : 0, .xfer_count = (uint16_t)n,
	};
	if (post)
		(void)ring_post(server->ring, cqe);
	spin_unlock(&server->lock);
	if (n) {
		spin_lock(&call->caller->lock);
		if (call->caller->alive)
			xfer_finish_moves(call->caller->caps, call->xfer, n);
		spin_unlock(&call->caller->lock);
		xfer_put(call->xfer, n);
		call->nxfer = 0;
	}
	return DELIVERED;
}

/* ---- queues ----------------------------------------------------------------------------- */

static void pending_push_locked(struct endpoint *ep, struct ipc_call *call, bool front)
{
	if (front) {
		call->next = ep->pending;
		ep->pending = call;
		if (!ep->pending_tail)
			ep->pending_tail = call;
	} else {
		call->next = NULL;
		if (ep->pending_tail)
			ep->pending_tail->next = call;
		else
			ep->pending = call;
		ep->pending_tail = call;
	}
	ep->npending++;
}

static struct ipc_call *pending_pop_locked(struct endpoint *ep)
{
	struct ipc_call *call = ep->pending;

	if (call) {
		ep->pending = call->next;
		if (!ep->pending)
			ep->pending_tail = NULL;
		ep->npending--;
	}
	return call;
}

static void inflight_push_locked(struct endpoint *ep, struct ipc_call *call)
{
	call->next = ep->inflight;
	ep->inflight = call;
	ep->ninflight++;
}

static bool caller_is_alive(struct ipc_call *call)
{
	spin_lock(&call->caller->lock);
	bool alive = call->caller->alive;
	spin_unlock(&call->caller->lock);
	return alive;
}

/* ---- CALL ------------------------------------------------------------------------------- */

/* A call record with room for `bytes` of params: the spare one when it fits. */
static struct ipc_call *call_alloc(struct endpoint *ep, uint32_t bytes)
{
	struct ipc_call *call = NULL;
	uint32_t capacity = bytes <= CALL_SPARE_BYTES ? CALL_SPARE_BYTES : bytes;

	if (capacity == CALL_SPARE_BYTES)
		call = __atomic_exchange_n(&ep->spare_call, NULL, __ATOMIC_ACQ_REL);
	if (!call)
		call = kmalloc(sizeof(*call) + capacity);
	if (call) {
		call->ep = ep;
		call->capacity = capacity;
	}
	return call;
}

/* Returns a record call_alloc gave that was never filled in. */
static void call_recycle(struct ipc_call *call)
{
	if (call->capacity == CALL_SPARE_BYTES)
		call = __atomic_exchange_n(&call->ep->spare_call, call, __ATOMIC_ACQ_REL);
	(void)kfree(call);	/* the one that did not fit the spare slot, or NULL */
}

/* Fills in a call record for the SQE `s` of caller `c` (no capabilities yet). */
static void call_fill(struct ipc_call *call, const struct ring_caller *c,
		      const struct capos_sqe *s, const void *facet, uint32_t id,
		      const struct buf_window *result_win)
{
	call->next = NULL;
	call->id = id;
	call->cancelled = false;
	call->nxfer = 0;
	call->facet = facet;
	call->caller = peer_of(c);
	ipc_peer_get(call->caller);
	call->user_data = s->user_data;
	call->result_addr = s->result_addr;
	call->result_len = s->result_len;
	call->result_win = *result_win;
	call->method_id = s->method_id;
	call->params_len = s->params_len;
}

/* The record of a new call, with the capabilities it sends (the params stay where they are). */
static struct ipc_call *call_create(struct endpoint *ep, const struct ring_caller *c,
				    const struct capos_sqe *s, const void *facet,
				    const struct buf_window *result_win, int *err)
{
	struct ipc_call *call = call_alloc(ep, s->params_len);

	*err = CAPOS_ERR_NO_MEMORY;
	if (!call)
		return NULL;
	call_fill(call, c, s, facet, 0, result_win);
	*err = s->xfer_count ? xfer_collect(c, s, call->xfer, &call->nxfer) : 0;
	if (*err) {
		call_free(call);
		return NULL;
	}
	return call;
}

/*
 * Offers a call to the waiting receivers, its params straight from the
 * caller's memory. Returns true when it was delivered (or failed for good,
 * already completed); false to queue it. Caller holds ep->lock.
 */
static bool offer_to_receivers_locked(struct endpoint *ep, struct ipc_call *call,
				      const struct msg_body *src)
{
	struct ipc_recv *r;

	while ((r = ep->recvs) != NULL) {
		struct capos_cqe cqe;
		int err = 0;

		ep->recvs = r->next;
		ep->nrecvs--;
		switch (deliver(ep, call, r, src, true, &cqe, &err)) {
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
			/* The receiver keeps waiting: put it back first in line. */
			r->next = ep->recvs;
			ep->recvs = r;
			ep->nrecvs++;
			call_fail(call, err);
			call_free(call);
			return true;
		}
	}
	return false;
}

/* Queues a call no receiver was waiting for, with a copy of its params. Holds ep->lock. */
static int queue_call_locked(struct endpoint *ep, struct ipc_call *call, const struct ring_caller *c,
			     const struct msg_body *src)
{
	if (as_copy_in(c->as, call->params, src->uaddr, call->params_len))
		return CAPOS_ERR_BAD_ADDRESS;
	pending_push_locked(ep, call, false);
	return KOBJ_CALL_PENDING;
}

int endpoint_call(struct kobj *obj, const struct ring_caller *c, const struct capos_sqe *s,
		  struct capos_cqe *cqe)
{
	struct endpoint_client *facet = (struct endpoint_client *)obj;
	struct endpoint *ep = facet->ep;
	const struct msg_body src = { .as = c->as, .uaddr = s->params_addr, .len = s->params_len };
	struct buf_window win;
	int err;

	if (buffer_claim(c, s->result_addr, s->result_len, &win))
		return CAPOS_ERR_BAD_ADDRESS;
	struct ipc_call *call = call_create(ep, c, s, facet, &win, &err);
	if (!call)
		return err;
	spin_lock(&ep->lock);
	if (ep->dead || ep->npending >= ENDPOINT_MAX_PENDING) {
		bool dead = ep->dead;

		spin_unlock(&ep->lock);
		err = write_exception(c->as, s->result_addr, s->result_len,
				      dead ? capos_CapException_Type_disconnected
					   : capos_CapException_Type_overloaded,
				      dead ? "the server is gone" : "the endpoint's call queue is full",
				      &cqe->written);
		call_free(call);
		return err;
	}
	if (++ep->next_id == 0)
		ep->next_id = 1;
	call->id = ep->next_id;
	err = KOBJ_CALL_PENDING;
	if (!offer_to_receivers_locked(ep, call, &src))
		err = queue_call_locked(ep, call, c, &src);
	spin_unlock(&ep->lock);
	if (err != KOBJ_CALL_PENDING)
		call_free(call);
	return err;
}

/*
 * Writes a call's RECV header (no capabilities, no session) into the
 * receiver's buffer; `h` is the kernel's mapping of it.
 */
static void recv_header_put(struct capos_recv_header *h, uint32_t id, uint16_t method,
			    uint64_t iface, uint32_t params_len)
{
	/* Eight word stores (no block clear, for which gcc may use rep stos). */
	uint64_t *w = (uint64_t *)h;

	CAPOS_STATIC_ASSERT(sizeof(*h) == 8 * sizeof(uint64_t), "the header is eight words");
	w[0] = id | (uint64_t)method << 32;	/* call_id, method_id, xfer_count 0 */
	w[1] = iface;
	w[2] = params_len;			/* params_len, flags 0 */
	w[3] = 0;				/* session_ref */
	w[4] = 0;
	w[5] = 0;				/* session_epoch */
	w[6] = 0;				/* reserved */
	w[7] = 0;
}

/* Fills a CQE slot of ring_post_begin (no flags, no transfers) with four word stores. */
static void cqe_put(struct capos_cqe *e, uint64_t user_data, int32_t result, uint32_t written,
		    uint32_t call_id, uint8_t opcode)
{
	uint64_t *w = (uint64_t *)e;

	CAPOS_STATIC_ASSERT(sizeof(*e) == 4 * sizeof(uint64_t), "a CQE is four words");
	w[0] = user_data;
	w[1] = (uint32_t)result;			/* result, flags 0 */
	w[2] = call_id | (uint64_t)written << 32;	/* call_id, written */
	w[3] = (uint64_t)opcode << 16;			/* xfer_count 0, opcode, _pad, reserved */
}

/*
 * The fast path's delivery: deliver() for a call without capabilities whose
 * message fits in one page of the receiver's buffer, copied straight from
 * the caller's memory. Returns false, with nothing changed but a partly
 * written buffer, where deliver() would not deliver (or would take the
 * page-crossing path). Holds ep->lock.
 */
static bool deliver_fast_locked(struct endpoint *ep, const struct ipc_recv *r,
				const struct ring_caller *c, const struct capos_sqe *s, uint32_t id)
{
	struct ipc_peer *server = r->server;
	uint32_t need = sizeof(struct capos_recv_header) + s->params_len;
	uint32_t total = (need + 7u) & ~7u;
	bool delivered = false;
	uint8_t *kva;

	spin_lock(&server->lock);
	if (server->alive && total <= r->win.len && (kva = r->win.kva) != NULL &&
	    as_copy_in(c->as, kva + sizeof(struct capos_recv_header), s->params_addr,
		       s->params_len) == 0) {
		struct capos_cqe *cqe;

		recv_header_put((struct capos_recv_header *)kva, id, s->method_id, ep->iface,
				s->params_len);
		if (total != need)
			memset(kva + need, 0, total - need);
		cqe = ring_post_begin(server->ring);
		if (cqe)
			cqe_put(cqe, r->user_data, (int32_t)need, need, id, CAPOS_OP_RECV);
		if (ring_post_end(server->ring, cqe))
			ring_wake(server->ring);	/* under the peer lock: alive */
		delivered = true;
	}
	spin_unlock(&server->lock);
	return delivered;
}

int endpoint_fast_call(struct kobj *obj, const struct ring_caller *c, const struct capos_sqe *s)
{
	struct endpoint_client *facet = (struct endpoint_client *)obj;
	struct endpoint *ep = facet->ep;
	struct buf_window win;
	struct ipc_recv *r;
	uint32_t id;

	if (buffer_claim(c, s->result_addr, s->result_len, &win))
		return ENDPOINT_FAST_DECLINED;
	struct ipc_call *call = call_alloc(ep, 0);
	if (!call)
		return ENDPOINT_FAST_DECLINED;
	spin_lock(&ep->lock);
	r = ep->recvs;
	/* The id endpoint_call would give it, taken for good only on delivery. */
	id = ep->next_id + 1 ? ep->next_id + 1 : 1;
	if (!r || ep->dead || ep->npending >= ENDPOINT_MAX_PENDING ||
	    !deliver_fast_locked(ep, r, c, s, id)) {
		spin_unlock(&ep->lock);
		call_recycle(call);
		return ENDPOINT_FAST_DECLINED;
	}
	ep->next_id = id;
	call_fill(call, c, s, facet, id, &win);
	ep->recvs = r->next;
	ep->nrecvs--;
	recv_free_locked(ep, r);
	inflight_push_locked(ep, call);
	spin_unlock(&ep->lock);
	return 0;
}

/* ---- RECV ------------------------------------------------------------------------------- */

/* Delivers the first deliverable queued call to `r`; returns the outcome for RECV. */
static int take_queued_locked(struct endpoint *ep, const struct ipc_recv *r, struct capos_cqe *cqe,
			      bool *delivered)
{
	struct ipc_call *call;

	*delivered = false;
	while ((call = pending_pop_locked(ep)) != NULL) {
		int err = 0;

		if (!caller_is_alive(call)) {
			call_free(call);	/* its process exited while the call waited */
			continue;
		}
		switch (deliver(ep, call, r, NULL, false, cqe, &err)) {
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
			call_free(call);
			break;
		}
	}
	return 0;
}

/*
 * Makes the RECV `s` of `server`, whose buffer has the window `win`, wait
 * for a call, last in line: in the endpoint's own slot when it is free,
 * otherwise (several RECVs waiting) on the heap. Returns KOBJ_CALL_PENDING
 * or NO_MEMORY. Caller holds ep->lock.
 */
static int recv_wait_locked(struct endpoint *ep, struct ipc_peer *server,
			    const struct capos_sqe *s, const struct buf_window *win)
{
	bool embedded = !ep->recv_slot_used;
	struct ipc_recv *wait = embedded ? &ep->recv_slot : kmalloc(sizeof(*wait));

	if (!wait)
		return CAPOS_ERR_NO_MEMORY;
	ep->recv_slot_used |= embedded;
	/* Field by field: a structure initialiser may become rep stos. */
	wait->next = NULL;
	wait->embedded = embedded;
	wait->server = server;
	wait->user_data = s->user_data;
	wait->result_addr = s->result_addr;
	wait->result_len = s->result_len;
	wait->win.kva = win->kva;
	wait->win.len = win->len;
	ipc_peer_get(wait->server);
	struct ipc_recv **tail = &ep->recvs;	/* FIFO: at most ENDPOINT_MAX_RECVS */
	while (*tail)
		tail = &(*tail)->next;
	*tail = wait;
	ep->nrecvs++;
	return KOBJ_CALL_PENDING;
}

int endpoint_recv(struct kobj *obj, const struct ring_caller *c, const struct capos_sqe *s,
		  struct capos_cqe *cqe)
{
	struct endpoint *ep = (struct endpoint *)obj;
	struct ipc_recv r = { .server = peer_of(c), .user_data = s->user_data,
			      .result_addr = s->result_addr, .result_len = s->result_len };
	bool delivered;

	if (buffer_claim(c, s->result_addr, s->result_len, &r.win))
		return CAPOS_ERR_BAD_ADDRESS;
	spin_lock(&ep->lock);
	int ret = ep->ninflight >= ENDPOINT_MAX_INFLIGHT ? CAPOS_ERR_QUEUE_FULL
							 : take_queued_locked(ep, &r, cqe, &delivered);
	if (ret == 0 && !delivered && ep->nrecvs >= ENDPOINT_MAX_RECVS)
		ret = CAPOS_ERR_QUEUE_FULL;
	if (ret == 0 && !delivered)
		ret = recv_wait_locked(ep, r.server, s, &r.win);
	spin_unlock(&ep->lock);
	return ret;
}

/* ---- RETURN ----------------------------------------------------------------------------- */

/* What a RETURN sends: the answer message in the server's memory, and capabilities. */
struct ipc_answer {
	struct msg_body body;	/* the message, in the server's memory */
	bool exception;
	uint32_t nxfer;
	struct ipc_xfer xfer[CAPOS_XFER_MAX];
};

/* What became of a RETURN's call. */
enum answer_outcome {
	ANSWERED,	/* the caller has its CQE (maybe an error): the call is over */
	ANSWER_RETRY,	/* the server's message is unreadable: the call stays in flight */
};

/*
 * Copies the answer from the server's memory straight into the caller's
 * result buffer and its capabilities into the caller's table, then posts the
 * caller's CQE. *err is RETURN's result. Holds ep->lock and the caller's lock.
 */
static enum answer_outcome answer_locked(struct ipc_call *call, const struct ipc_answer *a,
					 int *err)
{
	struct capos_xfer_result rec[CAPOS_XFER_MAX];
	struct ipc_peer *p = call->caller;
	struct capos_cqe cqe = { .user_data = call->user_data, .opcode = CAPOS_OP_CALL };

	*err = 0;
	if (((a->body.len + 7ull) & ~7ull) + a->nxfer * sizeof(rec[0]) > call->result_len)
		*err = CAPOS_ERR_RESULT_TOO_SMALL;
	else
		*err = a->nxfer ? xfer_install(p->caps, a->xfer, a->nxfer, rec) : 0;
	if (!*err) {
		int copied = put_message(p->as, call->result_addr, NULL, &a->body, rec, a->nxfer);

		if (copied) {
			xfer_uninstall(p->caps, rec, a->nxfer);
			*err = CAPOS_ERR_BAD_ADDRESS;
			if (copied == AS_BAD_SRC)
				return ANSWER_RETRY;	/* the caller is not told */
		}
	}
	if (*err) {
		cqe.result = *err;
	} else {
		cqe.result = a->exception ? CAPOS_ERR_APPLICATION_EXCEPTION : (int32_t)a->body.len;
		cqe.written = a->body.len;
		cqe.flags = a->nxfer ? CAPOS_CQE_F_XFER : 0;
		cqe.xfer_count = (uint16_t)a->nxfer;
	}
	(void)ring_post(p->ring, &cqe);
	return ANSWERED;
}

/* The link to unanswered call `id` in ep->inflight, or NULL. Caller holds ep->lock. */
static struct ipc_call **inflight_find_locked(struct endpoint *ep, uint32_t id)
{
	for (struct ipc_call **link = &ep->inflight; *link; link = &(*link)->next)
		if ((*link)->id == id)
			return link;
	return NULL;
}

/* Answers call `id` of ep; returns RETURN's result and the call if it is over (*done). */
static int answer_call(struct endpoint *ep, uint32_t id, const struct ipc_answer *a,
		       struct ipc_call **done)
{
	int err = CAPOS_ERR_NO_SUCH_CALL;
	struct ipc_call **link, *call;

	*done = NULL;
	spin_lock(&ep->lock);
	link = inflight_find_locked(ep, id);
	if (!link)
		goto out_unlock;
	call = *link;
	err = CAPOS_ERR_DISCONNECTED;	/* the facet or the caller is gone */
	spin_lock(&call->caller->lock);
	if (!call->cancelled && call->caller->alive &&
	    answer_locked(call, a, &err) == ANSWER_RETRY) {
		spin_unlock(&call->caller->lock);
		goto out_unlock;
	}
	spin_unlock(&call->caller->lock);
	*link = call->next;
	ep->ninflight--;
	*done = call;
out_unlock:
	spin_unlock(&ep->lock);
	return err;
}

int endpoint_return(struct kobj *obj, const struct ring_caller *c, const struct capos_sqe *s)
{
	struct endpoint *ep = (struct endpoint *)obj;
	struct ipc_answer a;	/* not zero-initialised: xfer[] is filled up to nxfer */

	a.body = (struct msg_body){ .as = c->as, .uaddr = s->params_addr, .len = s->params_len };
	a.exception = (s->flags & CAPOS_SQE_F_EXCEPTION) != 0;
	a.nxfer = 0;
	struct ipc_call *done;
	int err;

	if (a.exception && s->xfer_count)
		return CAPOS_ERR_INVALID_XFER;	/* an exception carries no capabilities */
	if (s->xfer_count && (err = xfer_collect(c, s, a.xfer, &a.nxfer)) != 0)
		return err;
	err = answer_call(ep, s->call_id, &a, &done);
	if (done)
		call_free(done);	/* outside ep->lock: it may drop the last references */
	if (a.nxfer) {
		if (!err)
			xfer_finish_moves(c->caps, a.xfer, a.nxfer);
		xfer_put(a.xfer, a.nxfer);
	}
	return err;
}

/*
 * The fast path's answer: a plain message, no capabilities, no exception,
 * that fits in one page of the caller's result buffer. Delivers it and
 * posts the caller's CQE as answer_locked would, or returns false with
 * nothing changed but a partly written result buffer. Caller holds
 * ep->lock.
 */
static bool answer_fast_locked(struct ipc_call *call, const struct msg_body *body)
{
	struct ipc_peer *p = call->caller;
	uint32_t total = (body->len + 7u) & ~7u;
	bool answered = false;
	uint8_t *kva;

	spin_lock(&p->lock);
	if (p->alive && total <= call->result_win.len && (kva = call->result_win.kva) != NULL &&
	    as_copy_in(body->as, kva, body->uaddr, body->len) == 0) {
		struct capos_cqe *cqe;

		if (total != body->len)
			memset(kva + body->len, 0, total - body->len);
		cqe = ring_post_begin(p->ring);
		if (cqe)
			cqe_put(cqe, call->user_data, (int32_t)body->len, body->len, 0,
				CAPOS_OP_CALL);
		if (ring_post_end(p->ring, cqe))
			ring_wake(p->ring);	/* under the peer lock: alive */
		answered = true;
	}
	spin_unlock(&p->lock);
	return answered;
}

int endpoint_fast_reply_recv(struct kobj *obj, const struct ring_caller *c,
			     const struct capos_sqe *ret, const struct capos_sqe *rcv)
{
	struct endpoint *ep = (struct endpoint *)obj;
	const struct msg_body body = { .as = c->as, .uaddr = ret->params_addr,
				       .len = ret->params_len };
	struct ipc_call **link, *call = NULL;
	struct buf_window win;

	if (buffer_claim(c, rcv->result_addr, rcv->result_len, &win))
		return ENDPOINT_FAST_DECLINED;
	spin_lock(&ep->lock);
	/* The RECV is to wait (no call queued), in the endpoint's own slot. */
	if (ep->pending || ep->recv_slot_used || ep->nrecvs >= ENDPOINT_MAX_RECVS)
		goto out_unlock;
	link = inflight_find_locked(ep, ret->call_id);
	if (!link || (*link)->cancelled || !answer_fast_locked(*link, &body))
		goto out_unlock;
	call = *link;
	*link = call->next;
	ep->ninflight--;
	(void)recv_wait_locked(ep, peer_of(c), rcv, &win);	/* the slot is free: no failure */
out_unlock:
	spin_unlock(&ep->lock);
	if (!call)
		return ENDPOINT_FAST_DECLINED;
	call_free(call);	/* outside ep->lock: it may drop the last references */
	return 0;
}

/* ---- lifetime --------------------------------------------------------------------------- */

static void fail_all(struct ipc_call *list)
{
	while (list) {
		struct ipc_call *call = list;

		list = call->next;
		if (!call->cancelled)
			call_raise_exception(call, capos_CapException_Type_disconnected,
					     "the server is gone");
		call_free(call);
	}
}

/* The owner side is gone: every waiting and unanswered call learns it. */
static void endpoint_owner_destroy(struct kobj *obj)
{
	struct endpoint *ep = (struct endpoint *)obj;

	spin_lock(&ep->lock);
	ep->dead = true;
	struct ipc_call *pending = ep->pending, *inflight = ep->inflight;
	struct ipc_recv *recvs = ep->recvs;
	ep->pending = ep->pending_tail = ep->inflight = NULL;
	ep->recvs = NULL;
	ep->npending = ep->ninflight = ep->nrecvs = 0;
	spin_unlock(&ep->lock);

	fail_all(pending);
	fail_all(inflight);
	while (recvs) {
		struct ipc_recv *r = recvs;

		recvs = r->next;
		recv_fail(r, CAPOS_ERR_DISCONNECTED);
		recv_free_locked(ep, r);	/* dead: nobody else touches the slot now */
	}
	core_put(ep);
}

/*
 * A client facet is gone: its waiting calls are withdrawn and its unanswered
 * calls cancelled (the caller's CQE says CANCELLED now; the server's RETURN
 * will get DISCONNECTED).
 */
static void endpoint_client_destroy(struct kobj *obj)
{
	struct endpoint_client *facet = (struct endpoint_client *)obj;
	struct endpoint *ep = facet->ep;
	struct ipc_call *withdrawn = NULL;

	spin_lock(&ep->lock);
	for (struct ipc_call **p = &ep->pending; *p;) {
		struct ipc_call *call = *p;

		if (call->facet != facet) {
			p = &call->next;
			continue;
		}
		*p = call->next;
		ep->npending--;
		call->next = withdrawn;
		withdrawn = call;
	}
	ep->pending_tail = NULL;
	for (struct ipc_call *call = ep->pending; call; call = call->next)
		ep->pending_tail = call;
	for (struct ipc_call *call = ep->inflight; call; call = call->next) {
		if (call->facet == facet && !call->cancelled) {
			call->cancelled = true;
			call_fail(call, CAPOS_ERR_CANCELLED);
		}
	}
	spin_unlock(&ep->lock);
	while (withdrawn) {
		struct ipc_call *call = withdrawn;

		withdrawn = call->next;
		call_fail(call, CAPOS_ERR_CANCELLED);
		call_free(call);
	}
	(void)kfree(facet);
	core_put(ep);
}

static int endpoint_no_methods(struct kobj *obj, struct call_ctx *ctx)
{
	(void)obj;
	(void)ctx;
	return CAPOS_ERR_UNKNOWN_METHOD;
}

static const struct kobj_ops endpoint_owner_ops = {
	.iface_id = CAPOS_IFACE_ENDPOINT,
	.name = "Endpoint",
	.flags = 0,		/* not transferable: the service is the process it was given to */
	.call = endpoint_no_methods,
	.destroy = endpoint_owner_destroy,
};

static const struct kobj_ops endpoint_client_ops = {
	.iface_id = 0,		/* per facet: the served interface, in kobj.iface_id */
	.name = "EndpointClient",
	.flags = KOBJ_F_TRANSFERABLE,
	.call = endpoint_no_methods,	/* CALL is routed to endpoint_call by the dispatcher */
	.destroy = endpoint_client_destroy,
};

int endpoint_create(uint64_t iface, struct kobj **owner, struct kobj **client)
{
	struct endpoint *ep = kzalloc(sizeof(*ep));
	struct endpoint_client *facet = kzalloc(sizeof(*facet));

	if (!ep || !facet) {
		(void)kfree(ep);
		(void)kfree(facet);
		return CAPOS_ERR_NO_MEMORY;
	}
	kobj_init(&ep->owner, &endpoint_owner_ops);
	spin_init(&ep->lock);
	ep->iface = iface;
	ep->core_refs = 2;	/* the owner side and this facet */
	kobj_init(&facet->obj, &endpoint_client_ops);
	facet->obj.iface_id = iface;
	facet->ep = ep;
	*owner = &ep->owner;
	*client = &facet->obj;
	return 0;
}
