/* SPDX-License-Identifier: MIT */
/*
 * Kernel stacks for threads: KSTACK_PAGES pages each, in the kernel stack
 * area with an unmapped guard page below, so an overflow faults (and becomes
 * a diagnosed double fault) instead of silently corrupting a neighbour.
 */
#ifndef CAPOS_KERNEL_MM_KSTACK_H
#define CAPOS_KERNEL_MM_KSTACK_H

#include "lib/types.h"

#define KSTACK_PAGES 4
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
