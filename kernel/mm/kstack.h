/* SPDX-License-Identifier: MIT */
/*
 * Kernel stacks for threads: KSTACK_PAGES pages each, in the kernel stack
 * area with an unmapped guard page below, so an overflow faults (and becomes
 * a diagnosed double fault) instead of silently corrupting a neighbour.
 */
#ifndef CAPOS_KERNEL_MM_KSTACK_H
#define CAPOS_KERNEL_MM_KSTACK_H

#include "lib/types.h"

/*
 * The flattened system call frame holds the IPC operations inlined for the
 * fast path (about 4.3 KiB; 7 KiB in the debug kernel, whose lock checks
 * change the inlining), and a CALL on a kernel object goes deeper from
 * there (ProcessSpawner.spawn about 3.3 KiB, ELF loading, the allocators,
 * an interrupt on top): about 10.5 KiB at the deepest, 13 KiB in the debug
 * kernel, whose scenarios overflow 12 KiB. So 16 KiB, and 24 KiB for the
 * debug kernel.
 */
#ifdef CAPOS_DEBUG
#define KSTACK_PAGES 6
#else
#define KSTACK_PAGES 4
#endif
#define KSTACK_SIZE (KSTACK_PAGES * PAGE_SIZE)

/* Returns the top (highest address) of a new stack, or 0 when out of memory or slots. */
vaddr_t kstack_alloc(void);
void kstack_free(vaddr_t top);
/*
 * If `va` lies in a kernel stack slot, the mapped stack around it: [*lo, *hi).
 * Pure arithmetic (no locks): safe in fault handlers. The stack is mapped if
 * its thread is alive, which holds for the stack a fault happened on.
 */
bool kstack_bounds(vaddr_t va, vaddr_t *lo, vaddr_t *hi);

#endif
