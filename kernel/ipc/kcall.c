// SPDX-License-Identifier: MIT
/*
 * Kernel-object calls that complete later: the two lists a pending call is
 * on, and the one way its answer goes out (kcall.h has the model). The
 * answer takes the steps of an endpoint's RETURN (ipc/message.h), so there
 * is one way a later answer reaches a process, whoever gives it.
 *
 * Lock order: the object's lock (a kcall_queue's), then the caller's peer
 * lock (docs/locking.md).
 */
#include <capos/errors.h>

#include "cap/object.h"
#include "ipc/kcall.h"
#include "ipc/message.h"
#include "ipc/peer.h"
#include "mm/kmalloc.h"
#include "ring/call.h"

void kcall_queue_init(struct kcall_queue *q, struct spinlock *lock)
{
	q->lock = lock;
	q->head = NULL;
	q->tail = &q->head;
	q->heap = NULL;
	q->withdrawn = NULL;
}

void kcall_queue_init_heap(struct kcall_queue *q, struct spinlock *lock, struct dlheap *heap,
			   void (*withdrawn)(struct kcall_queue *q))
{
	kcall_queue_init(q, lock);
	assert(heap->len == 0);
	q->heap = heap;
	q->withdrawn = withdrawn;
}

/* Whether k is on its queue. The queue's lock is held. */
static bool kcall_queued_locked(const struct kcall *k)
{
	assert_held(k->queue->lock);
	return k->queue->heap ? k->hnode.index != DLHEAP_OUT : k->qprev != NULL;
}

int kcall_prepare(struct call_ctx *ctx, struct kobj *obj, struct kcall_queue *q,
		  uint32_t answer_len, struct kcall **out)
{
	const struct capos_sqe *s = ctx->sqe;
	/* Without the thread's claim cache: that belongs to its IPC round trips. */
	struct ring_caller c = *ctx->caller;
	struct buf_window win;
	struct kcall *k;

	c.claim = NULL;
	if (answer_len > s->result_len)
		return CAPOS_ERR_RESULT_TOO_SMALL;
	if (buffer_claim(&c, s->result_addr, s->result_len, &win))
		return CAPOS_ERR_BAD_ADDRESS;
	k = kzalloc(sizeof(*k));
	if (!k)
		return CAPOS_ERR_NO_MEMORY;
	if (q->heap)
		kcall_set_deadline(k, 0);	/* off the heap until enqueued */
	k->queue = q;
	k->obj = obj;
	kobj_get(obj);
	k->caller = c.peer;
	ipc_peer_get(k->caller);
	k->user_data = s->user_data;
	k->result_addr = s->result_addr;
	k->result_len = s->result_len;
	k->result_win = win;
	*out = k;
	return 0;
}

/* Frees a record on no list. No lock held: the object's destroy() may run. */
static void kcall_free(struct kcall *k)
{
	ipc_peer_put(k->caller);
	kobj_put(k->obj);
	(void)kfree(k);
}

void kcall_discard(struct kcall *k)
{
	assert(!k->pprev && (k->queue->heap ? k->hnode.index == DLHEAP_OUT : !k->qprev));
	kcall_free(k);
}

/* Drops the counts of the n lists k has just left; the last one frees it. */
static void kcall_put(struct kcall *k, uint32_t n)
{
	if (n && __atomic_sub_fetch(&k->refs, n, __ATOMIC_ACQ_REL) == 0)
		kcall_free(k);
}

int kcall_enqueue_locked(struct kcall *k)
{
	struct ipc_peer *p = k->caller;
	struct kcall_queue *q = k->queue;
	int err = KOBJ_CALL_PENDING;

	assert_held(q->lock);
	spin_lock(&p->lock);
	if (!p->alive)
		err = CAPOS_ERR_DISCONNECTED;
	else if (p->nkcalls >= KCALL_MAX_PER_PROC)
		err = CAPOS_ERR_QUOTA_EXCEEDED;
	else if (q->heap && !dlheap_push(q->heap, &k->hnode))
		err = CAPOS_ERR_NO_MEMORY;	/* the last check: nothing to undo after it */
	if (err == KOBJ_CALL_PENDING) {
		k->refs = 2;	/* both lists, joined under both locks */
		k->pnext = p->kcalls;
		k->pprev = &p->kcalls;
		if (p->kcalls)
			p->kcalls->pprev = &k->pnext;
		p->kcalls = k;
		p->nkcalls++;
		if (!q->heap) {
			k->qnext = NULL;
			k->qprev = q->tail;
			*q->tail = k;
			q->tail = &k->qnext;
		}
	}
	spin_unlock(&p->lock);
	return err;
}

