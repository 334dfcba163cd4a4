// SPDX-License-Identifier: MIT
/*
 * An endpoint's records and queues, and its lifetime (endpoint_impl.h has
 * the model). Calls waiting for a RECV are a FIFO (pending), received calls
 * not yet answered a list (inflight), RECVs waiting for a call a FIFO
 * (recvs). Bounds (endpoint.h): a waiting RECV reserves a place among the
 * unanswered calls, since the call it will take becomes one, so
 * ninflight + nrecvs <= ENDPOINT_MAX_INFLIGHT holds at every unlock.
 *
 * Lock order: endpoint lock, then one peer lock (docs/locking.md).
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "ipc/endpoint_impl.h"
#include "lib/kprintf.h"
#include "mm/account.h"
#include "mm/kmalloc.h"
#include "proc/proc.h"

#define CALL_SPARE_BYTES 512	/* params capacity of a recyclable call record */

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

static void core_put(struct endpoint *ep)
{
	if (__atomic_sub_fetch(&ep->core_refs, 1, __ATOMIC_ACQ_REL) == 0) {
		kmem_charge_drop(&ep->charge);
		(void)kfree(ep->spare_call);
		(void)kfree(ep);
	}
}

/* ---- call records ------------------------------------------------------------------------ */

/*
 * A record with params above the spare size pins up to 128 KiB of heap
 * while it waits: the caller's payer (proc.h) is charged for it until it is
 * freed, so a process's quota bounds what its calls pin. Spare-sized
 * records (under 1 KiB) go uncharged: each holds one of the caller's ring
 * credits, so a ring pins at most CAPOS_RING_CQ_ENTRIES of them, and the common
 * IPC path takes no account lock.
 */
static int call_charge(struct ipc_call *call, const struct ring_caller *c)
{
	struct mem_account *payer = c->kmem;
	int err = mem_account_charge_kmem(payer, kmalloc_footprint(sizeof(*call) + call->capacity));

	if (err)
		return err;
	mem_account_get(payer);
	call->payer = payer;
	return 0;
}

static __attribute__((noinline)) void call_uncharge(struct ipc_call *call)
{
	mem_account_uncharge_kmem(call->payer, kmalloc_footprint(sizeof(*call) + call->capacity));
	mem_account_put(call->payer);
}

/* A new record from the heap, charged for if it is above spare size. */
static struct ipc_call *call_alloc_heap(struct endpoint *ep, const struct ring_caller *c,
					uint32_t bytes, int *err)
{
	uint32_t capacity = bytes <= CALL_SPARE_BYTES ? CALL_SPARE_BYTES : bytes;
	struct ipc_call *call = kmalloc(sizeof(*call) + capacity);

	if (!call)
		return NULL;
	call->ep = ep;
	call->capacity = capacity;
	call->payer = NULL;
	if (capacity != CALL_SPARE_BYTES && (*err = call_charge(call, c)) != 0) {
		(void)kfree(call);
		return NULL;
	}
	return call;
}

/* The spare record, when `bytes` of params fit it and it is there. */
static struct ipc_call *call_take_spare(struct endpoint *ep, uint32_t bytes)
{
	if (bytes > CALL_SPARE_BYTES)
		return NULL;
	return __atomic_exchange_n(&ep->spare_call, NULL, __ATOMIC_ACQ_REL);
}

/* Returns a record to the spare slot, or to the heap (and its charge to its payer). */
static void call_recycle(struct ipc_call *call)
{
	if (call->capacity == CALL_SPARE_BYTES)
		call = __atomic_exchange_n(&call->ep->spare_call, call, __ATOMIC_ACQ_REL);
	else
		call_uncharge(call);
	(void)kfree(call);	/* a heap record, the one the spare slot held, or NULL */
}

