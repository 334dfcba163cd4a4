/* SPDX-License-Identifier: MIT */
/*
 * Kernel objects: the things a capability names (a console, an endpoint, a
 * process handle). Each object embeds a struct kobj: a reference count and a
 * pointer to its constant struct kobj_ops, which says what interface the
 * object implements and how to invoke and destroy it. Capability-table slots,
 * in-flight calls and kernel code that holds an object each own one
 * reference; the object's destroy() runs exactly once, when the last
 * reference is dropped.
 *
 * Model: the count never goes 0 -> 1. A new reference is taken only from one
 * already held (kobj_get on an object reached through a table slot under the
 * table lock, or through a pointer the caller owns), so a dying object cannot
 * be revived. The count is atomic; no lock guards it.
 */
#ifndef CAPOS_KERNEL_CAP_OBJECT_H
#define CAPOS_KERNEL_CAP_OBJECT_H

#include <capos/ring.h>
#include <capos/types.h>

#include "lib/kprintf.h"

struct kobj;
struct call_ctx;
struct capos_cqe;
struct capos_sqe;
struct ring_caller;

/*
 * Ring operations an object takes on itself, with the SQE as it came
 * (validated by ring_sqe_check, the capability looked up and its rights
 * checked): IPC endpoints, whose CALL, RECV and RETURN move messages
 * between processes. Each returns KOBJ_CALL_PENDING (the CQE is posted
 * later) or the CQE result, with the CQE's other fields set in *cqe.
 * An object without them (NULL) is a kernel object: CALL runs its `call`
 * handler (ring/dispatch.c), RECV and RETURN are NOT_PERMITTED.
 */
struct kobj_ring_ops {
	int (*call)(struct kobj *obj, const struct ring_caller *c, const struct capos_sqe *s,
		    struct capos_cqe *cqe);
	int (*recv)(struct kobj *obj, const struct ring_caller *c, const struct capos_sqe *s,
		    struct capos_cqe *cqe);
	int (*ret)(struct kobj *obj, const struct ring_caller *c, const struct capos_sqe *s,
		   struct capos_cqe *cqe);
};

/* kobj_ops.result_max of objects whose answers are small: the largest uncharged buffer. */
#define KOBJ_RESULT_SMALL 2048u

/* kobj_ops.flags */
#define KOBJ_F_TRANSFERABLE	(1u << 0)	/* may be copied or moved to another table (M4) */

/*
 * Returned by an operation whose completion is posted later with ring_post()
 * (IPC: a CALL waiting for its RETURN, a RECV waiting for a call; a call
 * handler's queued call, ipc/kcall.h). The SQE's CQ credit stays taken
 * until then.
 */
#define KOBJ_CALL_PENDING	0x7fffffff	/* no result: UNPARK may answer 1 (woken) */

struct kobj_ops {
	uint64_t iface_id;	/* CAPOS_IFACE_* (include/capos/interfaces.h) */
	const char *name;	/* interface name for logs ("Console") */
	uint32_t flags;		/* KOBJ_F_* */
	/*
	 * The largest result any method writes (message, exception and
	 * transfer records): the kernel's result buffer for a CALL is no larger
	 * than this, whatever the caller offers (0: no bound, as offered).
	 * Callers offer big buffers once for all calls; the kernel should not
	 * allocate, or charge them for, memory no answer can fill.
	 */
	uint32_t result_max;
	/*
	 * Invoke method ctx->method_id with the params in ctx (kernel memory).
	 * Returns 0 with ctx->result_written bytes of result message built
	 * in ctx->result (call_result_* helpers in ring/call.h), a
	 * negative CAPOS_ERR_* transport error, CAPOS_ERR_APPLICATION_EXCEPTION
	 * after call_raise(), or KOBJ_CALL_PENDING after queueing the call to
	 * answer it later (ipc/kcall.h). Runs in the caller's thread with no
	 * locks held, and never blocks: a thread switched out inside the
	 * kernel holds nothing, which is what lets a kill abandon its kernel
	 * stack (docs/processes.md). Unused when `ring` has a call operation.
	 */
	int (*call)(struct kobj *obj, struct call_ctx *ctx);
	/* Frees the object; called once, by the kobj_put() that drops the last reference. */
	void (*destroy)(struct kobj *obj);
	/* NULL for kernel objects; see struct kobj_ring_ops. */
	const struct kobj_ring_ops *ring;
};

struct kobj {
	const struct kobj_ops *ops;	/* set by kobj_init, never changes */
	uint64_t iface_id;		/* interface it answers to: ops->iface_id unless the
					 * object serves another (an endpoint's client facet);
					 * set before the object is published */
	uint32_t refs;			/* atomic; no lock */
};

/* Sets up a new object holding one reference (the creator's). */
void kobj_init(struct kobj *obj, const struct kobj_ops *ops);

/* Takes another reference; the caller must already hold one (or the table lock). */
void kobj_get(struct kobj *obj);

/*
 * Drops a reference; the last one calls ops->destroy. Must not hold locks
 * destroy takes: no endpoint lock at all (debug builds check it), since an
 * endpoint facet's destroy() takes its endpoint's lock.
 */
void kobj_put(struct kobj *obj);

/*
 * Drops a reference the caller knows is not the last, because it holds
 * another itself: no destroy() can run, so any lock may be held.
 */
void kobj_put_extra(struct kobj *obj);

/*
 * References to drop later, once the locks held now are released: code that
 * gives up a reference under an endpoint or peer lock hands it here, and
 * calls kobj_defer_flush() after unlocking. One operation gives up at most
 * one delivered message's transfers twice over (moved away from the sender,
 * and the message's own references), hence the bound.
 */
#define KOBJ_DEFER_MAX (2 * CAPOS_XFER_MAX)
struct kobj_defer {
	uint32_t n;
	struct kobj *obj[KOBJ_DEFER_MAX];
};

static inline void kobj_defer(struct kobj_defer *d, struct kobj *obj)
{
	assert(d->n < KOBJ_DEFER_MAX);	/* bounded by the operation, not by user input */
	d->obj[d->n++] = obj;
}

/* Drops every deferred reference. No lock a destroy() takes may be held. */
void kobj_defer_drop(struct kobj_defer *d);

static inline void kobj_defer_flush(struct kobj_defer *d)
{
	if (d->n)
		kobj_defer_drop(d);
}

/* Reference count, for tests and assertions only (racy by nature). */
uint32_t kobj_refs(const struct kobj *obj);

/* destroy() of objects that live as long as the kernel (static singletons). */
void kobj_destroy_static(struct kobj *obj);

/* A static singleton object, set up on first use (at boot, before any process). */
static inline struct kobj *kobj_singleton(struct kobj *obj, const struct kobj_ops *ops)
{
	if (!obj->ops)
		kobj_init(obj, ops);
	return obj;
}

static inline bool kobj_is_transferable(const struct kobj *obj)
{
	return (obj->ops->flags & KOBJ_F_TRANSFERABLE) != 0;
}

#endif
