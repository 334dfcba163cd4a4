/* SPDX-License-Identifier: MIT */
/*
 * User address spaces. Each process owns one: a PML4 whose user half
 * (entries 0..255) holds only that process's mappings and whose kernel half
 * is copied from the kernel's tables at creation (the kernel-half tables are
 * shared, and never change at the top level: see paging.c).
 *
 * All user pages and user page tables are frames owned by the address space
 * (tagged with its owner for accounting); as_destroy frees every one of them.
 * The kernel reads and writes user memory only through as_copy_in/out, which
 * walk the tables and go through the direct map: they work for any address
 * space (a completion for a sleeping process), never fault, and fail cleanly
 * on unmapped, kernel, non-canonical or overflowing ranges.
 *
 * Locking: `lock` guards the tables. Leaf lock (only the frame lock nests in it).
 */
#ifndef CAPOS_KERNEL_MM_ADDRSPACE_H
#define CAPOS_KERNEL_MM_ADDRSPACE_H

#include "lib/spinlock.h"
#include "lib/types.h"

#define AS_PROT_READ	(1u << 0)
#define AS_PROT_WRITE	(1u << 1)
#define AS_PROT_EXEC	(1u << 2)

struct addrspace {
	struct spinlock lock;
	paddr_t root;		/* PML4; set at creation */
	uint32_t owner;		/* frame owner tag; set at creation */
	uint64_t frames;	/* user pages + user page tables held (under lock) */
};

__must_check int as_create(struct addrspace *as, uint32_t owner);
/* Frees every user page and table, then the PML4. The space must not be active on any CPU. */
void as_destroy(struct addrspace *as);
void as_activate(const struct addrspace *as);

/*
 * Maps `npages` fresh zeroed pages at `va` with `prot` (never write and execute
 * together). Fails without side effects visible to the process if any page is
 * already mapped or memory runs out (pages mapped so far stay owned and are
 * freed by as_destroy).
 */
__must_check int as_map_zeroed(struct addrspace *as, vaddr_t va, uint64_t npages, uint32_t prot);

/*
 * Maps `npages` existing frames from `pa` at `va`. The frames stay owned by the
 * caller: as_destroy unmaps them but does not free them (the ring).
 */
__must_check int as_map_borrowed(struct addrspace *as, vaddr_t va, paddr_t pa, uint64_t npages,
				 uint32_t prot);

/* Kernel pointer (through the direct map) to the page mapped at `va`, or NULL. */
void *as_page_kva(struct addrspace *as, vaddr_t va);

/* Copy between kernel memory and user memory of `as`; 0 or CAPOS_ERR_BAD_ADDRESS-style error. */
__must_check int as_copy_in(struct addrspace *as, void *dst, uint64_t uaddr, size_t n);
__must_check int as_copy_out(struct addrspace *as, uint64_t uaddr, const void *src, size_t n);

#endif
