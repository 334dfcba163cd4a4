/* SPDX-License-Identifier: MIT */
/*
 * General-purpose kernel allocator. Requests up to KMALLOC_MAX_SMALL bytes
 * come from power-of-two size classes (16..2048 bytes, 16-byte aligned), each
 * a slab cache whose slabs are 2^KMALLOC_SLAB_ORDER pages; larger requests
 * take a block of 2^order pages (at least 2^KMALLOC_SLAB_ORDER) with a 64-byte
 * header in front. Both kinds start on a 2^KMALLOC_SLAB_ORDER-page boundary,
 * so kfree finds the slab or block header by masking the pointer.
 *
 * Not for interrupt context (docs/memory.md). May be called with other locks
 * held as long as the page provider's lock (the frame lock) is a leaf.
 */
#ifndef CAPOS_KERNEL_MM_KMALLOC_H
#define CAPOS_KERNEL_MM_KMALLOC_H

#include "mm/slab.h"

#define KMALLOC_MIN_SHIFT 4		/* smallest class: 16 bytes */
#define KMALLOC_MAX_SHIFT 11		/* largest class: 2048 bytes */
#define KMALLOC_MAX_SMALL (1u << KMALLOC_MAX_SHIFT)
#define KMALLOC_SLAB_ORDER 2		/* 16 KiB slabs and minimum large block */
#define KMALLOC_MAX_ORDER 10		/* largest block: 4 MiB */
#define KMALLOC_LARGE_HEADER 64		/* bytes in front of a large allocation */

/* Sets the page provider (kmem_init) and creates the size classes. Returns 0 or ERR_*. */
__must_check int kmalloc_init(const struct kmem_page_ops *ops);

/* size bytes aligned to 16, or NULL (out of memory, size 0 or too big). */
void *kmalloc(size_t size);
/*
 * The heap memory kmalloc(size) takes (its size class, or its block of
 * pages): what a charge for it counts (mm/account.h). size > 0.
 */
size_t kmalloc_footprint(size_t size);
/* kmalloc, zero-filled. */
void *kzalloc(size_t size);

/*
 * Frees p from kmalloc/kzalloc. Returns 0 (also for NULL), ERR_DOUBLE_FREE,
 * or ERR_NOT_OWNER (p is not a live kmalloc pointer; checked where cheap:
 * header magic, slot alignment, allocation bitmap). Callers that cannot act on
 * an error may ignore it; the kernel wrapper should treat it as a bug.
 */
int kfree(void *p);

/* Objects live in all size classes plus large blocks (leak checks). */
uint64_t kmalloc_live(void);
/* Returns every empty slab of the size classes to the page provider. */
void kmalloc_trim(void);

#endif
