/* SPDX-License-Identifier: MIT */
/*
 * The timer queue: every pending Timer.sleep of every process, one
 * kernel-object call each (ipc/kcall.h) on a kcall queue kept by deadline,
 * answered in deadline order by a kernel thread (docs/timer.md).
 *
 * The handler queues the sleep and returns KOBJ_CALL_PENDING. The tick
 * wakes the queue's thread when the earliest deadline has come
 * (sched_alarm_arm); the thread takes up to TIMER_EXPIRE_BATCH due sleeps
 * off the queue per wake-up, under the queue's lock, and answers them after
 * dropping it; the tick wakes it at most once per tick, which bounds the
 * work per tick. A process that exits or is killed with sleeps pending has
 * them withdrawn by kcall (ipc_peer_kill), in O(log n) each; nothing is
 * posted to its ring. Sleeps count against the process's
 * KCALL_MAX_PER_PROC calls pending on kernel objects.
 *
 * Locking: timer_queue_lock (timer_queue.c) guards the heap and its array;
 * it is the kcall queue's lock, so a caller's peer lock nests inside it
 * (kcall_enqueue_locked) and nothing else does. It is never taken in
 * interrupt context: the tick reads only the alarm.
 */
#ifndef CAPOS_KERNEL_OBJ_TIMER_QUEUE_H
#define CAPOS_KERNEL_OBJ_TIMER_QUEUE_H

#include "lib/types.h"

#define TIMER_EXPIRE_BATCH 64	/* sleeps the thread answers per wake-up (per tick) */

struct call_ctx;
struct kobj;

/*
 * Starts the queue's thread; `answer[0..len)` is what every sleep is
 * answered with (a constant). Boot, before the first process; panics if
 * out of memory.
 */
void timer_queue_start(const void *answer, uint32_t len);

/*
 * For the handler of `obj` (the Timer): makes the CALL in ctx complete at
 * `deadline_ns` (monotonic clock). Returns KOBJ_CALL_PENDING, or with
 * nothing pending CAPOS_ERR_RESULT_TOO_SMALL or CAPOS_ERR_BAD_ADDRESS (the
 * result buffer), CAPOS_ERR_QUOTA_EXCEEDED (KCALL_MAX_PER_PROC pending),
 * CAPOS_ERR_DISCONNECTED (the caller is exiting) or CAPOS_ERR_NO_MEMORY.
 * Thread context, no locks held.
 */
int timer_queue_add(struct call_ctx *ctx, struct kobj *obj, uint64_t deadline_ns);

/* Sleeps pending in the whole system (for logs and tests; a snapshot). */
uint32_t timer_queue_pending(void);

#endif
