// SPDX-License-Identifier: MIT
/*
 * Kernel stack slots. Slot i spans KSTACK_SLOT bytes from
 * KSTACK_AREA_BASE + i * KSTACK_SLOT: one guard page (never mapped), then the
 * stack. A bitmap tracks used slots; kstack_lock guards it (leaf lock).
 */
#include "arch/arch.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/tlb.h"
#include "lib/spinlock.h"
#include "mm/frame.h"
#include "mm/kstack.h"

#define KSTACK_SLOT ((KSTACK_PAGES + 1) * PAGE_SIZE)
#define KSTACK_MAX_SLOTS 8192

static uint64_t slot_used[KSTACK_MAX_SLOTS / 64];
static struct spinlock kstack_lock = SPINLOCK_INIT_RANK(LOCK_RANK_ALLOC);

static int slot_take(void)
{
	int slot = -1;

	spin_lock(&kstack_lock);
	for (unsigned w = 0; w < KSTACK_MAX_SLOTS / 64 && slot < 0; w++) {
		if (slot_used[w] == ~0ull)
			continue;
		unsigned bit = (unsigned)__builtin_ctzll(~slot_used[w]);
		slot_used[w] |= 1ull << bit;
		slot = (int)(w * 64 + bit);
	}
	spin_unlock(&kstack_lock);
	return slot;
}

static void slot_put(unsigned slot)
{
	spin_lock(&kstack_lock);
	slot_used[slot / 64] &= ~(1ull << (slot % 64));
	spin_unlock(&kstack_lock);
}

static vaddr_t slot_stack_base(unsigned slot)
{
	return KSTACK_AREA_BASE + (uint64_t)slot * KSTACK_SLOT + PAGE_SIZE;
}

/* Unmaps pages [0, n) of the stack at base, flushes every CPU's TLB, then frees their frames. */
static void unmap_and_release(vaddr_t base, unsigned n)
{
	paddr_t pa[KSTACK_PAGES];

	for (unsigned i = 0; i < n; i++) {
		pa[i] = paging_kernel_page_phys(base + i * PAGE_SIZE);
		paging_unmap_kernel_page(base + i * PAGE_SIZE);
	}
	/* One shootdown for the stack: no CPU may reach a frame through a stale entry once it is reused. */
	(void)tlb_shootdown(0, base, n);
	for (unsigned i = 0; i < n; i++)
		if (pa[i])
			frame_release(pa[i], 0);
}

void kstack_free(vaddr_t top)
{
	vaddr_t base = top - KSTACK_SIZE;
	unsigned slot = (unsigned)((base - KSTACK_AREA_BASE) / KSTACK_SLOT);

	unmap_and_release(base, KSTACK_PAGES);
	slot_put(slot);
}

vaddr_t kstack_alloc(void)
{
	int slot = slot_take();

	if (slot < 0)
		return 0;
	vaddr_t base = slot_stack_base((unsigned)slot);
	for (unsigned i = 0; i < KSTACK_PAGES; i++) {
		paddr_t pa;

		bool mapped = frame_alloc(0, FRAME_OWNER_KERNEL, &pa) == 0;

		if (mapped && !paging_map_kernel_page(base + i * PAGE_SIZE, pa)) {
			frame_release(pa, 0);
			mapped = false;
		}
		if (!mapped) {
			unmap_and_release(base, i);
			slot_put((unsigned)slot);
			return 0;
		}
	}
	return base + KSTACK_SIZE;
}

bool kstack_bounds(vaddr_t va, vaddr_t *lo, vaddr_t *hi)
{
	if (va < KSTACK_AREA_BASE || va >= KSTACK_AREA_BASE + (uint64_t)KSTACK_MAX_SLOTS * KSTACK_SLOT)
		return false;
	*lo = slot_stack_base((unsigned)((va - KSTACK_AREA_BASE) / KSTACK_SLOT));
	*hi = *lo + KSTACK_SIZE;
	return va >= *lo;
}
