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

struct vm_region {
	struct vm_region *next;
	uint64_t start, end;	/* page aligned, start < end */
	uint32_t prot;		/* AS_PROT_* */
};

struct vm_map {
	struct vm_region *head;	/* by address, disjoint */
	uint32_t count;
};

/* The outcome codes of the operations below. */
#define VM_OK 0
#define VM_NO_ROOM 1		/* no free range of that size, or too many regions */
#define VM_NOT_MAPPED 2		/* part of the range is not mapped */

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
 * Records [va, va + bytes) (free, as vm_map_place found it) with prot,
 * merged into an adjacent region of the same protection when there is one.
 * Needs one spare; VM_NO_ROOM if a new record would exceed VM_REGIONS_MAX.
 */
int vm_map_insert(struct vm_map *m, uint64_t va, uint64_t bytes, uint32_t prot,
		  struct vm_region **spares);

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
 * splitting the regions at its ends (up to two spares). Errors change nothing.
 */
int vm_map_protect(struct vm_map *m, uint64_t va, uint64_t bytes, uint32_t prot,
		   struct vm_region **spares);

#endif