/* Fills in a call record for the SQE `s` of caller `c` (no capabilities yet). */
static void call_fill(struct ipc_call *call, const struct ring_caller *c,
		      const struct capos_sqe *s, const void *facet,
		      const struct buf_window *result_win)
{
	/* next and id are set when the call joins a queue: not here. */
	call->cancelled = false;
	call->nxfer = 0;
	call->facet = facet;
	call->caller = c->peer;
	ipc_peer_get(call->caller);
	call->user_data = s->user_data;
	call->result_addr = s->result_addr;
	call->result_len = s->result_len;
	buf_window_copy(&call->result_win, result_win);
	call->method_id = s->method_id;
	call->params_len = s->params_len;
}

struct ipc_call *call_create(struct endpoint *ep, const struct ring_caller *c,
			     const struct capos_sqe *s, uint8_t xfer_count, const void *facet,
			     const struct buf_window *result_win, int *err)
{
	/* Params are staged only in a call that waits; most fit the spare record. */
	struct ipc_call *call = call_take_spare(ep, s->params_len);

	*err = CAPOS_ERR_NO_MEMORY;	/* or QUOTA_EXCEEDED, from call_alloc_heap */
	if (!call && !(call = call_alloc_heap(ep, c, s->params_len, err)))
		return NULL;
	call_fill(call, c, s, facet, result_win);
	*err = xfer_count ? cap_xfer_collect(c->caps, c->as, s->xfer_addr, xfer_count, call->xfer,
					      &call->nxfer)
			  : 0;
	if (*err) {
		call_free(call);
		return NULL;
	}
	return call;
}

/* Drops what a finished call holds. No endpoint lock may be held. */
void call_free(struct ipc_call *call)
{
	cap_xfer_put(call->xfer, call->nxfer);
	ipc_peer_put(call->caller);
	call_recycle(call);
}

void call_defer_free(struct ipc_defer *d, struct ipc_call *call)
{
	call->next = d->calls;
	d->calls = call;
}

void ipc_defer_drop(struct ipc_defer *d)
{
	while (d->calls) {
		struct ipc_call *call = d->calls;

		d->calls = call->next;
		call_free(call);
	}
	kobj_defer_flush(&d->objs);
}

/*
 * Call ids: the id the next call will get, taken for good only when the
 * call is delivered or queued, so an attempt that gives up uses none.
 */
uint32_t call_id_peek_locked(struct endpoint *ep)
{
	assert_held(&ep->lock);
	return ep->next_id + 1 ? ep->next_id + 1 : 1;
}

void call_id_take_locked(struct endpoint *ep, uint32_t id)
{
	assert_held(&ep->lock);
	ep->next_id = id;
}

/* ---- queues ------------------------------------------------------------------------------ */

