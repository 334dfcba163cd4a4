// SPDX-License-Identifier: MIT
/*
 * First-fit heap with an address-ordered free list and merging on free (see
 * heap.h). A block is [header | payload]; a free block keeps its list link in
 * the first payload word. Every pointer handed to heap_free is checked (inside
 * the region, aligned, magic says used) before the heap trusts its header, so
 * a double or wild free is reported through h->corrupt instead of silently
 * corrupting the list.
 */
#include "heap.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define HEAP_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define HEAP_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define HEAP_POISON(p, n) ((void)(p), (void)(n))
#define HEAP_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define HEAP_MAGIC_USED 0x55534544u	/* "USED" */
#define HEAP_MAGIC_FREE 0x46524545u	/* "FREE" */
#define HEAP_HDR 16u
#define HEAP_MIN_BLOCK 32u		/* header + link, rounded to the alignment */

struct heap_block {
	size_t size;			/* whole block, header included, multiple of 16 */
	uint32_t magic;			/* HEAP_MAGIC_USED or HEAP_MAGIC_FREE */
	uint32_t _pad;
	struct heap_block *next;	/* free blocks only: next free block by address */
};

static void *heap_payload(struct heap_block *b)
{
	return (uint8_t *)b + HEAP_HDR;
}

/* Writes a free block's header; everything after its link stays poisoned. */
static struct heap_block *heap_make_free(void *at, size_t size, struct heap_block *next)
{
	struct heap_block *b = at;

	HEAP_UNPOISON(b, sizeof(*b));
	b->size = size;
	b->magic = HEAP_MAGIC_FREE;
	b->_pad = 0;
	b->next = next;
	HEAP_POISON((uint8_t *)b + sizeof(*b), size - sizeof(*b));
	return b;
}

int heap_init(struct heap *h, void *base, size_t size, void (*corrupt)(const char *why))
{
	uintptr_t start = ((uintptr_t)base + HEAP_ALIGN - 1) & ~(uintptr_t)(HEAP_ALIGN - 1);
	uintptr_t end = ((uintptr_t)base + size) & ~(uintptr_t)(HEAP_ALIGN - 1);

	if (!base || end <= start || end - start < HEAP_MIN_BLOCK)
		return -1;
	h->base = (uint8_t *)start;
	h->size = end - start;
	h->in_use = 0;
	h->nalloc = 0;
	h->corrupt = corrupt;
	h->free = heap_make_free(h->base, h->size, NULL);
	return 0;
}

int heap_extend(struct heap *h, size_t bytes)
{
	struct heap_block *b;

	bytes &= ~(size_t)(HEAP_ALIGN - 1);
	if (!h->base || bytes < HEAP_MIN_BLOCK)
		return -1;
	/* The new bytes become a used block that is freed: it merges with a free tail. */
	b = (struct heap_block *)(h->base + h->size);
	HEAP_UNPOISON(b, sizeof(*b));
	b->size = bytes;
	b->magic = HEAP_MAGIC_USED;
	b->_pad = 0;
	h->size += bytes;
	h->in_use += bytes;
	h->nalloc++;
	heap_free(h, heap_payload(b));
	return 0;
}

/* Block size for a request of n bytes, or 0 if it cannot be satisfied at all. */
static size_t heap_block_size(const struct heap *h, size_t n)
{
	size_t need;

	if (n > h->size)
		return 0;
	need = (n + HEAP_HDR + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);
	return need < HEAP_MIN_BLOCK ? HEAP_MIN_BLOCK : need;
}

