// SPDX-License-Identifier: MIT
/*
 * VirtualMemory in an x86-64 address space (mm/addrspace.h): regions
 * (mm/vm_map.c) charged to the account when mapped, a zeroed frame for each
 * page at its first touch, unmap and protect. Every change to a present
 * user PTE is followed by tlb_flush under as->lock. Region records come from kmalloc before
 * as->lock is taken and go back after it is dropped.
 */
#include <capos/errors.h>
#include <capos/layout.h>

#include "arch/x86_64/addrspace_impl.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/x86.h"
#include "mm/account.h"
#include "mm/frame.h"
#include "mm/kmalloc.h"
#include "mm/shared_pages.h"

#define VM_HEAP_END (CAPOS_USER_HEAP_BASE + CAPOS_USER_HEAP_MAX)
#define AS_PROT_ALL (AS_PROT_READ | AS_PROT_WRITE | AS_PROT_EXEC)

/*
 * The TLB entries of [va, va + npages) of `as` go, on this CPU and on every
 * other CPU that runs `as` now (its resident set: tlb.h).
 */
static void tlb_flush(struct addrspace *as, uint64_t va, uint64_t npages)
{
	(void)tlb_shootdown(as->root, va, npages);
}

/* Pages [va, va + bytes) lie in the heap or mapping area, page aligned. */
static bool vm_range_ok(uint64_t va, uint64_t bytes)
{
	return bytes && !((va | bytes) & (PAGE_SIZE - 1)) && va >= CAPOS_USER_HEAP_BASE &&
	       va < CAPOS_USER_MAP_END && bytes <= CAPOS_USER_MAP_END - va;
}

static bool vm_prot_ok(uint32_t prot)
{
	return (prot & AS_PROT_READ) && !(prot & ~AS_PROT_ALL) &&
	       !((prot & AS_PROT_WRITE) && (prot & AS_PROT_EXEC));	/* W^X */
}

static int spares_alloc(struct vm_region **list, unsigned n)
{
	*list = NULL;
	for (unsigned i = 0; i < n; i++) {
		struct vm_region *r = kmalloc(sizeof(*r));

		if (!r)
			return CAPOS_ERR_NO_MEMORY;
		r->next = *list;
		*list = r;
	}
	return 0;
}

/* Frees records that hold nothing: spares, or records of anonymous regions. */
static void records_free(struct vm_region *list)
{
	while (list) {
		struct vm_region *next = list->next;

		(void)kfree(list);
		list = next;
	}
}

/* Frees regions taken out of the map, dropping their MemoryObject references. */
static void regions_drop(struct vm_region *list)
{
	while (list) {
		struct vm_region *next = list->next;

		if (list->backing)
			shared_pages_put(list->backing);
		(void)kfree(list);
		list = next;
	}
}

/*
 * A spare an operation used is a copy of a region it cut (vm_map.h): when
 * that region shows a MemoryObject, the copy takes a reference of its own.
 * `given` are the spares handed in, `left` those that came back unused.
 * Under as->lock, so the region copied still holds its own reference.
 */
static void spares_used_get(struct addrspace *as, struct vm_region *const *given, unsigned n,
			    const struct vm_region *left)
{
	assert_held(&as->lock);
	for (unsigned i = 0; i < n; i++) {
		bool used = true;

		for (const struct vm_region *r = left; r; r = r->next)
			used = used && r != given[i];
		if (used && given[i]->backing)
			shared_pages_get(given[i]->backing);
	}
}

/* The spares of a list, into given[0..n) (n at most VM_SPARES_MAX). */
static unsigned spares_note(struct vm_region *list, struct vm_region **given)
{
	unsigned n = 0;

	for (; list && n < VM_SPARES_MAX; list = list->next)
		given[n++] = list;
	return n;
}