/* Takes k off its queue. The queue's lock is held. */
static void kcall_dequeue_locked(struct kcall *k)
{
	struct kcall_queue *q = k->queue;

	assert_held(q->lock);
	if (q->heap) {
		dlheap_remove(q->heap, &k->hnode);	/* O(log n), from any slot */
		return;
	}
	*k->qprev = k->qnext;
	if (k->qnext)
		k->qnext->qprev = k->qprev;
	else
		q->tail = k->qprev;
	k->qprev = NULL;
}

void kcall_take_locked(struct kcall *k)
{
	assert(kcall_queued_locked(k));
	kcall_dequeue_locked(k);
	k->qnext = NULL;	/* the taker's list link from now on */
	k->qprev = NULL;
}

struct kcall *kcall_queue_first_locked(const struct kcall_queue *q)
{
	assert_held(q->lock);
	if (q->heap) {
		struct dlheap_node *n = dlheap_first(q->heap);

		return n ? (struct kcall *)((char *)n - __builtin_offsetof(struct kcall, hnode)) : NULL;
	}
	return q->head;
}

struct kcall *kcall_queue_take_locked(struct kcall_queue *q)
{
	struct kcall *list = q->head;

	assert_held(q->lock);
	assert(!q->heap);	/* a heap's calls leave one by one (kcall_take_locked) */
	for (struct kcall *k = list; k; k = k->qnext)
		k->qprev = NULL;	/* off the queue; qnext links the list handed out */
	q->head = NULL;
	q->tail = &q->head;
	return list;
}

/* Takes k off its caller's list. The peer lock is held. */
static void kcall_unlist_locked(struct ipc_peer *p, struct kcall *k)
{
	assert_held(&p->lock);
	*k->pprev = k->pnext;
	if (k->pnext)
		k->pnext->pprev = k->pprev;
	k->pprev = NULL;
	p->nkcalls--;
}

/*
 * The answer msg[0..len) into the caller's result buffer, then its CQE, as
 * answer_locked (transfer.c) does for an endpoint's RETURN. Caller holds
 * the peer lock, and the call was still on the caller's list (so the peer
 * is alive: the list is emptied as it dies).
 */
static void kcall_post_locked(struct ipc_peer *p, struct kcall *k, const void *msg, uint32_t len)
{
	const struct msg_body body = { .kptr = msg, .len = len };
	int copied = put_message(p->as, k->result_addr, k->result_len, &k->result_win, NULL, &body,
				 NULL, 0);
	int32_t result = copied ? message_error(copied) : (int32_t)len;

	assert_held(&p->lock);
	assert(p->alive);
	peer_post_locked(p, cqe_words(k->user_data, result, 0, 0, copied ? 0 : len, 0,
				      CAPOS_OP_CALL));
}

/* Answers one call just taken off its queue: drops the queue's count too. */
void kcall_answer(struct kcall *k, const void *msg, uint32_t len)
{
	struct ipc_peer *p = k->caller;
	uint32_t left = 1;	/* the queue */

	spin_lock(&p->lock);
	if (k->pprev) {
		kcall_unlist_locked(p, k);
		kcall_post_locked(p, k, msg, len);
		left++;
	}
	spin_unlock(&p->lock);
	kcall_put(k, left);
}

void kcall_answer_all(struct kcall *list, const void *msg, uint32_t len)
{
	while (list) {
		struct kcall *k = list;

		list = k->qnext;	/* read first: k may be freed */
		kcall_answer(k, msg, len);
	}
}

struct kcall *kcall_peer_take_locked(struct ipc_peer *p)
{
	struct kcall *list = p->kcalls;

	assert_held(&p->lock);
	for (struct kcall *k = list; k; k = k->pnext)
		k->pprev = NULL;	/* off the list; pnext links the list handed out */
	p->kcalls = NULL;
	p->nkcalls = 0;
	return list;
}

void kcall_withdraw_all(struct kcall *list)
{
	while (list) {
		struct kcall *k = list;
		struct kcall_queue *q = k->queue;
		uint32_t left = 1;	/* the caller's list */

		list = k->pnext;	/* read first: k may be freed */
		spin_lock(q->lock);
		if (kcall_queued_locked(k)) {
			kcall_dequeue_locked(k);
			left++;
		}
		spin_unlock(q->lock);
		if (left == 2 && q->withdrawn)
			q->withdrawn(q);	/* k still holds the object, so q is there */
		kcall_put(k, left);
	}
}
