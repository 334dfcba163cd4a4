/* SPDX-License-Identifier: MIT */
/*
 * The kernel heap: slab caches and kmalloc (mm/slab.c, mm/kmalloc.c) fed with
 * pages from the frame allocator through the direct map. Not for interrupt
 * context (see docs/memory.md).
 */
#ifndef CAPOS_KERNEL_MM_HEAP_H
#define CAPOS_KERNEL_MM_HEAP_H

#include <stdint.h>
#include "mm/kmalloc.h"

/* Connects kmalloc and the slab caches to the frame allocator. */
void heap_init(void);
/* Live objects in every cache (kmalloc size classes and named caches). */
uint64_t heap_live_objects(void);
/* Gives empty slabs back to the frame allocator. */
void heap_trim(void);

#endif
