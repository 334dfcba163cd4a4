// SPDX-License-Identifier: MIT
/*
 * Tests of kcall queues kept by deadline (kernel/ipc/kcall.c,
 * kcall_queue_init_heap: the timer's sleeps), through ring_consume like any
 * CALL. A test "alarm clock" queues each call with its method id as its
 * deadline and, when the test moves its clock, takes the due calls off one
 * by one, earliest first (ties in arrival order), and answers them. A
 * caller that exits withdraws its calls from anywhere in the heap, in
 * O(log n), tells the object each time (the `withdrawn` hook) and leaves the
 * others in order; a call taken off but not yet answered when its caller
 * exits posts nothing (ASan would see the freed ring); a full heap refuses
 * the call before it joins anything; the per-process bound holds on heap
 * queues too. Every test ends with no record left and the object's
 * references back.
 */
#include <stdlib.h>

#include <capos/errors.h>

#include "fake.h"
#include "ipc/kcall.h"
#include "kstub.h"
#include "ring/dispatch.h"
#include "test.h"

#define RESULT	0x20000000ull	/* read-write user buffer, 256 bytes per call */
#define ANSWER_LEN 16u
#define SLOTS 128

struct alarm {
	struct kobj k;
	struct spinlock lock;
	struct dlheap_node *slot[SLOTS];
	struct dlheap heap;		/* guarded by lock */
	struct kcall_queue sleepers;	/* guarded by lock */
	int withdrawn;			/* calls of the hook */
	int destroyed;
};

static const uint8_t answer[ANSWER_LEN] = "the alarm rang!";
static struct alarm al;
static long live0;

/* The handler: the call waits until the clock reaches its method id. */
static int alarm_call(struct kobj *obj, struct call_ctx *ctx)
{
	struct alarm *a = (struct alarm *)obj;
	struct kcall *k;
	int err = kcall_prepare(ctx, obj, &a->sleepers, ANSWER_LEN, &k);

	if (err)
		return err;
	kcall_set_deadline(k, ctx->method_id);
	spin_lock(&a->lock);
	err = kcall_enqueue_locked(k);
	spin_unlock(&a->lock);
	if (err != KOBJ_CALL_PENDING)
		kcall_discard(k);
	return err;
}

static void alarm_destroy(struct kobj *obj)
{
	((struct alarm *)obj)->destroyed++;
}

static const struct kobj_ops alarm_ops = {
	.iface_id = 0x4243,
	.name = "Alarm",
	.call = alarm_call,
	.destroy = alarm_destroy,
};

static void alarm_withdrawn(struct kcall_queue *q)
{
	CHECK(q == &al.sleepers);
	al.withdrawn++;
}

/* The clock reaches `now`: the due calls leave one by one and are answered in that order. */
static void alarm_ring(uint64_t now)
{
	struct kcall *due = NULL, **tail = &due, *k;

	spin_lock(&al.lock);
	while ((k = kcall_queue_first_locked(&al.sleepers)) && kcall_deadline(k) <= now) {
		kcall_take_locked(k);
		*tail = k;
		tail = &k->qnext;
	}
	spin_unlock(&al.lock);
	kcall_answer_all(due, answer, ANSWER_LEN);
}

static void setup(uint32_t slots)
{
	live0 = kstub_kmalloc_live;
	fake_mem_reset();
	fake_mem_map(RESULT, 0x10000, AS_PROT_READ | AS_PROT_WRITE);
	memset(&al, 0, sizeof(al));
	kobj_init(&al.k, &alarm_ops);
	spin_init(&al.lock);
	dlheap_init(&al.heap, al.slot, slots);
	kcall_queue_init_heap(&al.sleepers, &al.lock, &al.heap, alarm_withdrawn);
}

static void proc_setup(struct fake_proc *p, capos_cap_t *cap)
{
	fake_proc_init(p);
	kobj_get(&al.k);
	if (cap_table_insert(&p->caps, &al.k, CAP_RIGHT_CALL, cap))
		abort();
}

/* One CALL per deadline, user_data first + i, result buffer RESULT + (first + i) * 256. */
static int submit(struct fake_proc *p, capos_cap_t cap, uint32_t first, const uint16_t *deadline,
		  uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct capos_sqe s = {
			.opcode = CAPOS_OP_CALL,
			.cap_id = cap,
			.method_id = deadline[i],
			.user_data = first + i,
			.result_addr = RESULT + (first + i) * 256ull,
			.result_len = 64,
		};

		fake_submit(p, &s);
	}
	return ring_consume(&p->ring, &p->caller, 64);
}

/* Reaps the next CQE of p: true if it is the answer to user_data `want`. */
static bool answered(struct fake_proc *p, uint64_t want)
{
	struct capos_cqe cqe;

	return fake_reap(p, &cqe) == 0 && cqe.user_data == want && cqe.result == (int)ANSWER_LEN &&
	       memcmp(fake_mem_ptr(RESULT + want * 256, ANSWER_LEN), answer, ANSWER_LEN) == 0;
}

static bool nothing_posted(struct fake_proc *p)
{
	struct capos_cqe cqe;

	return fake_reap(p, &cqe) == -1;
}

static bool alarm_put_last(void)
{
	kobj_put(&al.k);
	return al.destroyed == 1;
}

