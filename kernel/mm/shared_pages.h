/* SPDX-License-Identifier: MIT */
/*
 * The pages of a MemoryObject (obj/memory_object.c): a fixed set of zeroed
 * frames, given at creation and never changed, so that any address space
 * may show them (mm/vm_map.h backed regions) and a fault may look one up
 * with no lock. The object's whole size is charged to the creator's account
 * once, at creation; mappings cost their mappers nothing.
 *
 * Reference counted: every MemoryObject capability object (a facet) and
 * every region record that shows the pages holds one. The last put frees
 * the frames, gives the pages back to the account and drops the account:
 * by then no page table maps a frame (a region's reference is dropped only
 * after its PTEs are gone and the unmap barrier has passed, addrspace_vm.c),
 * so no mapping can reach them.
 *
 * No lock of its own. The last put takes the frame and account locks (leaf
 * locks), so it must run with no address-space, VirtualMemory or peer lock
 * held.
 */
#ifndef CAPOS_KERNEL_MM_SHARED_PAGES_H
#define CAPOS_KERNEL_MM_SHARED_PAGES_H

#include "lib/types.h"

struct mem_account;

/* At most 64 MiB per object: the frame list is one kmalloc of at most 128 KiB. */
#define SHARED_PAGES_MAX 16384u

/*
 * What the pages are. A MemoryObject's are frames of their own. A
 * PciDevice (obj/pci_device_mem.c) has two more kinds, contiguous from
 * `base`: DMA memory, one buddy block of 2^order frames charged whole to
 * the account, and a BAR's device memory, which is no frame at all:
 * nothing is charged or freed, and mappings are uncached and never
 * reached by the kernel (PTE_DEVICE, addrspace_impl.h).
 */
enum shared_pages_kind {
	SHARED_PAGES_FRAMES = 0,
	SHARED_PAGES_DMA,
	SHARED_PAGES_DEVICE,
};

struct shared_pages {
	uint32_t refs;			/* atomic */
	uint32_t kind;			/* enum shared_pages_kind; never changes */
	uint64_t npages;		/* 1..SHARED_PAGES_MAX */
	struct mem_account *account;	/* charged (npages, or a DMA block's 2^order); NULL: device */
	paddr_t base;			/* DMA, DEVICE: page i is base + i pages */
	uint32_t order;			/* DMA: the buddy block's order */
	paddr_t frames[];		/* FRAMES: zeroed at creation; never change */
};

/*
 * npages zeroed frames, charged to `account` (never NULL: someone pays),
 * with one reference. CAPOS_ERR_INVALID_ARGUMENT (0 or beyond
 * SHARED_PAGES_MAX), CAPOS_ERR_QUOTA_EXCEEDED or CAPOS_ERR_NO_MEMORY;
 * nothing charged or held on failure.
 */
int shared_pages_create(struct mem_account *account, uint64_t npages, struct shared_pages **out);

/*
 * DMA memory: npages (1..SHARED_PAGES_MAX) zeroed, physically contiguous
 * pages, one buddy block of the next power of two, charged whole to
 * `account`. Errors as shared_pages_create (NO_MEMORY: no block that big).
 */
int shared_pages_create_dma(struct mem_account *account, uint64_t npages,
			    struct shared_pages **out);

/* A BAR's npages of device memory from base (page aligned): INVALID_ARGUMENT or NO_MEMORY. */
int shared_pages_create_device(paddr_t base, uint64_t npages, struct shared_pages **out);

void shared_pages_get(struct shared_pages *sp);
void shared_pages_put(struct shared_pages *sp);

static inline paddr_t shared_pages_frame(const struct shared_pages *sp, uint64_t page)
{
	return sp->kind == SHARED_PAGES_FRAMES ? sp->frames[page] : sp->base + page * PAGE_SIZE;
}

#endif