uint64_t *as_demand_fill_locked(struct addrspace *as, uint64_t va, uint64_t need)
{
	const struct vm_region *r = vm_map_find(&as->vm, va);
	uint64_t *pte;
	paddr_t pa;

	assert_held(&as->lock);
	if (!r || ((need & PTE_W) && !(r->prot & AS_PROT_WRITE)))
		return NULL;
	pte = as_walk_locked(as, va, true);
	if (!pte || (*pte & PTE_P))
		return pte;
	if (r->backing) {
		/* The object's frame: borrowed, never freed by this space (shared_pages.h). */
		uint64_t page = r->offset + ((va & ~(PAGE_SIZE - 1)) - r->start) / PAGE_SIZE;

		*pte = shared_pages_frame(r->backing, page) | as_prot_to_pte(r->prot) |
		       PTE_BORROWED;
		if (r->backing->kind == SHARED_PAGES_DEVICE)
			*pte |= PTE_DEVICE | PTE_PCD | PTE_PWT;	/* uncached; not the kernel's */
		return pte;
	}
	if (as_alloc_zeroed(as, &pa) != 0)
		return NULL;
	*pte = pa | as_prot_to_pte(r->prot);	/* not present before: nothing to flush */
	return pte;
}

bool as_vm_fault(struct addrspace *as, uint64_t va, bool write, bool exec)
{
	bool ok = false;

	if (!is_user_range(va, 1) || as_locks_held())
		return false;
	as_lock(as);
	const struct vm_region *r = vm_map_find(&as->vm, va);

	if (r && (!exec || (r->prot & AS_PROT_EXEC))) {
		uint64_t *pte = lookup_locked(as, va);

		/* Not present when it faulted (the caller checked): present now, retry. */
		if (pte && (*pte & PTE_P))
			ok = true;
		else
			ok = as_demand_fill_locked(as, va, write ? PTE_W : 0) != NULL;
	}
	as_unlock(as);
	return ok;
}

/* Places `bytes` at hint if free, else lowest in the area of the hint (the mapping area for 0). */
static int vm_place_locked(struct addrspace *as, uint64_t hint, uint64_t bytes, uint64_t *va)
{
	bool heap = hint >= CAPOS_USER_HEAP_BASE && hint < VM_HEAP_END;
	uint64_t lo = heap ? CAPOS_USER_HEAP_BASE : CAPOS_USER_MAP_BASE;
	uint64_t hi = heap ? VM_HEAP_END : CAPOS_USER_MAP_END;

	assert_held(&as->lock);
	if (hint & (PAGE_SIZE - 1))
		hint = 0;
	return vm_map_place(&as->vm, hint, bytes, lo, hi, va) == VM_OK ? 0
									: CAPOS_ERR_QUOTA_EXCEEDED;
}

/*
 * Places a region of `bytes` at hint (or where placement puts it), builds
 * the page tables it needs (charged: addrspace_tables.c) and records it,
 * backed by sp when that is not NULL (which the region then holds).
 */
static int map_region(struct addrspace *as, uint64_t hint, uint64_t bytes, uint32_t prot,
		      uint32_t max_prot, struct shared_pages *sp, uint64_t *va)
{
	struct vm_region *spares;
	int err = spares_alloc(&spares, 1);

	if (err)
		return err;
	as_lock(as);
	err = vm_place_locked(as, hint, bytes, va);
	if (!err)
		err = as_tables_reserve_locked(as, *va, bytes);
	if (!err) {
		int res = sp ? vm_map_insert_backed(&as->vm, *va, bytes, prot, max_prot, sp, &spares)
			     : vm_map_insert(&as->vm, *va, bytes, prot, &spares);

		if (res != VM_OK)
			err = CAPOS_ERR_QUOTA_EXCEEDED;
		else if (sp)
			shared_pages_get(sp);	/* the region's */
	}
	as_unlock(as);
	records_free(spares);
	return err;
}