TEST(kcall_heap_answers_in_deadline_order_one_by_one)
{
	static const uint16_t dl[] = { 5, 1, 3, 1, 4 };
	struct fake_proc p;
	capos_cap_t cap;

	setup(SLOTS);
	proc_setup(&p, &cap);
	CHECK_EQ(submit(&p, cap, 0, dl, 5), 5);
	CHECK(nothing_posted(&p));
	CHECK_EQ(al.heap.len, 5);
	alarm_ring(0);
	CHECK(nothing_posted(&p));
	alarm_ring(1);	/* the two due at 1, in the order they came */
	CHECK(answered(&p, 1));
	CHECK(answered(&p, 3));
	CHECK(nothing_posted(&p));
	alarm_ring(3);
	CHECK(answered(&p, 2));
	CHECK(nothing_posted(&p));
	alarm_ring(100);
	CHECK(answered(&p, 4));
	CHECK(answered(&p, 0));
	CHECK(kcall_queue_is_empty(&al.sleepers));
	CHECK_EQ(p.peer->nkcalls, 0);
	CHECK_EQ(__atomic_load_n(&p.ring.in_flight, __ATOMIC_RELAXED), 0);
	CHECK_EQ(al.withdrawn, 0);
	fake_proc_fini(&p);
	CHECK(alarm_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(kcall_heap_caller_exit_withdraws_from_anywhere)
{
	static const uint16_t mine[] = { 2, 7, 5, 9, 1 }, theirs[] = { 4, 6, 8 };
	struct fake_proc p, other;
	capos_cap_t cap, ocap;

	setup(SLOTS);
	proc_setup(&p, &cap);
	proc_setup(&other, &ocap);
	CHECK_EQ(submit(&p, cap, 0, mine, 5), 5);
	CHECK_EQ(submit(&other, ocap, 10, theirs, 3), 3);
	CHECK_EQ(al.heap.len, 8);
	fake_proc_fini(&p);	/* the first, the last and three between */
	CHECK_EQ(al.withdrawn, 5);
	CHECK_EQ(al.heap.len, 3);
	CHECK_EQ(kobj_refs(&al.k), 5);	/* the test's, other's table, its three calls */
	alarm_ring(100);	/* a post to p's freed ring would be an ASan error */
	CHECK(answered(&other, 10));
	CHECK(answered(&other, 11));
	CHECK(answered(&other, 12));
	CHECK(nothing_posted(&other));
	fake_proc_fini(&other);
	CHECK_EQ(al.withdrawn, 5);
	CHECK(alarm_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(kcall_heap_taken_then_caller_exit_posts_nothing)
{
	static const uint16_t dl[] = { 1, 2 };
	struct fake_proc p;
	struct kcall *k;
	capos_cap_t cap;

	setup(SLOTS);
	proc_setup(&p, &cap);
	CHECK_EQ(submit(&p, cap, 0, dl, 2), 2);
	spin_lock(&al.lock);
	k = kcall_queue_first_locked(&al.sleepers);
	kcall_take_locked(k);
	spin_unlock(&al.lock);
	fake_proc_fini(&p);	/* withdraws the other one; k is off its list only */
	CHECK_EQ(al.withdrawn, 1);
	CHECK(kcall_queue_is_empty(&al.sleepers));
	CHECK_EQ(kobj_refs(&al.k), 2);	/* the test's and the taken call's */
	kcall_answer(k, answer, ANSWER_LEN);	/* a post to the freed ring: ASan */
	CHECK(alarm_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(kcall_heap_full_refuses_before_joining_anything)
{
	static const uint16_t dl[] = { 3, 1, 2, 4, 5 };
	struct fake_proc p;
	struct capos_cqe cqe;
	capos_cap_t cap;

	setup(4);
	proc_setup(&p, &cap);
	CHECK_EQ(submit(&p, cap, 0, dl, 5), 5);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 4);
	CHECK_EQ(cqe.result, CAPOS_ERR_NO_MEMORY);
	CHECK_EQ(p.peer->nkcalls, 4);
	CHECK_EQ(al.heap.len, 4);
	alarm_ring(9);
	CHECK(answered(&p, 1));
	CHECK(answered(&p, 2));
	CHECK(answered(&p, 0));
	CHECK(answered(&p, 3));
	fake_proc_fini(&p);
	CHECK(alarm_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(kcall_heap_bound_per_process)
{
	uint16_t dl[KCALL_MAX_PER_PROC + 1];
	struct fake_proc p;
	struct capos_cqe cqe;
	capos_cap_t cap;

	for (uint32_t i = 0; i <= KCALL_MAX_PER_PROC; i++)
		dl[i] = (uint16_t)(1000 - i);
	setup(SLOTS);
	proc_setup(&p, &cap);
	CHECK_EQ(submit(&p, cap, 0, dl, KCALL_MAX_PER_PROC), KCALL_MAX_PER_PROC);
	CHECK_EQ(submit(&p, cap, KCALL_MAX_PER_PROC, &dl[KCALL_MAX_PER_PROC], 1), 1);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, KCALL_MAX_PER_PROC);
	CHECK_EQ(cqe.result, CAPOS_ERR_QUOTA_EXCEEDED);
	CHECK_EQ(al.heap.len, KCALL_MAX_PER_PROC);
	fake_proc_fini(&p);
	CHECK_EQ(al.withdrawn, KCALL_MAX_PER_PROC);
	CHECK(kcall_queue_is_empty(&al.sleepers));
	CHECK(alarm_put_last());
	CHECK_EQ(kstub_kmalloc_live, live0);
}

int main(void)
{
	kstub_quiet = 1;
	RUN(kcall_heap_answers_in_deadline_order_one_by_one);
	RUN(kcall_heap_caller_exit_withdraws_from_anywhere);
	RUN(kcall_heap_taken_then_caller_exit_posts_nothing);
	RUN(kcall_heap_full_refuses_before_joining_anything);
	RUN(kcall_heap_bound_per_process);
	TEST_EXIT();
}
