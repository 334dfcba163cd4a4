// SPDX-License-Identifier: MIT
/*
 * The page tables a VirtualMemory mapping needs: counted before the map is
 * made, charged to the address space's account, built at once, and kept
 * (charged) until the address space is destroyed. Unmap frees frames, not
 * tables, so without the charge a process that maps and unmaps far apart
 * could make the kernel hold tables without end; with it, what a process
 * can pin in tables is bounded by its quota like everything else
 * (docs/virtual-memory.md, "Kernel memory"). Built at map time, the tables
 * also mean a first touch never allocates one.
 */
#include <capos/errors.h>

#include "arch/x86_64/addrspace_impl.h"
#include "mm/account.h"

/* Bytes one entry of a table at `level` covers (level 1: a leaf table's 2 MiB). */
static inline uint64_t level_span(unsigned level)
{
	return (uint64_t)1 << (PAGE_SHIFT + 9 * level);
}

/* How many span-aligned blocks [lo, hi) touches (lo < hi). */
static inline uint64_t blocks(uint64_t lo, uint64_t hi, uint64_t span)
{
	return (hi - 1) / span - lo / span + 1;
}

/*
 * Tables missing under `table` (a table at `level` >= 1) for [lo, hi): one
 * per absent entry, plus everything below it. A loop per level, no
 * recursion: level 3 and 2 each look at their present entries only, and
 * the range is bounded by the pages already charged for it.
 */
static uint64_t missing_below(const uint64_t *pml4, uint64_t lo, uint64_t hi)
{
	uint64_t n = 0;

	for (uint64_t a = lo; a < hi;) {
		uint64_t a_end = (a | (level_span(3) - 1)) + 1, e3 = pml4[va_index(a, 3)];
		uint64_t hi3 = a_end < hi ? a_end : hi;

		if (!(e3 & PTE_P)) {
			n += 1 + blocks(a, hi3, level_span(2)) + blocks(a, hi3, level_span(1));
			a = hi3;
			continue;
		}
		const uint64_t *pdpt = table_at(e3);

		for (uint64_t b = a; b < hi3;) {
			uint64_t b_end = (b | (level_span(2) - 1)) + 1, e2 = pdpt[va_index(b, 2)];
			uint64_t hi2 = b_end < hi3 ? b_end : hi3;

			if (!(e2 & PTE_P)) {
				n += 1 + blocks(b, hi2, level_span(1));
			} else {
				const uint64_t *pd = table_at(e2);

				for (uint64_t c = b; c < hi2; c = (c | (level_span(1) - 1)) + 1)
					n += !(pd[va_index(c, 1)] & PTE_P);
			}
			b = hi2;
		}
		a = hi3;
	}
	return n;
}

int as_tables_reserve_locked(struct addrspace *as, uint64_t va, uint64_t bytes)
{
	uint64_t end = va + bytes, need, before = as->frames;
	int err;

	assert_held(&as->lock);
	need = missing_below(table_at(as->root), va, end);
	if (need == 0)
		return 0;
	if (!as->account)
		return CAPOS_ERR_QUOTA_EXCEEDED;
	err = mem_account_charge(as->account, need);
	if (err)
		return err;
	for (uint64_t a = va; a < end; a = (a | (level_span(1) - 1)) + 1)
		if (!as_walk_locked(as, a, true))
			break;
	uint64_t made = as->frames - before;

	as->table_pages += made;
	if (made < need) {	/* out of frames: what was made stays, and stays charged */
		mem_account_uncharge(as->account, need - made);
		return CAPOS_ERR_NO_MEMORY;
	}
	return 0;
}