int as_vm_map(struct addrspace *as, uint64_t hint, uint64_t bytes, uint32_t prot, uint64_t *va)
{
	int err;

	if (!vm_range_ok(CAPOS_USER_MAP_BASE, bytes) || !vm_prot_ok(prot))
		return CAPOS_ERR_INVALID_ARGUMENT;
	if (!as->account)
		return CAPOS_ERR_QUOTA_EXCEEDED;
	err = mem_account_charge(as->account, bytes / PAGE_SIZE);
	if (err)
		return err;
	err = map_region(as, hint, bytes, prot, prot, NULL, va);
	if (err)
		mem_account_uncharge(as->account, bytes / PAGE_SIZE);
	return err;
}

bool as_vm_shows(struct addrspace *as, uint64_t va, const struct shared_pages *sp)
{
	const struct vm_region *r;
	bool shows;

	as_lock(as);
	r = vm_map_find(&as->vm, va);
	shows = r && r->backing == sp && r->start == va && r->offset == 0 &&
		r->end - r->start == sp->npages * PAGE_SIZE;
	as_unlock(as);
	return shows;
}

int as_vm_map_shared(struct addrspace *as, uint64_t hint, struct shared_pages *sp, uint32_t prot,
		     uint32_t max_prot, uint64_t *va)
{
	max_prot &= ~AS_PROT_EXEC;	/* shared pages never run: W^X across processes */
	if (!vm_prot_ok(prot) || (prot & ~max_prot) || (hint & (PAGE_SIZE - 1)))
		return CAPOS_ERR_INVALID_ARGUMENT;
	return map_region(as, hint, sp->npages * PAGE_SIZE, prot, max_prot, sp, va);
}

/*
 * The level-0 table that maps va, or NULL with *skip the bytes from va to
 * the end of the missing table's reach. Caller holds as->lock.
 */
static uint64_t *leaf_table_locked(struct addrspace *as, uint64_t va, uint64_t *skip)
{
	uint64_t *table = table_at(as->root);

	assert_held(&as->lock);
	for (unsigned level = 3; level > 0; level--) {
		uint64_t e = table[va_index(va, level)];

		if (!(e & PTE_P)) {
			uint64_t reach = PAGE_SIZE << (9 * level);

			*skip = reach - (va & (reach - 1));
			return NULL;
		}
		table = table_at(e);
	}
	return table;
}

/*
 * Applies `edit` to every PTE of [va, end) in a table that exists: the cost
 * is the range's pages (at most the pages mapped, which the account bounds)
 * plus one step per missing table.
 */
static void for_each_pte_locked(struct addrspace *as, uint64_t va, uint64_t end,
				void (*edit)(struct addrspace *, uint64_t *, void *), void *arg)
{
	while (va < end) {
		uint64_t skip = 0, *table = leaf_table_locked(as, va, &skip);

		if (!table) {
			va = skip < end - va ? va + skip : end;
			continue;
		}
		for (unsigned i = va_index(va, 0); i < PT_ENTRIES && va < end; i++, va += PAGE_SIZE)
			edit(as, &table[i], arg);
	}
}

/*
 * Unmapping is two passes under as->lock with the TLB flush between them:
 * the first takes the present bit away and keeps the frame's address in
 * the PTE, the second (after no CPU can reach the frames any more) links
 * the frames through their first word and clears the PTEs.
 */
static void pte_unmap(struct addrspace *as, uint64_t *pte, void *arg)
{
	(void)as;
	(void)arg;
	if (*pte & PTE_P)
		*pte &= PTE_ADDR_MASK | PTE_BORROWED;	/* a MemoryObject's frame stays borrowed */
}

static void pte_take_frame(struct addrspace *as, uint64_t *pte, void *arg)
{
	struct as_freed *freed = arg;
	paddr_t pa = *pte & PTE_ADDR_MASK;

	if (!pa)
		return;
	if (*pte & PTE_BORROWED) {
		*pte = 0;	/* a MemoryObject's: it goes with the object (shared_pages.h) */
		return;
	}
	*pte = 0;
	*(paddr_t *)table_at(pa) = freed->head;
	freed->head = pa;
	freed->count++;
	as->frames--;
}

