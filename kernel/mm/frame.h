/* SPDX-License-Identifier: MIT */
/*
 * The kernel's physical frame allocator: one buddy allocator (mm/buddy.c) over
 * all usable RAM, behind a spinlock. May be called with interrupts on; never
 * from interrupt context (see docs/memory.md).
 */
#ifndef CAPOS_KERNEL_MM_FRAME_H
#define CAPOS_KERNEL_MM_FRAME_H

#include "boot/bootinfo.h"
#include "lib/types.h"

/* Owner tags for accounting; processes (M3) use their pid + FRAME_OWNER_PROC_BASE. */
enum {
	FRAME_OWNER_KERNEL = 1,
	FRAME_OWNER_HEAP = 2,
	FRAME_OWNER_PAGETABLE = 3,
	FRAME_OWNER_TEST = 4,
	FRAME_OWNER_SHARED = 5,		/* MemoryObject pages (mm/shared_pages.h) */
	FRAME_OWNER_PROC_BASE = 0x100,
};

/*
 * Builds the allocator from the boot memory map, keeping out the kernel image,
 * the boot modules, the boot information and the first MiB. Panics on failure:
 * without frames there is no kernel.
 */
void frame_init(const struct boot_info *bi, paddr_t kernel_start, paddr_t kernel_end);

__must_check int frame_alloc(unsigned order, uint32_t owner, paddr_t *out);
__must_check int frame_free(paddr_t pa, unsigned order);
/* Frees frames the kernel itself allocated; failure is a kernel bug and panics. */
void frame_release(paddr_t pa, unsigned order);
uint64_t frame_free_count(void);
uint64_t frame_total_count(void);

#endif
