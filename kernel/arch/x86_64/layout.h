/* SPDX-License-Identifier: MIT */
/*
 * Kernel virtual memory layout, shared by C and assembly.
 *
 *   0x0000_0000_0000_0000 .. 0x0000_7fff_ffff_ffff  user half (per process, M3)
 *   0xffff_8000_0000_0000 .. +DIRECT_MAP_MAX        direct map of all physical memory (RW, NX)
 *   0xffff_c000_0000_0000 .. +512 GiB               kernel stacks, each with an unmapped guard page
 *   0xffff_ffff_c000_0000 .. +1 GiB                 MMIO window (uncached 4 KiB mappings)
 *   0xffff_ffff_8000_0000 .. +1 GiB                 kernel image (-mcmodel=kernel), W^X per section
 *
 * The kernel image is linked at KERNEL_VMA + its physical load address, so
 * virt = phys + KERNEL_VMA inside the image and virt = phys + DIRECT_MAP_BASE
 * everywhere else.
 */
#ifndef CAPOS_ARCH_X86_64_LAYOUT_H
#define CAPOS_ARCH_X86_64_LAYOUT_H

#define KERNEL_VMA		0xffffffff80000000
#define KERNEL_LOAD_PHYS	0x100000
#define DIRECT_MAP_BASE		0xffff800000000000
#define DIRECT_MAP_MAX		(64ull << 30)	/* physical memory above this is ignored */
#define KSTACK_AREA_BASE	0xffffc00000000000
#define MMIO_WINDOW_BASE	0xffffffffc0000000
#define MMIO_WINDOW_SIZE	(1ull << 30)

#ifdef __ASSEMBLY__
#define PAGE_SIZE		4096	/* C code takes it from lib/types.h */
#endif

/* Boot stack and IST stacks are PAGE_SIZE-aligned in .bss with a guard page below. */
#define BOOT_STACK_SIZE		(16 * 1024)
#define IST_STACK_SIZE		(8 * 1024)

#endif
