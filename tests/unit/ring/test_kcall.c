// SPDX-License-Identifier: MIT
/*
 * Tests of kernel/ipc/kcall.c, kernel-object calls that complete later,
 * through ring_consume like any CALL: a test object (an "event" that fires
 * once, the shape of ProcessHandle.wait) queues the calls that come before
 * it fires and answers them all when it does. A queued call keeps its CQ
 * credit and posts nothing; the answer lands in each caller's buffer with
 * one CQE; a call made after the event is answered at once; a caller that
 * exits first (ipc_peer_kill) leaves nothing in the object, whether it goes
 * before the object took its queue or between that and the answer, and
 * nothing is posted to its freed ring (ASan would stop the test); the
 * per-process bound; a result buffer too small is refused before anything
 * is queued. Every test ends with no record left (kstub_kmalloc_live) and
 * the object's references back.
 */
#include <stdlib.h>

#include <capos/errors.h>

#include "fake.h"
#include "ipc/kcall.h"
#include "kstub.h"
#include "ring/dispatch.h"
#include "test.h"

#define RESULT	0x20000000ull	/* read-write user buffer, one page per caller */
#define ANSWER_LEN 16u

struct event {
	struct kobj k;
	struct spinlock lock;
	struct kcall_queue waiters;	/* guarded by lock */
	bool fired;			/* guarded by lock */
	int destroyed;
};

static const uint8_t answer[ANSWER_LEN] = "the event fired";

/* The handler: answer now if the event fired, else queue the call. */
static int event_call(struct kobj *obj, struct call_ctx *ctx)
{
	struct event *e = (struct event *)obj;
	struct kcall *k;
	int err = kcall_prepare(ctx, obj, &e->waiters, ANSWER_LEN, &k);
	bool fired;

	if (err)
		return err;
	spin_lock(&e->lock);
	fired = e->fired;
	if (!fired)
		err = kcall_enqueue_locked(k);
	spin_unlock(&e->lock);
	if (!fired && err == KOBJ_CALL_PENDING)
		return err;
	kcall_discard(k);
	if (!fired)
		return err;
	memcpy(ctx->result, answer, ANSWER_LEN);
	ctx->result_written = ANSWER_LEN;
	return 0;
}

static void event_destroy(struct kobj *obj)
{
	((struct event *)obj)->destroyed++;
}

static const struct kobj_ops event_ops = {
	.iface_id = 0x4242,
	.name = "Event",
	.call = event_call,
	.destroy = event_destroy,
};

static void event_init(struct event *e)
{
	memset(e, 0, sizeof(*e));
	kobj_init(&e->k, &event_ops);
	spin_init(&e->lock);
	kcall_queue_init(&e->waiters, &e->lock);
}

/* The event fires: every queued call is answered (process_handle_exited's shape). */
static void event_fire(struct event *e)
{
	struct kcall *list;

	spin_lock(&e->lock);
	e->fired = true;
	list = kcall_queue_take_locked(&e->waiters);
	spin_unlock(&e->lock);
	kcall_answer_all(list, answer, ANSWER_LEN);
}

static struct event ev;
static long live0;

/* Drops the test's own reference: true if it was the last (nothing else holds the event). */
static bool event_put_last(void)
{
	kobj_put(&ev.k);
	return ev.destroyed == 1;
}

/* A process holding the event at `cap`, with its own result page. */
static void proc_setup(struct fake_proc *p, capos_cap_t *cap)
{
	fake_proc_init(p);
	kobj_get(&ev.k);
	if (cap_table_insert(&p->caps, &ev.k, CAP_RIGHT_CALL, cap))
		abort();
}

static void setup(void)
{
	live0 = kstub_kmalloc_live;
	fake_mem_reset();
	fake_mem_map(RESULT, 0x10000, AS_PROT_READ | AS_PROT_WRITE);
	event_init(&ev);
}

/* Submits CALLs of the event with result buffers RESULT + i * 256, user_data 100 + i. */
static int submit(struct fake_proc *p, capos_cap_t cap, uint32_t first, uint32_t n,
		  uint32_t result_len)
{
	for (uint32_t i = first; i < first + n; i++) {
		struct capos_sqe s = {
			.opcode = CAPOS_OP_CALL,
			.cap_id = cap,
			.user_data = 100 + i,
			.result_addr = RESULT + i * 256ull,
			.result_len = result_len,
		};

		fake_submit(p, &s);
	}
	return ring_consume(&p->ring, &p->caller, 64);
}