/* Windows and claims into `as` are stale from now on (mm/addrspace.h). */
static void windows_forget_locked(struct addrspace *as)
{
	assert_held(&as->lock);
	as->hint_page = 0;
	as->hint_kva = NULL;
	__atomic_store_n(&as->unmap_epoch, as->unmap_epoch + 1, __ATOMIC_RELEASE);
}

int as_vm_unmap(struct addrspace *as, uint64_t va, uint64_t bytes, struct as_freed *freed)
{
	struct vm_region *spares, *given[VM_SPARES_MAX];
	uint64_t anon = 0;
	int err, res = VM_NOT_MAPPED;

	freed->head = 0;
	freed->count = 0;
	freed->regions = NULL;
	if (!vm_range_ok(va, bytes))
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = spares_alloc(&spares, 1);
	if (!err) {
		unsigned n = spares_note(spares, given);

		as_lock(as);
		anon = vm_map_anon_pages(&as->vm, va, bytes);
		res = vm_map_remove(&as->vm, va, bytes, &spares, &freed->regions);
		if (res == VM_OK) {
			spares_used_get(as, given, n, spares);
			for_each_pte_locked(as, va, va + bytes, pte_unmap, NULL);
			tlb_flush(as, va, bytes / PAGE_SIZE);
			for_each_pte_locked(as, va, va + bytes, pte_take_frame, freed);
			windows_forget_locked(as);
		}
		as_unlock(as);
		err = res == VM_OK ? 0 : res == VM_NO_ROOM ? CAPOS_ERR_QUOTA_EXCEEDED
							     : CAPOS_ERR_INVALID_ARGUMENT;
	}
	records_free(spares);
	if (!err && anon)
		mem_account_uncharge(as->account, anon);	/* an object's pages were never charged here */
	return err;
}

void as_vm_release(struct as_freed *freed)
{
	while (freed->head) {
		paddr_t pa = freed->head;

		freed->head = *(paddr_t *)table_at(pa);
		frame_release(pa, 0);
	}
	freed->count = 0;
	regions_drop(freed->regions);
	freed->regions = NULL;
}

static void pte_set_prot(struct addrspace *as, uint64_t *pte, void *arg)
{
	(void)as;
	if (*pte & PTE_P)
		*pte = (*pte & PTE_KEPT_BITS) | as_prot_to_pte(*(const uint32_t *)arg);
}

int as_vm_protect(struct addrspace *as, uint64_t va, uint64_t bytes, uint32_t prot)
{
	struct vm_region *spares, *given[VM_SPARES_MAX];
	int err, res = VM_NOT_MAPPED;

	if (!vm_range_ok(va, bytes) || !vm_prot_ok(prot))
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = spares_alloc(&spares, VM_SPARES_MAX);
	if (!err) {
		unsigned n = spares_note(spares, given);

		as_lock(as);
		res = vm_map_protect(&as->vm, va, bytes, prot, &spares);
		if (res == VM_OK) {
			spares_used_get(as, given, n, spares);
			for_each_pte_locked(as, va, va + bytes, pte_set_prot, &prot);
			tlb_flush(as, va, bytes / PAGE_SIZE);
			if (!(prot & AS_PROT_WRITE))
				windows_forget_locked(as);	/* a window may write there */
		}
		as_unlock(as);
		err = res == VM_OK ? 0 : res == VM_NO_ROOM ? CAPOS_ERR_QUOTA_EXCEEDED
							     : CAPOS_ERR_INVALID_ARGUMENT;
	}
	records_free(spares);
	return err;
}

void as_vm_destroy(struct addrspace *as)
{
	uint64_t pages = 0;

	while (as->vm.head) {
		struct vm_region *r = as->vm.head;

		as->vm.head = r->next;
		if (r->backing)
			shared_pages_put(r->backing);	/* the tables are gone (as_destroy) */
		else
			pages += (r->end - r->start) / PAGE_SIZE;
		(void)kfree(r);
	}
	as->vm.count = 0;
	if (as->account) {
		mem_account_uncharge(as->account, pages + as->table_pages);
		as->table_pages = 0;
		mem_account_put(as->account);
		as->account = NULL;
	}
}
