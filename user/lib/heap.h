/* SPDX-License-Identifier: MIT */
/*
 * The process heap: a first-fit allocator over one region that may grow at
 * its end (rt.c maps more through VirtualMemory right after it).
 * malloc/free/calloc/realloc (rt.c) are these functions on the runtime's heap;
 * taking the region as a parameter lets host tests run the allocator on any
 * buffer, under ASan, which also sees use-after-free and overflows past the
 * requested size (heap.c poisons free blocks and slack).
 *
 * Blocks are 16-byte aligned with a 16-byte header (size and a magic word
 * that says used or free). Free blocks sit in an address-ordered list and
 * merge with their neighbours on free, so fragmentation stays bounded by the
 * live set. Not thread-safe (M3 processes have one thread).
 */
#ifndef CAPOS_USER_HEAP_H
#define CAPOS_USER_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define HEAP_ALIGN 16u

struct heap_block;

struct heap {
	uint8_t *base;			/* first byte of the region, 16-byte aligned */
	size_t size;			/* bytes managed (multiple of 16) */
	struct heap_block *free;	/* free blocks by address */
	size_t in_use;			/* bytes in used blocks, headers included */
	size_t nalloc;			/* live allocations */
	void (*corrupt)(const char *why); /* called on a bad free; may not return */
};

/* Takes over [base, base + size) (trimmed to 16-byte alignment). Returns 0 or -1 if too small. */
int heap_init(struct heap *h, void *base, size_t size, void (*corrupt)(const char *why));

/*
 * Adds [base + size, base + size + bytes) (memory the caller has made
 * usable, right after the region) to the heap. Returns 0, or -1 if the
 * heap has no region yet or bytes is too small.
 */
int heap_extend(struct heap *h, size_t bytes);

void *heap_alloc(struct heap *h, size_t n);
void heap_free(struct heap *h, void *p);
void *heap_calloc(struct heap *h, size_t count, size_t n);
void *heap_realloc(struct heap *h, void *p, size_t n);

/* The C allocation functions on the runtime's heap (rt.c; libc's on the host). */
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t count, size_t n);
void *realloc(void *p, size_t n);

/* Usable bytes of the allocation p (>= what was asked). */
size_t heap_usable(const void *p);

/* Bytes in the largest free block's payload (for tests and diagnostics). */
size_t heap_largest_free(const struct heap *h);

#endif
