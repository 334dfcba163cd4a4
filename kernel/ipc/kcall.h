/* SPDX-License-Identifier: MIT */
/*
 * Kernel-object calls that complete later (ProcessHandle.wait; any object
 * whose answer waits for an event, such as a timer): the handler does not
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
 *     (kcall_queue_take_locked), then kcall_answer() each; a call still on
 *     its caller's list is answered and leaves it, one that is not (its
 *     caller is exiting) is only freed. Nothing is posted to a dead ring.
 *   - The caller exits: ipc_peer_kill() takes every call off its list in
 *     the same lock hold that marks the peer dead, then off its object's
 *     queue (kcall_withdraw_all). Nothing is left behind in the object.
 *   Either order, on any CPU, ends with the record freed exactly once.
 *
 * Bound: KCALL_MAX_PER_PROC calls pending per process (each also holds
 * one of its ring's CQ credits); one more is QUOTA_EXCEEDED. A record is a
 * small kmalloc (under 128 bytes), so a process pins at most 8 KiB of
 * kernel heap this way.
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

#define KCALL_MAX_PER_PROC 64

struct call_ctx;
struct ipc_peer;
struct kobj;

/* An object's pending calls, FIFO. */
struct kcall_queue {
	struct spinlock *lock;		/* the object's lock: guards head and tail */
	struct kcall *head;
	struct kcall **tail;
};

struct kcall {
	struct kcall *qnext, **qprev;	/* on the object's queue (its lock); qprev NULL: off it */
	struct kcall *pnext, **pprev;	/* on the caller's list (peer lock); pprev NULL: off it */
	uint32_t refs;			/* atomic: one per list the call is on */
	struct kcall_queue *queue;	/* set when prepared, never changes */
	struct kobj *obj;		/* one reference: keeps the queue and its lock */
	struct ipc_peer *caller;	/* one reference */
	uint64_t user_data;		/* of the CALL's SQE */
	uint64_t result_addr;
	uint32_t result_len;
	struct buf_window result_win;	/* claimed when the call was submitted */
};

/* An empty queue guarded by `lock` (the owning object's). */
void kcall_queue_init(struct kcall_queue *q, struct spinlock *lock);

static inline bool kcall_queue_is_empty(const struct kcall_queue *q)
{
	return q->head == NULL;
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
 * it, that the event has not come yet): k joins its caller's list and the
 * end of its queue. Returns KOBJ_CALL_PENDING, which the handler returns;
 * QUOTA_EXCEEDED (KCALL_MAX_PER_PROC already pending) or DISCONNECTED (the
 * caller is exiting), and then k joined nothing.
 */
__must_check int kcall_enqueue_locked(struct kcall *k);

/*
 * With the queue's lock held: takes every call off q, oldest first. The
 * caller owns the list (linked by qnext) and gives each to kcall_answer().
 */
struct kcall *kcall_queue_take_locked(struct kcall_queue *q);

/*
 * Answers every call of a list from kcall_queue_take_locked with the result
 * message msg[0..len) (the same for all; at most the answer_len each was
 * prepared with): into each caller's result buffer, then its CQE (result
 * and written: len). A caller that is exiting gets nothing. Frees the
 * records whose caller had let go already. No lock held.
 */
void kcall_answer_all(struct kcall *list, const void *msg, uint32_t len);

/*
 * The caller's exit: with its peer lock held (and the peer just marked
 * dead), takes every call off its list; the caller of this then gives the
 * list (linked by pnext) to kcall_withdraw_all() after unlocking.
 */
struct kcall *kcall_peer_take_locked(struct ipc_peer *p);
void kcall_withdraw_all(struct kcall *list);

#endif
