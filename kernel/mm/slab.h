/* SPDX-License-Identifier: MIT */
/*
 * Slab caches: fixed-size kernel objects carved from page-backed slabs.
 *
 * A slab is 2^order pages, aligned to its size, starting with a header
 * (struct kmem_slab) and an allocation bitmap, followed by the objects. The
 * header is found from any object by masking its address, which makes free
 * O(1) and lets it check cheaply that a pointer belongs to this cache (magic,
 * owner, stride alignment) and is not already free (bitmap).
 *
 * Pages come from a provider set once with kmem_init(): the kernel plugs in
 * the frame allocator plus the direct map, host tests plug in aligned_alloc.
 * alloc_pages(order) must return 2^order pages aligned to their size.
 *
 * Locking: each cache has a spinlock guarding its lists and counters; the page
 * provider is called without it. Not for interrupt context (docs/memory.md).
 */
#ifndef CAPOS_KERNEL_MM_SLAB_H
#define CAPOS_KERNEL_MM_SLAB_H

#include "lib/spinlock.h"
#include "lib/types.h"

#define KMEM_MAX_SLAB_ORDER 3		/* slabs up to 8 pages */
#define KMEM_MIN_OBJECTS 8		/* a cache picks the smallest slab holding this many */
#define KMEM_NAME_MAX 24

struct kmem_page_ops {
	void *(*alloc_pages)(unsigned order);	/* NULL when out of memory */
	void (*free_pages)(void *p, unsigned order);
};

struct kmem_slab;

struct kmem_cache {
	/* Set by kmem_cache_init, then read-only. */
	char name[KMEM_NAME_MAX];
	size_t size;			/* object size asked for */
	size_t align;			/* object alignment (power of two) */
	size_t stride;			/* distance between objects */
	size_t obj_offset;		/* offset of the first object in a slab */
	unsigned order;			/* slab size: 2^order pages */
	uint32_t capacity;		/* objects per slab */
	bool kmalloc_class;		/* a kmalloc size class: kfree may free into it */

	struct spinlock lock;		/* guards every field below */
	struct kmem_slab *partial;	/* slabs with free and used objects */
	struct kmem_slab *full;		/* slabs with no free object */
	struct kmem_slab *empty;	/* slabs with no used object (at most one kept) */
	uint64_t live;			/* objects allocated and not freed */
	uint64_t slabs;			/* slabs held, any list */
	uint64_t allocs;		/* successful allocations, ever */
	uint64_t bad_frees;		/* frees rejected as foreign or double */

	struct kmem_cache *next;	/* registry link, guarded by the registry lock */
};

/* Sets the page provider; call once before any cache is used. */
void kmem_init(const struct kmem_page_ops *ops);

/*
 * Initialises and registers cache c for objects of size bytes aligned to align
 * (a power of two; 0 means 8). Returns 0 or ERR_INVAL (zero size, bad align,
 * or objects too big for the largest slab).
 */
__must_check int kmem_cache_init(struct kmem_cache *c, const char *name, size_t size,
				 size_t align);

/* Like kmem_cache_init with a fixed slab size of 2^order pages (kmalloc uses it). */
__must_check int kmem_cache_init_order(struct kmem_cache *c, const char *name, size_t size,
				       size_t align, unsigned order);

/* Returns a new object (contents undefined), or NULL when out of memory. */
void *kmem_cache_alloc(struct kmem_cache *c);

/*
 * Frees p back into c. Returns 0, ERR_NOT_OWNER (p is not an object of this
 * cache) or ERR_DOUBLE_FREE; on error nothing changes. NULL is a no-op.
 */
int kmem_cache_free(struct kmem_cache *c, void *p);

/* Objects allocated from c and not yet freed (leak checks). */
uint64_t kmem_cache_live(struct kmem_cache *c);

/* Returns every empty slab to the page provider. */
void kmem_cache_trim(struct kmem_cache *c);

/*
 * Unregisters c and returns all its slabs. Returns ERR_INVAL if objects are
 * still live (and then changes nothing).
 */
__must_check int kmem_cache_destroy(struct kmem_cache *c);

/* Calls fn for each registered cache (for a stats dump); fn must not register caches. */
void kmem_for_each_cache(void (*fn)(struct kmem_cache *c, void *ctx), void *ctx);

/* For kmalloc: the slab header of the slab object p would live in, by address. */
struct kmem_slab *kmem_slab_of(const void *p, unsigned order);
/* For kmalloc: the cache owning slab s, or NULL if s is not a live slab header. */
struct kmem_cache *kmem_slab_cache(const struct kmem_slab *s);
/* For kmalloc: the page provider set by kmem_init. */
const struct kmem_page_ops *kmem_page_ops(void);

#endif
