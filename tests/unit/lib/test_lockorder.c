// SPDX-License-Identifier: MIT
/*
 * Tests for the lock-order check (kernel/lib/lockorder.h) and its hooks in
 * spinlock.h, built with CAPOS_DEBUG: the rank table against the nestings
 * docs/locking.md allows and forbids, the held stack (out-of-order release,
 * overflow), keyed nesting for the per-CPU run queues, and spin_lock,
 * spin_trylock and spin_unlock reporting to the hooks, which here record a
 * violation instead of panicking.
 */
#include "lib/spinlock.h"
#include "test.h"

static struct lock_held_stack test_held;
static int test_violations;

void lockdep_acquire(const struct spinlock *l)
{
	if (lock_order_conflict(&test_held, l, l->rank, l->key) >= 0)
		test_violations++;
	lock_held_push(&test_held, l, l->rank, l->key, 0);
}

void lockdep_acquired_try(const struct spinlock *l)
{
	lock_held_push(&test_held, l, l->rank, l->key, 0);
}

void lockdep_release(const struct spinlock *l)
{
	if (!lock_held_remove(&test_held, l))
		test_violations++;
}

static void reset(void)
{
	memset(&test_held, 0, sizeof(test_held));
	test_violations = 0;
}

/* Can `inner` be taken while `outer` is held (distinct locks, key 0)? */
static bool nests(enum lock_rank outer, enum lock_rank inner)
{
	static int a, b;
	struct lock_held_stack s = { 0 };

	lock_held_push(&s, &a, outer, 0, 0);
	return lock_order_conflict(&s, &b, inner, 0) < 0;
}

/* Pairs docs/locking.md allows (outer, inner); each reversed must be refused. */
static const enum lock_rank documented[][2] = {
	{ LOCK_RANK_ENDPOINT, LOCK_RANK_IPC_PEER },
	{ LOCK_RANK_KCALL_OBJ, LOCK_RANK_CAP_TABLE },
	{ LOCK_RANK_KCALL_OBJ, LOCK_RANK_IPC_PEER },
	{ LOCK_RANK_KCALL_OBJ, LOCK_RANK_PROC },
	{ LOCK_RANK_PCI_IRQ, LOCK_RANK_KCALL_OBJ },
	{ LOCK_RANK_PCI_IRQ, LOCK_RANK_IRQ_LEAF },
	{ LOCK_RANK_KCALL_OBJ, LOCK_RANK_ADDRSPACE },
	{ LOCK_RANK_KCALL_OBJ, LOCK_RANK_IRQ_LEAF },
	{ LOCK_RANK_VM_OBJECT, LOCK_RANK_ADDRSPACE },
	{ LOCK_RANK_VM_OBJECT, LOCK_RANK_PROC },
	{ LOCK_RANK_VM_OBJECT, LOCK_RANK_ACCOUNT },
	{ LOCK_RANK_PROC, LOCK_RANK_IPC_PEER },
	{ LOCK_RANK_PROC, LOCK_RANK_RUNQ },
	{ LOCK_RANK_PARK, LOCK_RANK_ADDRSPACE },
	{ LOCK_RANK_IPC_PEER, LOCK_RANK_RING_CQ },
	{ LOCK_RANK_IPC_PEER, LOCK_RANK_CAP_TABLE },
	{ LOCK_RANK_IPC_PEER, LOCK_RANK_RUNQ },
	{ LOCK_RANK_RING_CQ, LOCK_RANK_RUNQ },
	{ LOCK_RANK_ADDRSPACE, LOCK_RANK_ALLOC },
	{ LOCK_RANK_ADDRSPACE, LOCK_RANK_FRAME },
	{ LOCK_RANK_ADDRSPACE, LOCK_RANK_LEAF },
	{ LOCK_RANK_KMEM_REGISTRY, LOCK_RANK_ALLOC },
	{ LOCK_RANK_MMIO, LOCK_RANK_FRAME },
	{ LOCK_RANK_ALLOC, LOCK_RANK_FRAME },
	{ LOCK_RANK_LEAF, LOCK_RANK_IRQ_LEAF },
	{ LOCK_RANK_LEAF, LOCK_RANK_RUNQ },
	{ LOCK_RANK_IRQ_LEAF, LOCK_RANK_RUNQ },
	{ LOCK_RANK_RUNQ, LOCK_RANK_CONSOLE },
};

TEST(lockorder_allows_every_documented_nesting_and_refuses_its_inversion)
{
	for (size_t i = 0; i < sizeof(documented) / sizeof(documented[0]); i++) {
		CHECK(nests(documented[i][0], documented[i][1]));
		CHECK(!nests(documented[i][1], documented[i][0]));
	}
}

TEST(lockorder_refuses_two_locks_of_one_rank_unless_keyed)
{
	for (unsigned r = LOCK_RANK_NONE + 1; r < LOCK_RANK_COUNT; r++) {
		if (lock_rank_info(r).nesting == LOCK_NEST_BY_KEY)
			continue;
		CHECK(!nests(r, r));
	}
	/* One endpoint, one peer, one table, one account at a time. */
	CHECK(lock_rank_info(LOCK_RANK_IPC_PEER).nesting == LOCK_NEST_NEVER);
	CHECK(lock_rank_info(LOCK_RANK_ENDPOINT).nesting == LOCK_NEST_NEVER);
	CHECK(lock_rank_info(LOCK_RANK_ACCOUNT).nesting == LOCK_NEST_NEVER);
}

