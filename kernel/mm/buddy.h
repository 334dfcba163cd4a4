/* SPDX-License-Identifier: MIT */
/*
 * Buddy allocator of physical frames: the core of the frame allocator, with
 * no lock of its own (mm/frame.c wraps it in one) and no other dependency, so
 * the host tests drive it over a fake physical address space.
 *
 * Blocks are 2^order frames, order 0..BUDDY_MAX_ORDER, aligned to their size.
 * Per-frame metadata (struct buddy_frame, 16 bytes per 4 KiB frame, 0.4%) lives
 * in usable memory chosen by buddy_init and reached through the caller's
 * phys_to_virt, which must map that range contiguously (a direct map does).
 * Allocation and free cost O(BUDDY_MAX_ORDER): free lists are doubly linked
 * through 32-bit frame indices, and no operation scans the frames.
 */
#ifndef CAPOS_KERNEL_MM_BUDDY_H
#define CAPOS_KERNEL_MM_BUDDY_H

#include "boot/bootinfo.h"
#include "lib/types.h"

#define BUDDY_MAX_ORDER 10			/* largest block: 1024 frames, 4 MiB */
#define BUDDY_MAX_PHYS (64ull << 30)		/* memory at or above this is ignored */
#define BUDDY_MAX_RANGES 1024			/* bound on map entries + reserved ranges */
#define BUDDY_NIL UINT32_MAX			/* "no frame" in free-list links */

/* Owner tag reported for frames that are not allocated (free, reserved, absent). */
#define BUDDY_OWNER_NONE 0

/*
 * BUDDY_TAIL is 0: buddy_init zeroes the metadata in one fill, which makes
 * every frame a tail, then writes only the heads and the frames that are
 * not usable (a per-frame loop over 512 MiB was most of the kernel's boot).
 */
enum buddy_state {
	BUDDY_TAIL = 0,		/* any other frame of a free or allocated block */
	BUDDY_ABSENT,		/* not RAM, or not usable: never allocated or freed */
	BUDDY_RESERVED,		/* RAM kept out by the caller or holding this metadata */
	BUDDY_FREE,		/* head of a free block of `order`, on free list `order` */
	BUDDY_ALLOCATED,	/* head of an allocated block of `order`, tagged `owner` */
};

struct buddy_frame {
	uint8_t state;		/* enum buddy_state */
	uint8_t order;		/* block order, heads only */
	uint16_t _pad;
	uint32_t owner;		/* owner tag, allocated heads only */
	uint32_t next;		/* free-list links (frame indices), free heads only */
	uint32_t prev;
};

struct buddy {
	struct buddy_frame *frames;		/* metadata, one per frame from base_pfn */
	uint64_t base_pfn;			/* frame number of frames[0], 2^MAX_ORDER aligned */
	uint32_t nframes;			/* frames covered by the metadata */
	uint32_t free_head[BUDDY_MAX_ORDER + 1];	/* first free block of each order */
	uint64_t free_blocks[BUDDY_MAX_ORDER + 1];	/* blocks on each list */
	uint64_t free_frames;			/* frames on all free lists */
	uint64_t total_frames;			/* frames free after init (usable, unreserved) */
	uint64_t reserved_frames;		/* usable frames kept out, including metadata */
	paddr_t meta_pa;			/* where the metadata lives */
	uint64_t meta_bytes;			/* its size, rounded to pages */
	uint64_t ignored_bytes;			/* usable bytes at or above BUDDY_MAX_PHYS */
};

/*
 * Builds the allocator. Usable memory is every whole page that lies in some
 * BOOT_MEM_USABLE region of map, in no region of another type (those win on
 * overlap) and in no reserved range (which are rounded outward to pages). The
 * map may be unsorted, overlapping and contain empty or absurd entries.
 * Returns 0, ERR_INVAL (too many entries), or ERR_NOMEM (no usable memory,
 * or no usable run large enough for the metadata).
 */
__must_check int buddy_init(struct buddy *b, const struct boot_mem_region *map, size_t n,
			    const struct phys_range *reserved, size_t nres,
			    void *(*phys_to_virt)(paddr_t));

/*
 * Allocates 2^order contiguous frames aligned to their size, tagged with owner
 * (any value but BUDDY_OWNER_NONE), and stores the first address in *out.
 * Returns 0, ERR_INVAL (order too large) or ERR_NOMEM.
 */
__must_check int buddy_alloc(struct buddy *b, unsigned order, uint32_t owner, paddr_t *out);

/*
 * Frees a block from buddy_alloc, merging it with free buddies. Returns 0, or
 * with nothing changed: ERR_INVAL (bad order, unaligned, not the start of an
 * allocated block, or wrong order), ERR_RANGE (not managed memory),
 * ERR_RESERVED (a reserved frame), ERR_DOUBLE_FREE (already free).
 */
__must_check int buddy_free(struct buddy *b, paddr_t pa, unsigned order);

uint64_t buddy_free_frames(const struct buddy *b);
uint64_t buddy_total_frames(const struct buddy *b);

/* Owner tag of the allocated block containing pa, or BUDDY_OWNER_NONE. */
uint32_t buddy_owner(const struct buddy *b, paddr_t pa);

#endif
