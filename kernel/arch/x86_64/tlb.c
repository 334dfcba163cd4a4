// SPDX-License-Identifier: MIT
/*
 * TLB shootdown (tlb.h, docs/smp.md). One request at a time, under
 * tlb_lock: the initiator writes it, posts IPI_SHOOTDOWN to each target,
 * and waits for the targets' bits in `waiting` to clear. A CPU spinning for
 * tlb_lock, or waiting for acknowledgements, runs its own mailbox meanwhile,
 * so an initiator never waits on a CPU that waits on it.
 */
#include "arch/arch.h"
#include "arch/x86_64/ipi.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/x86.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "lib/spinlock.h"

_Static_assert(MAX_CPUS <= 64, "the waiting set is one 64-bit mask");

static struct spinlock tlb_lock = SPINLOCK_INIT_RANK(LOCK_RANK_LEAF);
static struct {			/* written under tlb_lock before any IPI_SHOOTDOWN is posted */
	uint64_t root;		/* 0: a kernel range */
	uint64_t va;
	uint64_t pages;
	uint64_t waiting;	/* CPUs that have not acknowledged yet (atomic) */
} request;

/* This CPU's entries for the range; for a user range only if it runs that address space. */
static void flush_local(uint64_t root, uint64_t va, uint64_t pages)
{
	if (root && read_cr3() != root)
		return;	/* its CR3 load since the change dropped them (no PCID) */
	if (pages > TLB_FLUSH_ALL_PAGES) {
		if (root) {
			write_cr3(root);
		} else {
			uint64_t cr4 = read_cr4();	/* global entries go with CR4.PGE */

			write_cr4(cr4 & ~CR4_PGE);
			write_cr4(cr4);
		}
		return;
	}
	for (uint64_t i = 0; i < pages; i++)
		invlpg(va + i * PAGE_SIZE);
}

void tlb_shootdown_answer(struct cpu *c)
{
	flush_local(request.root, request.va, request.pages);
	__atomic_store_n(&c->shootdowns, c->shootdowns + 1, __ATOMIC_RELAXED);
	__atomic_fetch_and(&request.waiting, ~(1ull << c->id), __ATOMIC_RELEASE);
}

/* The other online CPUs that may cache the range. */
static uint64_t targets(uint64_t root, uint32_t self)
{
	uint32_t n = smp_cpu_count();
	uint64_t set = 0;

	/* The PTE change is visible before we read who runs the address space (docs/smp.md). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (uint32_t i = 0; i < n; i++)
		if (i != self && (!root || __atomic_load_n(&cpus[i].user_root, __ATOMIC_RELAXED) == root))
			set |= 1ull << i;
	return set;
}

static void lock_polling(void)
{
	while (!spin_trylock(&tlb_lock)) {
		ipi_run_mailbox();
		pause();
	}
}

static void wait_acks_locked(uint64_t set)
{
	uint64_t end = arch_now_ns() + IPI_WAIT_NS, left;

	assert_held(&tlb_lock);
	while ((left = __atomic_load_n(&request.waiting, __ATOMIC_ACQUIRE)) != 0) {
		if (arch_now_ns() >= end)
			panic("tlb: CPUs 0x%llx of 0x%llx did not acknowledge a shootdown",
			      (unsigned long long)left, (unsigned long long)set);
		ipi_run_mailbox();
		pause();
	}
}

uint32_t tlb_shootdown(uint64_t root, uint64_t va, uint64_t pages)
{
	uint64_t flags, set;
	uint32_t asked = 0;

	flush_local(root, va, pages);
	if (smp_cpu_count() == 1)
		return 0;
	flags = arch_irq_save();
	lock_polling();
	set = targets(root, this_cpu()->id);
	if (set) {
		request.root = root;
		request.va = va;
		request.pages = pages;
		__atomic_store_n(&request.waiting, set, __ATOMIC_RELEASE);
		for (uint32_t i = 0; i < MAX_CPUS; i++) {
			if (!(set & (1ull << i)))
				continue;
			if (!ipi_post(i, IPI_SHOOTDOWN))
				panic("tlb: the local APIC did not send a shootdown to CPU %u", i);
			asked++;
		}
		wait_acks_locked(set);
	}
	spin_unlock(&tlb_lock);
	arch_irq_restore(flags);
	return asked;
}
