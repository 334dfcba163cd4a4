/* SPDX-License-Identifier: MIT */
/*
 * The regions a process mapped through VirtualMemory (mm/vm.c): a sorted list
 * of disjoint page ranges, each with one protection. Pure bookkeeping with
 * no page tables and no allocation, so it is tested on the host: callers
 * allocate the records an operation may need before they take the address
 * space lock (at most VM_SPARES_MAX), pass them in, and free whatever comes
 * back in `unused` after they drop it.
 *
 * Every operation either does all of its work or returns an error having
 * changed nothing (decode, then invoke): unmap and protect first check that
 * the whole range is mapped and that the region count stays within
 * VM_REGIONS_MAX. Loops run over at most VM_REGIONS_MAX records.
 */
#ifndef CAPOS_KERNEL_MM_VM_MAP_H
#define CAPOS_KERNEL_MM_VM_MAP_H

#include "lib/types.h"

#define VM_REGIONS_MAX 256	/* regions per process: bounds every walk */
#define VM_SPARES_MAX 2		/* records one operation may need */
#define VM_PROT_ANY 0xffffffffu	/* max_prot of anonymous memory: no limit */

struct shared_pages;

/*
 * A region is anonymous (backing NULL: demand-zero frames of its own) or
 * shows pages of a MemoryObject (backing: its pages from page `offset` at
 * `start`). vm_map only copies backing, never follows it: the caller holds
 * one reference per record that names it (a record a cut adds is a copy,
 * see vm_map_remove and vm_map_protect).
 */
struct vm_region {
	struct vm_region *next;
	uint64_t start, end;	/* page aligned, start < end */
	uint32_t prot;		/* AS_PROT_* */
	uint32_t max_prot;	/* protect may not go beyond it (a read-only facet) */
	struct shared_pages *backing;	/* NULL: anonymous */
	uint64_t offset;	/* backing's page shown at start */
};

struct vm_map {
	struct vm_region *head;	/* by address, disjoint */
	uint32_t count;
};

/* The outcome codes of the operations below. */
#define VM_OK 0
#define VM_NO_ROOM 1		/* no free range of that size, or too many regions */
#define VM_NOT_MAPPED 2		/* part of the range is not mapped */
#define VM_NOT_PERMITTED 3	/* prot beyond a region's max_prot */

static inline void vm_map_init(struct vm_map *m)
{
	m->head = NULL;
	m->count = 0;
}

/* The region holding va, or NULL. */
const struct vm_region *vm_map_find(const struct vm_map *m, uint64_t va);

/*
 * Where `bytes` (page multiple, > 0) can go in [lo, hi): at hint when the
 * whole range there is free and inside, else the lowest free range. VM_OK
 * and *va, or VM_NO_ROOM.
 */
int vm_map_place(const struct vm_map *m, uint64_t hint, uint64_t bytes, uint64_t lo, uint64_t hi,
		 uint64_t *va);

/*
 * Records anonymous [va, va + bytes) (free, as vm_map_place found it) with
 * prot, merged into an adjacent anonymous region of the same protection
 * when there is one. Needs one spare; VM_NO_ROOM if a new record would
 * exceed VM_REGIONS_MAX.
 */
int vm_map_insert(struct vm_map *m, uint64_t va, uint64_t bytes, uint32_t prot,
		  struct vm_region **spares);

/*
 * Records [va, va + bytes) showing backing's pages from page 0, with prot
 * (within max_prot). Never merged: each mapping of an object is its own
 * record. Needs one spare; VM_NO_ROOM as vm_map_insert.
 */
int vm_map_insert_backed(struct vm_map *m, uint64_t va, uint64_t bytes, uint32_t prot,
			 uint32_t max_prot, struct shared_pages *backing,
			 struct vm_region **spares);

/* The pages of [va, va + bytes) that lie in anonymous regions (what unmap uncharges). */
uint64_t vm_map_anon_pages(const struct vm_map *m, uint64_t va, uint64_t bytes);

/* VM_OK if every page of [va, va + bytes) is mapped, else VM_NOT_MAPPED. */
int vm_map_covered(const struct vm_map *m, uint64_t va, uint64_t bytes);

/*
 * Forgets [va, va + bytes), which must be wholly mapped: regions inside go to
 * *unused, a region cut in the middle takes a spare. VM_NOT_MAPPED or
 * VM_NO_ROOM change nothing.
 */
int vm_map_remove(struct vm_map *m, uint64_t va, uint64_t bytes, struct vm_region **spares,
		  struct vm_region **unused);

/*
 * Gives [va, va + bytes), which must be wholly mapped, protection prot,
 * splitting the regions at its ends (up to two spares). VM_NOT_PERMITTED if
 * prot exceeds the max_prot of a region in the range. Errors change nothing.
 */
int vm_map_protect(struct vm_map *m, uint64_t va, uint64_t bytes, uint32_t prot,
		   struct vm_region **spares);

#endif