void *heap_alloc(struct heap *h, size_t n)
{
	size_t need = heap_block_size(h, n ? n : 1);
	struct heap_block **link, *b;

	if (!need)
		return NULL;
	for (link = &h->free; (b = *link) != NULL; link = &b->next) {
		if (b->size < need)
			continue;
		if (b->size - need >= HEAP_MIN_BLOCK) {
			*link = heap_make_free((uint8_t *)b + need, b->size - need, b->next);
			b->size = need;
		} else {
			*link = b->next;
		}
		b->magic = HEAP_MAGIC_USED;
		h->in_use += b->size;
		h->nalloc++;
		HEAP_POISON(heap_payload(b), b->size - HEAP_HDR);
		HEAP_UNPOISON(heap_payload(b), n);
		return heap_payload(b);
	}
	return NULL;
}

/* The header of p if p is a live allocation of h, else NULL. */
static struct heap_block *heap_owner(struct heap *h, void *p)
{
	uintptr_t a = (uintptr_t)p;
	struct heap_block *b;

	if (a < (uintptr_t)h->base + HEAP_HDR || a >= (uintptr_t)h->base + h->size ||
	    (a & (HEAP_ALIGN - 1)))
		return NULL;
	b = (struct heap_block *)(a - HEAP_HDR);
	HEAP_UNPOISON(b, HEAP_HDR);	/* a stale pointer's header may lie in a merged block */
	if (b->magic != HEAP_MAGIC_USED || b->size < HEAP_MIN_BLOCK ||
	    b->size > (uintptr_t)h->base + h->size - (uintptr_t)b)
		return NULL;
	return b;
}

/* Merges b with the following block if that one is free and adjacent. */
static void heap_merge_next(struct heap_block *b)
{
	struct heap_block *n = b->next;

	if (n && (uint8_t *)b + b->size == (uint8_t *)n) {
		b->size += n->size;
		b->next = n->next;
		HEAP_POISON(n, sizeof(*n));
	}
}

void heap_free(struct heap *h, void *p)
{
	struct heap_block *b, *prev = NULL, *cur;

	if (!p)
		return;
	b = heap_owner(h, p);
	if (!b) {
		if (h->corrupt)
			h->corrupt("free of a pointer the heap did not hand out");
		return;
	}
	h->in_use -= b->size;
	h->nalloc--;
	for (cur = h->free; cur && cur < b; cur = cur->next)
		prev = cur;
	b = heap_make_free(b, b->size, cur);
	if (prev)
		prev->next = b;
	else
		h->free = b;
	heap_merge_next(b);
	if (prev)
		heap_merge_next(prev);
}

void *heap_calloc(struct heap *h, size_t count, size_t n)
{
	uint8_t *p;
	size_t i, total;

	if (n && count > (size_t)-1 / n)
		return NULL;
	total = count * n;
	p = heap_alloc(h, total);
	if (!p)
		return NULL;
	for (i = 0; i < total; i++)
		p[i] = 0;
	return p;
}

size_t heap_usable(const void *p)
{
	const struct heap_block *b = (const struct heap_block *)((const uint8_t *)p - HEAP_HDR);

	return b->size - HEAP_HDR;
}

void *heap_realloc(struct heap *h, void *p, size_t n)
{
	struct heap_block *b;
	uint8_t *q;
	size_t i, keep;

	if (!p)
		return heap_alloc(h, n);
	if (!n) {
		heap_free(h, p);
		return NULL;
	}
	b = heap_owner(h, p);
	if (!b) {
		if (h->corrupt)
			h->corrupt("realloc of a pointer the heap did not hand out");
		return NULL;
	}
	if (n <= b->size - HEAP_HDR) {
		HEAP_UNPOISON(p, n);
		return p;
	}
	q = heap_alloc(h, n);
	if (!q)
		return NULL;
	keep = b->size - HEAP_HDR;
	HEAP_UNPOISON(p, keep);
	for (i = 0; i < keep; i++)
		q[i] = ((uint8_t *)p)[i];
	heap_free(h, p);
	return q;
}

size_t heap_largest_free(const struct heap *h)
{
	const struct heap_block *b;
	size_t best = 0;

	for (b = h->free; b; b = b->next) {
		if (b->size - HEAP_HDR > best)
			best = b->size - HEAP_HDR;
	}
	return best;
}
