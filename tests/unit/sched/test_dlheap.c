// SPDX-License-Identifier: MIT
/*
 * Tests of kernel/sched/dlheap.c: nodes leave in (deadline, push order),
 * ties included; removal from any slot keeps the order; a full array refuses
 * a push; moving to another array keeps everything; and a long random run
 * of pushes, pops and removals against a reference that sorts.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sched/dlheap.h"
#include "test.h"

#define N 512

static struct dlheap h;
static struct dlheap_node *slots[N], *slots2[N];
static struct dlheap_node nodes[N];

/* Every parent before its children, and every node's index its slot. */
static int heap_ok(void)
{
	for (uint32_t i = 0; i < h.len; i++) {
		const struct dlheap_node *n = h.slot[i], *p;

		if (n->index != i)
			return 0;
		if (i == 0)
			continue;
		p = h.slot[(i - 1) / 2];
		if (p->deadline > n->deadline || (p->deadline == n->deadline && p->seq > n->seq))
			return 0;
	}
	return 1;
}

static struct dlheap_node *pop(void)
{
	struct dlheap_node *n = dlheap_first(&h);

	if (n)
		dlheap_remove(&h, n);
	return n;
}

static void fresh(uint32_t cap)
{
	dlheap_init(&h, slots, cap);
	for (int i = 0; i < N; i++)
		nodes[i] = (struct dlheap_node){ .index = DLHEAP_OUT };
}

TEST(dlheap_empty_has_no_first)
{
	fresh(N);
	CHECK(dlheap_first(&h) == NULL);
	CHECK(pop() == NULL);
}

TEST(dlheap_pops_in_deadline_order)
{
	static const uint64_t d[] = { 50, 10, 40, 30, 20, UINT64_MAX, 0, 35 };
	static const uint64_t want[] = { 0, 10, 20, 30, 35, 40, 50, UINT64_MAX };

	fresh(N);
	for (int i = 0; i < 8; i++) {
		nodes[i].deadline = d[i];
		CHECK(dlheap_push(&h, &nodes[i]));
		CHECK(heap_ok());
	}
	for (int i = 0; i < 8; i++) {
		struct dlheap_node *n = pop();

		CHECK(n != NULL);
		CHECK(n->deadline == want[i]);
		CHECK(n->index == DLHEAP_OUT);
		CHECK(heap_ok());
	}
	CHECK(pop() == NULL);
}

TEST(dlheap_equal_deadlines_leave_in_push_order)
{
	fresh(N);
	for (int i = 0; i < 100; i++) {
		nodes[i].deadline = 7 + (i % 2);	/* two runs of ties, interleaved */
		CHECK(dlheap_push(&h, &nodes[i]));
	}
	for (int i = 0; i < 100; i++) {
		int want = i < 50 ? 2 * i : 2 * (i - 50) + 1;

		CHECK(pop() == &nodes[want]);
	}
}

TEST(dlheap_full_refuses_and_changes_nothing)
{
	fresh(4);
	for (int i = 0; i < 4; i++) {
		nodes[i].deadline = (uint64_t)(4 - i);
		CHECK(dlheap_push(&h, &nodes[i]));
	}
	nodes[4].deadline = 0;
	CHECK(!dlheap_push(&h, &nodes[4]));
	CHECK(nodes[4].index == DLHEAP_OUT);
	CHECK_EQ(h.len, 4);
	CHECK(heap_ok());
	CHECK(dlheap_first(&h) == &nodes[3]);
}

TEST(dlheap_remove_from_every_slot)
{
	for (uint32_t victim = 0; victim < 31; victim++) {
		fresh(N);
		for (int i = 0; i < 31; i++) {
			nodes[i].deadline = (uint64_t)((i * 17) % 31);
			CHECK(dlheap_push(&h, &nodes[i]));
		}
		struct dlheap_node *n = h.slot[victim];

		dlheap_remove(&h, n);
		CHECK(n->index == DLHEAP_OUT);
		CHECK(heap_ok());
		uint64_t last = 0;
		int count = 0;

		for (struct dlheap_node *m; (m = pop()) != NULL; count++) {
			CHECK(m != n);
			CHECK(m->deadline >= last);
			last = m->deadline;
		}
		CHECK_EQ(count, 30);
	}
}

TEST(dlheap_move_keeps_order_and_indices)
{
	fresh(8);
	for (int i = 0; i < 8; i++) {
		nodes[i].deadline = (uint64_t)(100 - i);
		CHECK(dlheap_push(&h, &nodes[i]));
	}
	CHECK(dlheap_move(&h, slots2, N) == slots);
	CHECK(h.slot == slots2 && h.cap == N);
	CHECK(heap_ok());
	nodes[8].deadline = 1;
	CHECK(dlheap_push(&h, &nodes[8]));
	CHECK(pop() == &nodes[8]);
	for (int i = 7; i >= 0; i--)
		CHECK(pop() == &nodes[i]);
	CHECK(dlheap_move(&h, slots, 8) == slots2);
	CHECK(h.len == 0 && h.slot == slots);
}

/* Reference: the in-heap nodes, the first by (deadline, seq) found by a scan. */
static struct dlheap_node *ref_first(const int *in)
{
	struct dlheap_node *best = NULL;

	for (int i = 0; i < N; i++) {
		struct dlheap_node *n = &nodes[i];

		if (in[i] && (!best || n->deadline < best->deadline ||
			      (n->deadline == best->deadline && n->seq < best->seq)))
			best = n;
	}
	return best;
}

TEST(dlheap_random_run_matches_reference)
{
	static int in[N];
	unsigned seed = 12345;

	fresh(N);
	for (int i = 0; i < N; i++)
		in[i] = 0;
	for (int step = 0; step < 200000; step++) {
		int i = (int)(rand_r(&seed) % N), op = rand_r(&seed) % 3;

		if (!in[i]) {
			nodes[i].deadline = (uint64_t)(rand_r(&seed) % 64);	/* many ties */
			CHECK(dlheap_push(&h, &nodes[i]));
			in[i] = 1;
		} else if (op == 0) {
			dlheap_remove(&h, &nodes[i]);
			in[i] = 0;
		} else if (op == 1) {
			struct dlheap_node *want = ref_first(in), *n = pop();

			CHECK(n != NULL && n == want);
			in[n - nodes] = 0;
		}
		CHECK(dlheap_first(&h) == ref_first(in));
		if (step % 997 == 0)
			CHECK(heap_ok());
	}
}

int main(void)
{
	RUN(dlheap_empty_has_no_first);
	RUN(dlheap_pops_in_deadline_order);
	RUN(dlheap_equal_deadlines_leave_in_push_order);
	RUN(dlheap_full_refuses_and_changes_nothing);
	RUN(dlheap_remove_from_every_slot);
	RUN(dlheap_move_keeps_order_and_indices);
	RUN(dlheap_random_run_matches_reference);
	TEST_EXIT();
}
