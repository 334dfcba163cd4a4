/* SPDX-License-Identifier: MIT */
/*
 * Inside kernel/ipc: the records of an endpoint and the steps every IPC
 * operation is made of, each written once and called by the general
 * operations (ops.c) and the fast path (fastpath.c) alike:
 *   queue.c     records, queues, call ids, lifetime (the endpoint's two sides)
 *   message.h   writing a message into a peer's buffer, posting its CQE
 *   message.c   buffer claims, the page-crossing copy, failure completions
 *   transfer.c  delivering a call to a receiver, answering a call
 *   ops.c       the ring operations CALL, RECV (| REPLY) and RETURN
 *
 * Locking (docs/locking.md): `endpoint.lock` guards the queues; under it at
 * most one peer lock at a time (never two), then what that peer's process
 * owns (table lock, ring cq_lock), then the scheduler lock (wakes). No two
 * endpoint locks are ever held together. No reference is dropped while an
 * endpoint lock is held: a facet's destroy() takes its endpoint's lock, so
 * every reference and record given up under it goes to a struct ipc_defer
 * and is dropped by ipc_defer_flush() after ep_unlock(). Debug builds count
 * endpoint locks per CPU and kobj_put() checks the count (lib/lockdep.h).
 */
#ifndef CAPOS_KERNEL_IPC_ENDPOINT_IMPL_H
#define CAPOS_KERNEL_IPC_ENDPOINT_IMPL_H

#include <capos/endpoint.h>
#include <capos/ring.h>

#include "cap/xfer.h"
#include "ipc/claim.h"
#include "ipc/endpoint.h"
#include "ipc/message.h"
#include "ipc/peer.h"
#include "lib/lockdep.h"
#include "mm/account.h"
#include "ring/ring.h"

struct mem_account;

/*
 * The largest params a CALL with n capabilities may carry: what a RECV of
 * CAPOS_RESULT_MAX bytes holds with the header and the n transfer records
 * (at the next 8-byte boundary, hence the 7).
 */
#define IPC_PARAMS_DELIVERABLE(n)                                                   \
	(CAPOS_RESULT_MAX - (uint32_t)sizeof(struct capos_recv_header) - 7u -      \
	 (uint32_t)(n) * (uint32_t)sizeof(struct capos_xfer_result))

struct ipc_call {
	struct ipc_call *next;
	struct endpoint *ep;			/* the endpoint it was made on (spare slot) */
	uint32_t capacity;			/* bytes of params[] */
	struct mem_account *payer;		/* charged for a record above spare size (one
						 * reference), else NULL (queue.c) */
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
	struct cap_xfer xfer[CAPOS_XFER_MAX];
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
	bool orphaned;				/* every facet gone: RECV answers NO_CLIENTS */
	uint32_t nfacets;			/* client facets alive */
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
	struct kmem_charge charge;		/* its creator's, for all of the above (queue.c) */
};

struct endpoint_client {
	struct kobj obj;
	struct endpoint *ep;			/* one core reference */
};

/* What an operation gives up under ep->lock, dropped after ep_unlock(). */
struct ipc_defer {
	struct ipc_call *calls;			/* finished call records (linked by next) */
	struct kobj_defer objs;			/* references to capabilities */
};

/* Field by field: an initialiser would clear the whole array every operation. */
static inline void ipc_defer_init(struct ipc_defer *d)
{
	d->calls = NULL;
	d->objs.n = 0;
}

static inline __attribute__((always_inline)) void ep_lock(struct endpoint *ep)
{
	spin_lock(&ep->lock);
	lockdep_ipc_acquired();
}

static inline __attribute__((always_inline)) void ep_unlock(struct endpoint *ep)
{
	lockdep_ipc_released();
	spin_unlock(&ep->lock);
}

/* ---- queue.c ---- */
bool endpoint_is_client(const struct kobj *obj);
bool endpoint_is_owner(const struct kobj *obj);
struct ipc_call *call_create(struct endpoint *ep, const struct ring_caller *c,
			     const struct capos_sqe *s, uint8_t xfer_count, const void *facet,
			     const struct buf_window *result_win, int *err);
void call_free(struct ipc_call *call);
void call_defer_free(struct ipc_defer *d, struct ipc_call *call);
void ipc_defer_drop(struct ipc_defer *d);

