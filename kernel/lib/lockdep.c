// SPDX-License-Identifier: MIT
/*
 * The debug build's run-time lock-order check (lib/lockorder.h has the rule,
 * docs/locking.md the order). Each CPU keeps the stack of locks it holds;
 * spin_lock checks the new lock against it before waiting, so an inversion
 * panics with both locks and where they were taken instead of deadlocking
 * one run in a thousand. The stack belongs to the CPU, not the thread: the
 * scheduler's lock, taken by one thread and released by the next after the
 * context switch (sched_finish_switch), stays on the same stack throughout.
 * The stack is updated with interrupts off: a handler on the same CPU pushes
 * and pops on it too. Release builds compile none of this.
 */
#include "lib/lockdep.h"

#ifdef CAPOS_DEBUG

#include "arch/arch.h"
#include "lib/ksym.h"

static void print_lock(const char *what, const void *lock, unsigned rank, uintptr_t pc)
{
	const char *name;
	uint64_t off;

	kprintf_emergency("  %s %p: rank %u (%s), taken at ", what, lock, rank,
			  lock_rank_info(rank).name);
	if (ksym_lookup(pc, &name, &off))
		kprintf_emergency("%s+0x%llx\n", name, (unsigned long long)off);
	else
		kprintf_emergency("0x%llx\n", (unsigned long long)pc);
}

static _Noreturn void report_inversion(const struct lock_held_stack *s, int conflict,
				       const struct spinlock *l, uintptr_t pc)
{
	const struct lock_held *h = &s->held[conflict];

	kprintf_emergency("\nlockdep: lock order violated (docs/locking.md)\n");
	print_lock("taking", l, l->rank, pc);
	print_lock("while holding", h->lock, h->rank, h->pc);
	for (uint32_t i = 0; i < s->depth; i++)
		print_lock("held", s->held[i].lock, s->held[i].rank, s->held[i].pc);
	panic("lockdep: %s lock taken inside %s lock", lock_rank_info(l->rank).name,
	      lock_rank_info(h->rank).name);
}

static void acquire(const struct spinlock *l, bool check, uintptr_t pc)
{
	struct lock_held_stack *s = lockdep_held_locks();
	uint64_t flags;
	int conflict;

	if (!s)
		return;		/* before the boot CPU's per-CPU area is set up */
	flags = arch_irq_save();
	if (l->rank == LOCK_RANK_NONE || l->rank >= LOCK_RANK_COUNT)
		panic("lockdep: lock %p has no rank (taken at 0x%llx): give it a class",
		      (const void *)l, (unsigned long long)pc);
	conflict = check ? lock_order_conflict(s, l, l->rank, l->key) : -1;
	if (conflict >= 0)
		report_inversion(s, conflict, l, pc);
	if (!lock_held_push(s, l, l->rank, l->key, pc))
		panic("lockdep: more than %d locks held", LOCK_HELD_MAX);
	arch_irq_restore(flags);
}

__attribute__((noinline)) void lockdep_acquire(const struct spinlock *l)
{
	acquire(l, true, (uintptr_t)__builtin_return_address(0));
}

__attribute__((noinline)) void lockdep_acquired_try(const struct spinlock *l)
{
	acquire(l, false, (uintptr_t)__builtin_return_address(0));
}

__attribute__((noinline)) void lockdep_release(const struct spinlock *l)
{
	struct lock_held_stack *s = lockdep_held_locks();
	uint64_t flags;

	if (!s)
		return;
	flags = arch_irq_save();
	if (!lock_held_remove(s, l))
		panic("lockdep: releasing lock %p (rank %u), which this CPU does not hold (at 0x%llx)",
		      (const void *)l, l->rank,
		      (unsigned long long)(uintptr_t)__builtin_return_address(0));
	arch_irq_restore(flags);
}

void lockdep_assert_switch(const struct spinlock *handed_over)
{
	const struct lock_held_stack *s = lockdep_held_locks();

	if (!s || (s->depth == 1 && s->held[0].lock == handed_over))
		return;
	kprintf_emergency("\nlockdep: context switch with locks held\n");
	for (uint32_t i = 0; i < s->depth; i++)
		print_lock("held", s->held[i].lock, s->held[i].rank, s->held[i].pc);
	panic("lockdep: only the scheduler's lock may be held across a context switch");
}

#endif
