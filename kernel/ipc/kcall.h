/* SPDX-License-Identifier: MIT */
/*
 * Kernel-object calls that complete later (ProcessHandle.wait, Timer.sleep;
 * any object whose answer waits for an event): the handler does not
 * block; it queues the call and returns KOBJ_CALL_PENDING, so the SQE keeps
 * its CQ credit, and the object answers when the event comes. The answer
 * reaches the caller the way an endpoint's RETURN does, through the same
 * steps (ipc/message.h): the caller's ipc_peer, checked alive under its
 * lock; the result buffer claimed when the call was submitted
 * (buffer_claim); put_message; peer_post_locked.
 *
 * Model: a pending call (struct kcall) is on two lists at once, its
 * object's queue (struct kcall_queue, guarded by the object's own lock) and
 * its caller's list (in the caller's ipc_peer, guarded by the peer lock),
 * and counts one reference for each list it is on; whoever takes it off the
 * last one frees it. It also holds a reference to the object (so the queue
 * and its lock outlive it) and to the caller's peer.
 *   - The object answers: it takes calls off its queue under its lock
 *     (all at once, kcall_queue_take_locked, or one by one,
 *     kcall_take_locked), then kcall_answer() each; a call still on its
 *     caller's list is answered and leaves it, one that is not (its caller
 *     is exiting) is only freed. Nothing is posted to a dead ring.
 *   - The caller exits: ipc_peer_kill() takes every call off its list in
 *     the same lock hold that marks the peer dead, then off its object's
 *     queue (kcall_withdraw_all). Nothing is left behind in the object.
 *   Either order, on any CPU, ends with the record freed exactly once.
 *
 * Order: a queue is FIFO (kcall_queue_init: ProcessHandle's waiters, all
 * answered at once), or keeps its calls by deadline in a heap the object
 * owns (kcall_queue_init_heap: the timer's sleeps, answered one by one as
 * each comes due). Either way a call leaves its queue in O(1) or O(log n)
 * from wherever it is, which is what lets an exit withdraw it. A heap
 * queue's object may ask to hear of withdrawals (`withdrawn`, called with
 * no lock held while the record still holds its object): the timer gives
 * back its grown heap array and re-arms its alarm there.
 *
 * Bound: KCALL_MAX_PER_PROC calls pending per process, whatever the
 * objects (each also holds one of its ring's CQ credits); one more is
 * QUOTA_EXCEEDED. A record is a small kmalloc (under 128 bytes), so a
 * process pins at most 8 KiB of kernel heap this way.
 *
 * Lock order: the object's lock, then the caller's peer lock (as an
 * endpoint's lock, then a peer lock; docs/locking.md). The peer lock is
 * never held while an object's lock is taken.
 */
#ifndef CAPOS_KERNEL_IPC_KCALL_H
#define CAPOS_KERNEL_IPC_KCALL_H

#include "ipc/claim.h"
#include "lib/spinlock.h"
#include "lib/types.h"
#include "sched/dlheap.h"

#define KCALL_MAX_PER_PROC 64

struct call_ctx;
struct ipc_peer;
struct kobj;

/* An object's pending calls, FIFO or by deadline (see "Order" above). */
struct kcall_queue {
	struct spinlock *lock;		/* the object's lock: guards all of this */
	struct kcall *head;		/* FIFO: the oldest call */
	struct kcall **tail;
	struct dlheap *heap;		/* or, if set, by deadline in this heap (the object's) */
	void (*withdrawn)(struct kcall_queue *q);	/* optional, heap queues; no lock held */
};

struct kcall {
	union {				/* on the object's queue (its lock) */
		struct {		/* FIFO; qprev NULL: off it */
			struct kcall *qnext, **qprev;
		};
		struct dlheap_node hnode;	/* heap; index DLHEAP_OUT: off it */
	};
	struct kcall *pnext, **pprev;	/* on the caller's list (peer lock); pprev NULL: off it */
	uint32_t refs;			/* atomic: one per list the call is on */
	struct kcall_queue *queue;	/* set when prepared, never changes */
	struct kobj *obj;		/* one reference: keeps the queue and its lock */
	struct ipc_peer *caller;	/* one reference */
	uint64_t user_data;		/* of the CALL's SQE */
	uint64_t result_addr;
	uint32_t result_len;
	uint32_t arg;			/* the object's own, set before enqueueing (SerialPort: max) */
	struct buf_window result_win;	/* claimed when the call was submitted */
};

