// SPDX-License-Identifier: MIT
/*
 * The timer queue (timer_queue.h, docs/timer.md). The sleeps are kcalls on
 * one heap-ordered kcall queue (ipc/kcall.h), whose heap lives in a static
 * array of TQ_BASE_SLOTS slots until more sleeps are pending than that;
 * then in a kmalloc'd array that doubles as needed and is given back once
 * the static one is half enough again (always by the time every process
 * has exited, so the leak check sees nothing of it). Arrays are allocated
 * and freed with the lock dropped; under it the heap only moves into an
 * array that is already there.
 */
#include <capos/errors.h>

#include "arch/arch.h"
#include "cap/object.h"
#include "ipc/kcall.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "lib/spinlock.h"
#include "mm/kmalloc.h"
#include "obj/timer_queue.h"
#include "sched/dlheap.h"
#include "sched/sched.h"

#define TQ_BASE_SLOTS 64

static struct spinlock timer_queue_lock = SPINLOCK_INIT_RANK(LOCK_RANK_KCALL_OBJ);
static struct dlheap_node *tq_base[TQ_BASE_SLOTS];
static struct dlheap tq_heap = { .slot = tq_base, .cap = TQ_BASE_SLOTS };
static struct kcall_queue tq_queue;	/* the sleeps, by deadline in tq_heap */
static struct thread *tq_thread;
static const void *tq_answer;		/* what every sleep is answered with */
static uint32_t tq_answer_len;

/* Tells the tick when the earliest sleep is due (never, if none is). */
static void tq_arm_locked(void)
{
	struct kcall *first = kcall_queue_first_locked(&tq_queue);

	assert_held(&timer_queue_lock);
	sched_alarm_arm(tq_thread, first ? kcall_deadline(first) : UINT64_MAX);
}

/*
 * Moves the heap back into the static array once that is half enough;
 * returns the array to free (after unlocking, with tq_free_array), or NULL.
 * At most TQ_BASE_SLOTS / 2 slots are copied.
 */
static struct dlheap_node **tq_shrink_locked(void)
{
	assert_held(&timer_queue_lock);
	if (tq_heap.slot == tq_base || tq_heap.len > TQ_BASE_SLOTS / 2)
		return NULL;
	return dlheap_move(&tq_heap, tq_base, TQ_BASE_SLOTS);
}

/* Frees an array the heap left (tq_shrink_locked), saying so. No lock held. */
static void tq_free_array(struct dlheap_node **old)
{
	if (old) {
		klog("timer: the queue is back in its static array\n");
		(void)kfree(old);
	}
}

/*
 * Queues k if the heap has room, and returns what kcall_enqueue_locked
 * does. Otherwise (the array is full) returns 0, with *want the size of the
 * array to bring. A
 * `spare` array of *spare_cap slots, if it is larger, replaces the full one,
 * which is then handed back in *spare to be freed. A refused sleep may
 * leave a grown array half empty: *old is then the array to free.
 */
static int tq_push_locked(struct kcall *k, struct dlheap_node ***spare, uint32_t spare_cap,
			  uint32_t *want, struct dlheap_node ***old)
{
	int err;

	assert_held(&timer_queue_lock);
	if (tq_heap.len == tq_heap.cap && *spare && spare_cap > tq_heap.cap) {
		struct dlheap_node **full = dlheap_move(&tq_heap, *spare, spare_cap);

		*spare = full == tq_base ? NULL : full;
	}
	if (tq_heap.len == tq_heap.cap) {
		*want = tq_heap.cap * 2;
		return 0;
	}
	err = kcall_enqueue_locked(k);
	if (err != KOBJ_CALL_PENDING)
		*old = tq_shrink_locked();
	else if (kcall_queue_first_locked(&tq_queue) == k)
		tq_arm_locked();
	return err;
}