static uint32_t in_flight(struct fake_proc *p)
{
	return __atomic_load_n(&p->ring.in_flight, __ATOMIC_RELAXED);
}

TEST(kcall_pending_call_keeps_its_credit_until_answered)
{
	struct fake_proc p;
	struct capos_cqe cqe;
	capos_cap_t cap;

	setup();
	proc_setup(&p, &cap);
	CHECK_EQ(submit(&p, cap, 0, 1, 64), 1);
	CHECK_EQ(fake_reap(&p, &cqe), -1);	/* nothing posted yet */
	CHECK_EQ(in_flight(&p), 1);
	CHECK_EQ(p.peer->nkcalls, 1);
	CHECK_EQ(kobj_refs(&ev.k), 3);		/* the test's, the table's, the pending call's */
	event_fire(&ev);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 100);
	CHECK_EQ(cqe.result, ANSWER_LEN);
	CHECK_EQ(cqe.written, ANSWER_LEN);
	CHECK_EQ(cqe.opcode, CAPOS_OP_CALL);
	CHECK(memcmp(fake_mem_ptr(RESULT, ANSWER_LEN), answer, ANSWER_LEN) == 0);
	CHECK_EQ(in_flight(&p), 0);
	CHECK_EQ(p.peer->nkcalls, 0);
	CHECK_EQ(kobj_refs(&ev.k), 2);
	CHECK(kcall_queue_is_empty(&ev.waiters));
	fake_proc_fini(&p);
	CHECK(event_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(kcall_every_waiter_of_every_process_is_answered_in_order)
{
	struct fake_proc a, b;
	struct capos_cqe cqe;
	capos_cap_t ca, cb;

	setup();
	proc_setup(&a, &ca);
	proc_setup(&b, &cb);
	CHECK_EQ(submit(&a, ca, 0, 3, 64), 3);
	CHECK_EQ(submit(&b, cb, 3, 2, 64), 2);
	CHECK_EQ(kobj_refs(&ev.k), 8);
	event_fire(&ev);
	for (uint32_t i = 0; i < 3; i++) {
		CHECK_EQ(fake_reap(&a, &cqe), 0);
		CHECK_EQ(cqe.user_data, 100 + i);
		CHECK_EQ(cqe.result, ANSWER_LEN);
	}
	for (uint32_t i = 3; i < 5; i++) {
		CHECK_EQ(fake_reap(&b, &cqe), 0);
		CHECK_EQ(cqe.user_data, 100 + i);
		CHECK(memcmp(fake_mem_ptr(RESULT + i * 256ull, ANSWER_LEN), answer,
			     ANSWER_LEN) == 0);
	}
	CHECK_EQ(fake_reap(&a, &cqe), -1);
	CHECK_EQ(in_flight(&a) + in_flight(&b), 0);
	fake_proc_fini(&a);
	fake_proc_fini(&b);
	CHECK(event_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(kcall_call_after_the_event_is_answered_at_once)
{
	struct fake_proc p;
	struct capos_cqe cqe;
	capos_cap_t cap;

	setup();
	proc_setup(&p, &cap);
	event_fire(&ev);
	CHECK_EQ(submit(&p, cap, 0, 1, 64), 1);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.result, ANSWER_LEN);
	CHECK_EQ(p.peer->nkcalls, 0);
	CHECK_EQ(in_flight(&p), 0);
	fake_proc_fini(&p);
	CHECK(event_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(kcall_caller_exit_leaves_nothing_in_the_object)
{
	struct fake_proc p, other;
	struct capos_cqe cqe;
	capos_cap_t cap, ocap;

	setup();
	proc_setup(&p, &cap);
	proc_setup(&other, &ocap);
	CHECK_EQ(submit(&p, cap, 0, 5, 64), 5);
	CHECK_EQ(submit(&other, ocap, 5, 1, 64), 1);
	fake_proc_fini(&p);	/* exits with five calls pending */
	CHECK_EQ(kobj_refs(&ev.k), 3);	/* the test's, other's table and its call only */
	CHECK(ev.waiters.head != NULL && ev.waiters.head->qnext == NULL);
	event_fire(&ev);	/* a post to p's freed ring would be an ASan error */
	CHECK_EQ(fake_reap(&other, &cqe), 0);
	CHECK_EQ(cqe.user_data, 105);
	CHECK_EQ(fake_reap(&other, &cqe), -1);
	fake_proc_fini(&other);
	CHECK(event_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(kcall_caller_exit_between_take_and_answer_posts_nothing)
{
	struct fake_proc p;
	struct kcall *list;
	capos_cap_t cap;

	setup();
	proc_setup(&p, &cap);
	CHECK_EQ(submit(&p, cap, 0, 2, 64), 2);
	spin_lock(&ev.lock);
	ev.fired = true;
	list = kcall_queue_take_locked(&ev.waiters);
	spin_unlock(&ev.lock);
	fake_proc_fini(&p);	/* the calls are off the queue already: off the list only */
	CHECK_EQ(kobj_refs(&ev.k), 3);	/* the test's and the two taken calls' */
	kcall_answer_all(list, answer, ANSWER_LEN);	/* a post to the freed ring: ASan */
	CHECK(event_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(kcall_bound_per_process)
{
	struct fake_proc p;
	struct capos_cqe cqe;
	capos_cap_t cap;

	setup();
	proc_setup(&p, &cap);
	CHECK_EQ(submit(&p, cap, 0, 64, 64), 64);
	CHECK_EQ(p.peer->nkcalls, KCALL_MAX_PER_PROC);
	CHECK_EQ(submit(&p, cap, 64, 1, 64), 1);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 164);
	CHECK_EQ(cqe.result, CAPOS_ERR_QUOTA_EXCEEDED);
	CHECK_EQ(p.peer->nkcalls, KCALL_MAX_PER_PROC);
	CHECK_EQ(in_flight(&p), 64);
	event_fire(&ev);
	for (uint32_t i = 0; i < 64; i++)
		CHECK(fake_reap(&p, &cqe) == 0 && cqe.result == (int)ANSWER_LEN);
	CHECK_EQ(in_flight(&p), 0);
	fake_proc_fini(&p);
	CHECK(event_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(kcall_result_buffer_too_small_is_refused_before_queueing)
{
	struct fake_proc p;
	struct capos_cqe cqe;
	capos_cap_t cap;

	setup();
	proc_setup(&p, &cap);
	CHECK_EQ(submit(&p, cap, 0, 1, ANSWER_LEN - 8), 1);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.result, CAPOS_ERR_RESULT_TOO_SMALL);
	CHECK(kcall_queue_is_empty(&ev.waiters));
	CHECK_EQ(p.peer->nkcalls, 0);
	CHECK_EQ(in_flight(&p), 0);
	fake_proc_fini(&p);
	CHECK(event_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(kcall_out_of_memory_queues_nothing)
{
	struct fake_proc p;
	struct capos_cqe cqe;
	capos_cap_t cap;

	setup();
	proc_setup(&p, &cap);
	kstub_kmalloc_fail_after = 1;	/* dispatch's result buffer, then the record fails */
	CHECK_EQ(submit(&p, cap, 0, 1, 64), 1);
	kstub_kmalloc_fail_after = -1;
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.result, CAPOS_ERR_NO_MEMORY);
	CHECK(kcall_queue_is_empty(&ev.waiters));
	CHECK_EQ(p.peer->nkcalls, 0);
	fake_proc_fini(&p);
	CHECK(event_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

int main(void)
{
	kstub_quiet = 1;
	RUN(kcall_pending_call_keeps_its_credit_until_answered);
	RUN(kcall_every_waiter_of_every_process_is_answered_in_order);
	RUN(kcall_call_after_the_event_is_answered_at_once);
	RUN(kcall_caller_exit_leaves_nothing_in_the_object);
	RUN(kcall_caller_exit_between_take_and_answer_posts_nothing);
	RUN(kcall_bound_per_process);
	RUN(kcall_result_buffer_too_small_is_refused_before_queueing);
	RUN(kcall_out_of_memory_queues_nothing);
	TEST_EXIT();
}