TEST(lockorder_nests_run_queues_in_ascending_cpu_order_only)
{
	static int rq0, rq1, rq2;
	struct lock_held_stack s = { 0 };

	CHECK(lock_held_push(&s, &rq1, LOCK_RANK_RUNQ, 1, 0));
	CHECK(lock_order_conflict(&s, &rq2, LOCK_RANK_RUNQ, 2) < 0);
	CHECK_EQ(lock_order_conflict(&s, &rq0, LOCK_RANK_RUNQ, 0), 0);
	CHECK_EQ(lock_order_conflict(&s, &rq1, LOCK_RANK_RUNQ, 1), 0);	/* itself: not recursive */
	CHECK(lock_order_conflict(&s, &rq0, LOCK_RANK_CONSOLE, 0) < 0);
}

TEST(lockorder_reports_the_innermost_conflicting_lock)
{
	static int ep, peer, cq, table;
	struct lock_held_stack s = { 0 };

	CHECK(lock_held_push(&s, &ep, LOCK_RANK_ENDPOINT, 0, 0x10));
	CHECK(lock_held_push(&s, &peer, LOCK_RANK_IPC_PEER, 0, 0x20));
	CHECK(lock_held_push(&s, &cq, LOCK_RANK_RING_CQ, 0, 0x30));
	CHECK_EQ(lock_order_conflict(&s, &table, LOCK_RANK_CAP_TABLE, 0), 2);
	CHECK_EQ(lock_order_conflict(&s, &table, LOCK_RANK_RUNQ, 0), -1);
	CHECK_EQ(lock_order_conflict(&s, &ep, LOCK_RANK_ENDPOINT, 0), 2);
}

TEST(lockorder_removes_a_lock_from_anywhere_in_the_stack)
{
	static int a, b, c;
	struct lock_held_stack s = { 0 };

	CHECK(lock_held_push(&s, &a, LOCK_RANK_ENDPOINT, 0, 1));
	CHECK(lock_held_push(&s, &b, LOCK_RANK_IPC_PEER, 0, 2));
	CHECK(lock_held_push(&s, &c, LOCK_RANK_RUNQ, 0, 3));
	CHECK(lock_held_remove(&s, &a));
	CHECK_EQ(s.depth, 2);
	CHECK(s.held[0].lock == &b && s.held[0].pc == 2);
	CHECK(s.held[1].lock == &c && s.held[1].pc == 3);
	CHECK(!lock_held_remove(&s, &a));
	/* With the endpoint gone, a cap table still may not come under the run queue. */
	CHECK_EQ(lock_order_conflict(&s, &a, LOCK_RANK_CAP_TABLE, 0), 1);
	CHECK(lock_held_remove(&s, &c));
	CHECK(lock_held_remove(&s, &b));
	CHECK_EQ(s.depth, 0);
}

TEST(lockorder_stack_refuses_to_overflow)
{
	static int locks[LOCK_HELD_MAX + 1];
	struct lock_held_stack s = { 0 };

	for (int i = 0; i < LOCK_HELD_MAX; i++)
		CHECK(lock_held_push(&s, &locks[i], LOCK_RANK_RUNQ, (unsigned)i, 0));
	CHECK(!lock_held_push(&s, &locks[LOCK_HELD_MAX], LOCK_RANK_CONSOLE, 0, 0));
	CHECK_EQ(s.depth, LOCK_HELD_MAX);
}

TEST(lockorder_every_rank_has_a_name)
{
	for (unsigned r = 0; r < LOCK_RANK_COUNT; r++)
		CHECK(lock_rank_info(r).name != NULL);
	CHECK_STR(lock_rank_info(LOCK_RANK_COUNT).name, "invalid");
}

TEST(spinlock_hooks_check_at_lock_and_forget_at_unlock)
{
	struct spinlock ep = SPINLOCK_INIT_RANK(LOCK_RANK_ENDPOINT);
	struct spinlock peer, rq;

	spin_init_class(&peer, LOCK_RANK_IPC_PEER);
	spin_init_class_key(&rq, LOCK_RANK_RUNQ, 3);
	CHECK_EQ(rq.key, 3);
	reset();
	spin_lock(&ep);
	spin_lock(&peer);
	spin_lock(&rq);
	CHECK_EQ(test_held.depth, 3);
	spin_unlock(&ep);		/* out of order */
	spin_unlock(&rq);
	spin_unlock(&peer);
	CHECK_EQ(test_held.depth, 0);
	CHECK_EQ(test_violations, 0);

	spin_lock(&peer);
	spin_lock(&ep);			/* the inversion */
	CHECK_EQ(test_violations, 1);
	spin_unlock(&ep);
	spin_unlock(&peer);

	reset();
	spin_lock(&peer);
	CHECK(spin_trylock(&ep));	/* a try never waits: recorded, not checked */
	CHECK_EQ(test_violations, 0);
	CHECK_EQ(test_held.depth, 2);
	spin_unlock(&ep);
	spin_unlock(&peer);
	CHECK_EQ(test_held.depth, 0);
}

int main(void)
{
	RUN(lockorder_allows_every_documented_nesting_and_refuses_its_inversion);
	RUN(lockorder_refuses_two_locks_of_one_rank_unless_keyed);
	RUN(lockorder_nests_run_queues_in_ascending_cpu_order_only);
	RUN(lockorder_reports_the_innermost_conflicting_lock);
	RUN(lockorder_removes_a_lock_from_anywhere_in_the_stack);
	RUN(lockorder_stack_refuses_to_overflow);
	RUN(lockorder_every_rank_has_a_name);
	RUN(spinlock_hooks_check_at_lock_and_forget_at_unlock);
	TEST_EXIT();
}