/* An empty FIFO queue guarded by `lock` (the owning object's). */
void kcall_queue_init(struct kcall_queue *q, struct spinlock *lock);

/*
 * An empty queue that keeps its calls by deadline in `heap` (empty, the
 * object's, which makes room in it before each kcall_enqueue_locked);
 * `withdrawn`, if not NULL, runs after a caller's exit took a call off it.
 */
void kcall_queue_init_heap(struct kcall_queue *q, struct spinlock *lock, struct dlheap *heap,
			   void (*withdrawn)(struct kcall_queue *q));

static inline bool kcall_queue_is_empty(const struct kcall_queue *q)
{
	return q->heap ? q->heap->len == 0 : q->head == NULL;
}

/* A heap queue's key: set on a prepared call before kcall_enqueue_locked. */
static inline void kcall_set_deadline(struct kcall *k, uint64_t deadline)
{
	k->hnode.deadline = deadline;
	k->hnode.index = DLHEAP_OUT;
}

static inline uint64_t kcall_deadline(const struct kcall *k)
{
	return k->hnode.deadline;
}

/*
 * Decode: checks that the CALL in ctx can wait on `obj` in `q` (its result
 * buffer holds answer_len bytes, and is claimed) and makes its record, on
 * no list yet. Returns 0, RESULT_TOO_SMALL, BAD_ADDRESS or NO_MEMORY.
 * Runs in the caller's handler, no lock held.
 */
__must_check int kcall_prepare(struct call_ctx *ctx, struct kobj *obj, struct kcall_queue *q,
			       uint32_t answer_len, struct kcall **out);

/* Frees a prepared record that joined no list. No lock held. */
void kcall_discard(struct kcall *k);

/*
 * Invoke, with the queue's lock held (the object has just checked, under
 * it, that the event has not come yet): k joins its caller's list and its
 * queue (the end of a FIFO; a heap by its deadline). Returns
 * KOBJ_CALL_PENDING, which the handler returns; QUOTA_EXCEEDED
 * (KCALL_MAX_PER_PROC already pending), DISCONNECTED (the caller is
 * exiting) or NO_MEMORY (a heap with no room: the object's bug), and then
 * k joined nothing.
 */
__must_check int kcall_enqueue_locked(struct kcall *k);

/*
 * With a FIFO queue's lock held: takes every call off q, oldest first. The
 * caller owns the list (linked by qnext) and gives it to kcall_answer_all().
 */
struct kcall *kcall_queue_take_locked(struct kcall_queue *q);

/* With the queue's lock held: the call that leaves first (a heap's earliest), or NULL. */
struct kcall *kcall_queue_first_locked(const struct kcall_queue *q);

/*
 * With the queue's lock held: takes k (on q) off it, in O(log n). The
 * caller owns it and answers it (kcall_answer, or kcall_answer_all of a
 * list it links through qnext), after unlocking.
 */
void kcall_take_locked(struct kcall *k);

/*
 * Answers one call taken off its queue with the result message msg[0..len)
 * (at most the answer_len it was prepared with), as kcall_answer_all does.
 * No lock held.
 */
void kcall_answer(struct kcall *k, const void *msg, uint32_t len);

/*
 * Answers every call of a list (kcall_queue_take_locked's) with the result
 * message msg[0..len) (the same for all; at most the answer_len each was
 * prepared with): into each caller's result buffer, then its CQE (result
 * and written: len). A caller that is exiting gets nothing. Frees the
 * records whose caller had let go already. No lock held.
 */
void kcall_answer_all(struct kcall *list, const void *msg, uint32_t len);

/*
 * The caller's exit: with its peer lock held (and the peer just marked
 * dead), takes every call off its list; the caller of this then gives the
 * list (linked by pnext) to kcall_withdraw_all() after unlocking, which
 * takes each off its queue (under that queue's lock, and tells a heap
 * queue's object) and frees it.
 */
struct kcall *kcall_peer_take_locked(struct ipc_peer *p);
void kcall_withdraw_all(struct kcall *list);

#endif
