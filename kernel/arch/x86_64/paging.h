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

/* Physical address of the kernel's top-level table (PML4), and the table itself. */
paddr_t paging_kernel_root(void);
const uint64_t *paging_kernel_pml4(void);

/* Later page tables come from `alloc` (the frame allocator); it returns 0 when out of memory. */
void paging_use_frame_allocator(paddr_t (*alloc)(void));

/*
 * Maps / unmaps one RW, NX kernel page (kernel stacks); false when out of
 * memory. Unmapping flushes this CPU only: the caller shoots down the rest
 * (tlb_shootdown with root 0) before reusing the frame.
 */
__must_check bool paging_map_kernel_page(vaddr_t va, paddr_t pa);
void paging_unmap_kernel_page(vaddr_t va);
/* Physical page behind a kernel 4 KiB mapping, 0 if unmapped. */
paddr_t paging_kernel_page_phys(vaddr_t va);

/* PTE_NX when the CPU has NX, else 0 (the bit is reserved without NX). */
uint64_t paging_nx_bit(void);

#endif