/* Drops what an operation gave up under ep->lock; call after ep_unlock(). */
static inline void ipc_defer_flush(struct ipc_defer *d)
{
	if (d->calls || d->objs.n)
		ipc_defer_drop(d);
}
uint32_t call_id_peek_locked(struct endpoint *ep);
void call_id_take_locked(struct endpoint *ep, uint32_t id);
void pending_push_locked(struct endpoint *ep, struct ipc_call *call, bool front);
struct ipc_call *pending_pop_locked(struct endpoint *ep);
void inflight_push_locked(struct endpoint *ep, struct ipc_call *call);
struct ipc_call **inflight_find_locked(struct endpoint *ep, uint32_t id);
void inflight_unlink_locked(struct endpoint *ep, struct ipc_call **link);
struct ipc_recv *recv_pop_locked(struct endpoint *ep);
void recv_push_front_locked(struct endpoint *ep, struct ipc_recv *r);
int recv_wait_locked(struct endpoint *ep, struct ipc_peer *server, const struct capos_sqe *s,
		     const struct buf_window *win);
void recv_free_locked(struct endpoint *ep, struct ipc_recv *r);
bool recv_can_wait_locked(struct endpoint *ep);

/* ---- message.c ---- */
int write_exception(struct addrspace *as, uint64_t addr, uint32_t len, uint16_t type,
		    const char *reason, uint32_t *written);
void call_fail(struct ipc_call *call, int err);
void call_raise_exception(struct ipc_call *call, uint16_t type, const char *reason);
void recv_fail(struct ipc_recv *r, int err);

/* ---- transfer.c ---- */
enum deliver_outcome {
	DELIVERED,
	RECV_FAILED,	/* the receiver's buffer is unusable: it completes with *err */
	CALL_FAILED,	/* the call cannot be delivered to anyone: it fails with *err */
	SERVER_GONE,	/* the receiver's process has exited */
};
enum deliver_outcome deliver_locked(struct endpoint *ep, struct ipc_call *call, uint32_t n,
				    const struct ipc_recv *r, const struct msg_body *src,
				    bool post, struct capos_cqe *cqe, int *err,
				    struct kobj_defer *later);

/* What a RETURN sends: the answer message in the server's memory, and capabilities. */
struct ipc_answer {
	struct msg_body body;
	bool exception;
	uint32_t nxfer;
	struct cap_xfer xfer[CAPOS_XFER_MAX];
};
enum answer_outcome {
	ANSWERED,	/* the caller has its CQE (maybe an error): the call is over */
	ANSWER_RETRY,	/* the server's message is unreadable: the call stays in flight */
};
enum answer_outcome answer_locked(struct endpoint *ep, struct ipc_call *call,
				  const struct ipc_answer *a, uint32_t n, int *err);

/* ---- ops.c (the kobj_ring_ops of the two sides) ---- */
int endpoint_call(struct kobj *facet, const struct ring_caller *c, const struct capos_sqe *s,
		  struct capos_cqe *cqe);
int endpoint_recv(struct kobj *owner, const struct ring_caller *c, const struct capos_sqe *s,
		  struct capos_cqe *cqe);
int endpoint_return(struct kobj *owner, const struct ring_caller *c, const struct capos_sqe *s,
		    struct capos_cqe *cqe);

/*
 * The same operations with the SQE's shape (its flags and transfer count)
 * given apart from it: the kobj_ring_ops pass the SQE's own, the fast path
 * the constants its batch check has already established, so that once
 * cap_enter's flattening inlines them the branches on them fold away (a
 * value the compiler must reload from the SQE copy would not).
 */
struct sqe_shape {
	uint16_t flags;
	uint8_t xfer_count;
};

static inline struct sqe_shape sqe_shape_of(const struct capos_sqe *s)
{
	return (struct sqe_shape){ .flags = s->flags, .xfer_count = s->xfer_count };
}

int endpoint_call_shaped(struct kobj *facet, const struct ring_caller *c,
			 const struct capos_sqe *s, struct capos_cqe *cqe, struct sqe_shape sh);
int endpoint_recv_shaped(struct kobj *owner, const struct ring_caller *c,
			 const struct capos_sqe *s, struct capos_cqe *cqe, struct sqe_shape sh);
int endpoint_return_shaped(struct kobj *owner, const struct ring_caller *c,
			   const struct capos_sqe *s, struct capos_cqe *cqe, struct sqe_shape sh);

#endif
