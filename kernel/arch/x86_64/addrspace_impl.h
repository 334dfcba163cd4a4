/* SPDX-License-Identifier: MIT */
/*
 * Inside the x86-64 address spaces: what addrspace.c (tables, copies,
 * teardown) and addrspace_vm.c (VirtualMemory regions, demand-zero pages,
 * unmap and protect) share. Page-table walks have a fixed depth of four.
 */
#ifndef CAPOS_ARCH_X86_64_ADDRSPACE_IMPL_H
#define CAPOS_ARCH_X86_64_ADDRSPACE_IMPL_H

#include <capos/layout.h>

#include "arch/arch.h"
#include "arch/x86_64/paging.h"
#include "lib/lockdep.h"
#include "mm/addrspace.h"

#define USER_PML4_ENTRIES 256
#define PTE_BORROWED (1ull << 9)	/* software bit: the frame is not ours to free */
/*
 * Software bit: device memory (a PciDevice's BAR, mm/shared_pages.h),
 * mapped uncached; the kernel never reaches it through the direct map,
 * so its own page walks (copies, windows) refuse such a page.
 */
#define PTE_DEVICE (1ull << 10)
#define PTE_KEPT_BITS (PTE_ADDR_MASK | PTE_BORROWED | PTE_DEVICE | PTE_PCD | PTE_PWT)
#define PT_ENTRIES 512

static inline uint64_t *table_at(paddr_t pa)
{
	return arch_phys_to_virt(pa & PTE_ADDR_MASK);
}

static inline unsigned va_index(vaddr_t va, unsigned level)
{
	return (va >> (12 + 9 * level)) & 0x1ff;
}

static inline bool is_user_range(uint64_t va, uint64_t len)
{
	return va >= CAPOS_USER_MIN && len <= CAPOS_USER_END - va && va < CAPOS_USER_END;
}

/* as->lock, counted per CPU so the fault handler knows not to take one (as_locks_held). */
void as_lock(struct addrspace *as);
void as_unlock(struct addrspace *as);

/* A zeroed frame owned by `as` (counted in as->frames). */
int as_alloc_zeroed(struct addrspace *as, paddr_t *out);

/* The PTE bits for prot (present, user, W, NX). */
uint64_t as_prot_to_pte(uint32_t prot);

/* Finds (or with `create`, builds) the PTE for va. Caller holds as->lock. */
uint64_t *as_walk_locked(struct addrspace *as, vaddr_t va, bool create);

/* The PTE mapping va, or NULL: the read-only walk of copies and checks. Caller holds as->lock. */
static inline uint64_t *lookup_locked(const struct addrspace *as, vaddr_t va)
{
	const uint64_t *table = table_at(as->root);

	assert_held(&as->lock);
	for (unsigned level = 3; level > 0; level--) {
		uint64_t e = table[va_index(va, level)];

		if (!(e & PTE_P))
			return NULL;
		table = table_at(e);
	}
	return (uint64_t *)&table[va_index(va, 0)];
}

/*
 * The present PTE for va after giving a VirtualMemory page that allows
 * `need` (PTE_W for a write) its zeroed frame, or NULL if va is in no
 * region that allows it or memory ran out (addrspace_vm.c). Caller holds
 * as->lock.
 */
uint64_t *as_demand_fill_locked(struct addrspace *as, uint64_t va, uint64_t need);

/*
 * Builds the page tables [va, va + bytes) lacks, charging them to
 * as->account first (as->table_pages counts them until as_vm_destroy gives
 * them back): 0, QUOTA_EXCEEDED (nothing made), or NO_MEMORY (what was made
 * stays, charged). Caller holds as->lock (addrspace_tables.c).
 */
int as_tables_reserve_locked(struct addrspace *as, uint64_t va, uint64_t bytes);

/* Frees the VirtualMemory regions and their charge (as_destroy). */
void as_vm_destroy(struct addrspace *as);

#endif
