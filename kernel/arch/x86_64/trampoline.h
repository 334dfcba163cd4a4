/* SPDX-License-Identifier: MIT */
/*
 * The AP start-up trampoline's layout (trampoline.S, smp.c). The code is
 * copied to a page below 1 MiB (the SIPI vector names it) and followed in
 * that page, at TRAMP_DATA, by the parameters smp.c writes for each AP; the
 * next three pages hold the temporary page tables the AP turns paging on
 * with (low 2 MiB identity-mapped, the kernel half shared with the
 * kernel's own PML4).
 */
#ifndef CAPOS_ARCH_X86_64_TRAMPOLINE_H
#define CAPOS_ARCH_X86_64_TRAMPOLINE_H

#define TRAMP_PAGES	4	/* code and data, PML4, PDPT, PD */
#define TRAMP_DATA	0x200	/* the code must end before this */

/* Offsets inside the data (all little-endian, written before the SIPI). */
#define TD_CR0		0x00	/* u32: CR0 to enter long mode with */
#define TD_CR3		0x04	/* u32: the temporary PML4 (below 1 MiB) */
#define TD_CR4		0x08	/* u32: PAE, PGE */
#define TD_EFER		0x0c	/* u32: LME, NXE as on the boot CPU */
#define TD_FAR		0x10	/* m16:32: linear address of the 64-bit code, selector 0x08 */
#define TD_GDTR		0x18	/* limit (u16), linear base (u32) */
#define TD_GDT		0x20	/* three descriptors: null, 64-bit code, data */
#define TD_STACK	0x38	/* u64: the AP's kernel stack top */
#define TD_ENTRY	0x40	/* u64: the C entry, ap_main(uint32_t cpu) */
#define TD_CPU		0x48	/* u32: the AP's index in cpus[] */
#define TD_SIZE		0x50

#ifndef __ASSEMBLY__
extern const char ap_trampoline_start[], ap_trampoline_end[];
#endif

#endif