void pending_push_locked(struct endpoint *ep, struct ipc_call *call, bool front)
{
	assert_held(&ep->lock);
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

struct ipc_call *pending_pop_locked(struct endpoint *ep)
{
	struct ipc_call *call = ep->pending;

	assert_held(&ep->lock);
	if (call) {
		ep->pending = call->next;
		if (!ep->pending)
			ep->pending_tail = NULL;
		ep->npending--;
	}
	return call;
}

void inflight_push_locked(struct endpoint *ep, struct ipc_call *call)
{
	assert_held(&ep->lock);
	call->next = ep->inflight;
	ep->inflight = call;
	ep->ninflight++;
}

/* The link to unanswered call `id` in ep->inflight, or NULL. */
struct ipc_call **inflight_find_locked(struct endpoint *ep, uint32_t id)
{
	assert_held(&ep->lock);
	for (struct ipc_call **link = &ep->inflight; *link; link = &(*link)->next)
		if ((*link)->id == id)
			return link;
	return NULL;
}

void inflight_unlink_locked(struct endpoint *ep, struct ipc_call **link)
{
	assert_held(&ep->lock);
	*link = (*link)->next;
	ep->ninflight--;
}

struct ipc_recv *recv_pop_locked(struct endpoint *ep)
{
	struct ipc_recv *r = ep->recvs;

	assert_held(&ep->lock);
	if (r) {
		ep->recvs = r->next;
		ep->nrecvs--;
	}
	return r;
}

void recv_push_front_locked(struct endpoint *ep, struct ipc_recv *r)
{
	assert_held(&ep->lock);
	r->next = ep->recvs;
	ep->recvs = r;
	ep->nrecvs++;
}

/* A RECV may wait: room among the waiting RECVs and, for the call it will take, in flight. */
bool recv_can_wait_locked(struct endpoint *ep)
{
	assert_held(&ep->lock);
	return ep->nrecvs < ENDPOINT_MAX_RECVS &&
	       ep->ninflight + ep->nrecvs < ENDPOINT_MAX_INFLIGHT;
}

/*
 * Makes the RECV `s` of `server`, whose buffer has the window `win`, wait
 * for a call, last in line: in the endpoint's own slot when it is free,
 * otherwise (several RECVs waiting) on the heap. Returns KOBJ_CALL_PENDING
 * or NO_MEMORY. The caller checked recv_can_wait_locked().
 */
int recv_wait_locked(struct endpoint *ep, struct ipc_peer *server, const struct capos_sqe *s,
		     const struct buf_window *win)
{
	bool embedded = !ep->recv_slot_used;
	struct ipc_recv *wait = embedded ? &ep->recv_slot : kmalloc(sizeof(*wait));

	assert_held(&ep->lock);
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
	buf_window_copy(&wait->win, win);
	ipc_peer_get(wait->server);
	struct ipc_recv **tail = &ep->recvs;	/* FIFO: at most ENDPOINT_MAX_RECVS */
	while (*tail)
		tail = &(*tail)->next;
	*tail = wait;
	ep->nrecvs++;
	return KOBJ_CALL_PENDING;
}

/* Frees a RECV record no queue holds; the embedded one goes back to the endpoint. */
void recv_free_locked(struct endpoint *ep, struct ipc_recv *r)
{
	assert_held(&ep->lock);
	ipc_peer_put(r->server);	/* a peer record, not an object: no destroy() */
	if (r->embedded)
		ep->recv_slot_used = false;
	else
		(void)kfree(r);
}

/* ---- lifetime ---------------------------------------------------------------------------- */

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

/* Completes every RECV of the list (taken off the endpoint) with err. */
static void fail_recvs(struct endpoint *ep, struct ipc_recv *recvs, int err)
{
	while (recvs) {
		struct ipc_recv *r = recvs;

		recvs = r->next;
		recv_fail(r, err);
		ep_lock(ep);
		recv_free_locked(ep, r);
		ep_unlock(ep);
	}
}

/* The owner side is gone: every waiting and unanswered call learns it. */
static void endpoint_owner_destroy(struct kobj *obj)
{
	struct endpoint *ep = (struct endpoint *)obj;
	struct ipc_call *pending, *inflight;
	struct ipc_recv *recvs;

	ep_lock(ep);
	ep->dead = true;
	pending = ep->pending;
	inflight = ep->inflight;
	recvs = ep->recvs;
	ep->pending = ep->pending_tail = ep->inflight = NULL;
	ep->recvs = NULL;
	ep->npending = ep->ninflight = ep->nrecvs = 0;
	ep_unlock(ep);

	fail_all(pending);
	fail_all(inflight);
	fail_recvs(ep, recvs, CAPOS_ERR_DISCONNECTED);
	core_put(ep);
}

/* Takes the facet's waiting calls out of the pending queue, onto `out`. */
static void withdraw_pending_locked(struct endpoint *ep, const void *facet, struct ipc_call **out)
{
	assert_held(&ep->lock);
	for (struct ipc_call **p = &ep->pending; *p;) {
		struct ipc_call *call = *p;

		if (call->facet != facet) {
			p = &call->next;
			continue;
		}
		*p = call->next;
		ep->npending--;
		call->next = *out;
		*out = call;
	}
	ep->pending_tail = NULL;
	for (struct ipc_call *call = ep->pending; call; call = call->next)
		ep->pending_tail = call;
}

/*
 * A client facet is gone: its waiting calls are withdrawn and its unanswered
 * calls cancelled (the caller's CQE says CANCELLED now; the server's RETURN
 * will get DISCONNECTED). When it was the last facet, nobody can call again:
 * the waiting RECVs complete with NO_CLIENTS, and so will every later one,
 * so the owner learns it may free what the endpoint stood for.
 */
static void endpoint_client_destroy(struct kobj *obj)
{
	struct endpoint_client *facet = (struct endpoint_client *)obj;
	struct endpoint *ep = facet->ep;
	struct ipc_call *withdrawn = NULL;
	struct ipc_recv *orphan_recvs = NULL;

	ep_lock(ep);
	withdraw_pending_locked(ep, facet, &withdrawn);
	if (--ep->nfacets == 0 && !ep->dead) {
		ep->orphaned = true;
		orphan_recvs = ep->recvs;
		ep->recvs = NULL;
		ep->nrecvs = 0;
	}
	for (struct ipc_call *call = ep->inflight; call; call = call->next) {
		if (call->facet == facet && !call->cancelled) {
			call->cancelled = true;
			call_fail(call, CAPOS_ERR_CANCELLED);
		}
	}
	ep_unlock(ep);
	while (withdrawn) {
		struct ipc_call *call = withdrawn;

		withdrawn = call->next;
		call_fail(call, CAPOS_ERR_CANCELLED);
		call_free(call);
	}
	fail_recvs(ep, orphan_recvs, CAPOS_ERR_NO_CLIENTS);
	(void)kfree(facet);
	core_put(ep);
}

static int endpoint_no_methods(struct kobj *obj, struct call_ctx *ctx)
{
	(void)obj;
	(void)ctx;
	return CAPOS_ERR_UNKNOWN_METHOD;
}

static const struct kobj_ring_ops endpoint_owner_ring_ops = {
	.recv = endpoint_recv,
	.ret = endpoint_return,
};

static const struct kobj_ring_ops endpoint_client_ring_ops = {
	.call = endpoint_call,
};

static const struct kobj_ops endpoint_owner_ops = {
	.iface_id = CAPOS_IFACE_ENDPOINT,
	.name = "Endpoint",
	.flags = 0,		/* not transferable: the service is the process it was given to */
	.call = endpoint_no_methods,
	.destroy = endpoint_owner_destroy,
	.ring = &endpoint_owner_ring_ops,
};

static const struct kobj_ops endpoint_client_ops = {
	.iface_id = 0,		/* per facet: the served interface, in kobj.iface_id */
	.name = "EndpointClient",
	.flags = KOBJ_F_TRANSFERABLE,
	.call = endpoint_no_methods,
	.destroy = endpoint_client_destroy,
	.ring = &endpoint_client_ring_ops,
};

/* An endpoint's memory: itself, its first client facet and the spare call record it keeps. */
static uint64_t endpoint_bytes(void)
{
	return kmalloc_footprint(sizeof(struct endpoint)) +
	       kmalloc_footprint(sizeof(struct endpoint_client)) +
	       kmalloc_footprint(sizeof(struct ipc_call) + CALL_SPARE_BYTES);
}

int ipc_endpoint_create(uint64_t iface, struct mem_account *payer, struct kobj **owner,
			struct kobj **client)
{
	struct kmem_charge charge;
	int err = kmem_charge_take(&charge, payer, endpoint_bytes());

	if (err)
		return err;
	struct endpoint *ep = kzalloc(sizeof(*ep));
	struct endpoint_client *facet = kzalloc(sizeof(*facet));

	if (!ep || !facet) {
		(void)kfree(ep);
		(void)kfree(facet);
		kmem_charge_drop(&charge);
		return CAPOS_ERR_NO_MEMORY;
	}
	ep->charge = charge;
	kobj_init(&ep->owner, &endpoint_owner_ops);
	spin_init_class(&ep->lock, LOCK_RANK_ENDPOINT);
	ep->iface = iface;
	ep->core_refs = 2;	/* the owner side and this facet */
	ep->nfacets = 1;
	kobj_init(&facet->obj, &endpoint_client_ops);
	facet->obj.iface_id = iface;
	facet->ep = ep;
	*owner = &ep->owner;
	*client = &facet->obj;
	return 0;
}