/*
 * Puts k on the queue, growing the array (allocated outside the lock) when
 * it is full. A round fails to finish only if, while this one allocated,
 * other CPUs filled an array at least as large as the one it brings: on one
 * CPU there are at most two rounds, and every extra one doubles the array.
 */
static int tq_insert(struct kcall *k)
{
	struct dlheap_node **spare = NULL, **old = NULL;
	uint32_t spare_cap = 0, want = 0;
	int err;

	for (;;) {
		struct dlheap_node **brought = spare;

		spin_lock(&timer_queue_lock);
		err = tq_push_locked(k, &spare, spare_cap, &want, &old);
		spin_unlock(&timer_queue_lock);
		if (brought && spare != brought)
			klog("timer: the queue grew to %u slots\n", spare_cap);
		(void)kfree(spare);	/* a replaced array, or one that came too late */
		spare = NULL;
		tq_free_array(old);
		if (err)
			return err;	/* queued (KOBJ_CALL_PENDING) or refused */
		if (want == 0 || want > UINT32_MAX / sizeof(*spare))
			return CAPOS_ERR_NO_MEMORY;
		spare = kmalloc(want * sizeof(*spare));
		if (!spare)
			return CAPOS_ERR_NO_MEMORY;
		spare_cap = want;
	}
}

int timer_queue_add(struct call_ctx *ctx, struct kobj *obj, uint64_t deadline_ns)
{
	struct kcall *k;
	int err = kcall_prepare(ctx, obj, &tq_queue, tq_answer_len, &k);

	if (err)
		return err;
	kcall_set_deadline(k, deadline_ns);
	err = tq_insert(k);
	if (err != KOBJ_CALL_PENDING)
		kcall_discard(k);
	return err;
}

/*
 * A caller's exit took a sleep off the heap (kcall_withdraw_all): give back
 * a grown array that is no longer needed, and move the alarm to the
 * earliest sleep left. No lock held.
 */
static void tq_withdrawn(struct kcall_queue *q)
{
	struct dlheap_node **old;

	(void)q;
	spin_lock(&timer_queue_lock);
	old = tq_shrink_locked();
	tq_arm_locked();
	spin_unlock(&timer_queue_lock);
	tq_free_array(old);
}

/*
 * Takes the due sleeps off the queue, earliest first, at most
 * TIMER_EXPIRE_BATCH of them (the rest wait for the next tick), and
 * answers them in that order once the lock is dropped. A sleeper that
 * exits meanwhile is answered nothing (kcall_answer checks it is alive).
 */
static void tq_expire(void)
{
	struct kcall *due = NULL, **tail = &due;
	struct dlheap_node **old;

	spin_lock(&timer_queue_lock);
	uint64_t now = arch_now_ns();

	for (uint32_t n = 0; n < TIMER_EXPIRE_BATCH; n++) {
		struct kcall *k = kcall_queue_first_locked(&tq_queue);

		if (!k || kcall_deadline(k) > now)
			break;
		kcall_take_locked(k);
		*tail = k;
		tail = &k->qnext;
	}
	old = tq_shrink_locked();
	tq_arm_locked();
	spin_unlock(&timer_queue_lock);
	kcall_answer_all(due, tq_answer, tq_answer_len);
	tq_free_array(old);
}

/* The queue's kernel thread: a batch per wake-up; the tick wakes it (sched_alarm_arm). */
static void tq_thread_main(void)
{
	for (;;) {
		tq_expire();
		(void)sched_block(0);
	}
}

void timer_queue_start(const void *answer, uint32_t len)
{
	tq_answer = answer;
	tq_answer_len = len;
	kcall_queue_init_heap(&tq_queue, &timer_queue_lock, &tq_heap, tq_withdrawn);
	tq_thread = sched_kthread_create(tq_thread_main);
	if (!tq_thread)
		panic("timer: no memory for the timer queue's thread");
}

uint32_t timer_queue_pending(void)
{
	return __atomic_load_n(&tq_heap.len, __ATOMIC_RELAXED);
}
