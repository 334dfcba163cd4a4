/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_ARCH_X86_64_PAGING_H
#define CAPOS_ARCH_X86_64_PAGING_H

#include "lib/types.h"

#define PTE_P		(1ull << 0)
#define PTE_W		(1ull << 1)
#define PTE_U		(1ull << 2)
#define PTE_PWT		(1ull << 3)
#define PTE_PCD		(1ull << 4)
#define PTE_PS		(1ull << 7)
#define PTE_G		(1ull << 8)
#define PTE_NX		(1ull << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ull

struct phys_span {
	paddr_t base;
	uint64_t len;
};

/*
 * Builds the kernel's final page tables and switches to them: the direct map of
 * every span in `ram` (RW, NX, 2 MiB pages), the kernel image with W^X per
 * section and unmapped stack guard pages, and nothing in the user half.
 * Page-table frames come from a pool inside the kernel image, so this runs
 * before the frame allocator exists. Returns the highest mapped physical address.
 */
paddr_t paging_init(const struct phys_span *ram, size_t n, bool has_nx, bool has_1g_pages);

/* Maps one uncached MMIO page into the MMIO window; returns its virtual address. */
void *paging_map_mmio(paddr_t pa);

/* Physical address of the kernel's top-level table (PML4). */
paddr_t paging_kernel_root(void);

#endif
