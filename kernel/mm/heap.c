// SPDX-License-Identifier: MIT
/*
 * Feeds the slab caches and kmalloc with pages from the frame allocator,
 * reached through the direct map, and sums live objects for leak checks.
 */
#include "arch/arch.h"
#include "lib/kprintf.h"
#include "mm/frame.h"
#include "mm/heap.h"

static void *heap_alloc_pages(unsigned order)
{
	paddr_t pa;

	if (frame_alloc(order, FRAME_OWNER_HEAP, &pa) != 0)
		return NULL;
	return arch_phys_to_virt(pa);
}

static void heap_free_pages(void *p, unsigned order)
{
	if (frame_free((paddr_t)((uintptr_t)p - (uintptr_t)arch_phys_to_virt(0)), order) != 0)
		panic("heap: freeing pages the frame allocator did not give out (%p)", p);
}

static const struct kmem_page_ops heap_page_ops = {
	.alloc_pages = heap_alloc_pages,
	.free_pages = heap_free_pages,
};

void heap_init(void)
{
	if (kmalloc_init(&heap_page_ops) != 0)
		panic("heap: cannot create the kmalloc size classes");
}

static void add_live(struct kmem_cache *c, void *ctx)
{
	if (!c->kmalloc_class)		/* counted by kmalloc_live, with large blocks */
		*(uint64_t *)ctx += kmem_cache_live(c);
}

uint64_t heap_live_objects(void)
{
	uint64_t live = 0;

	kmem_for_each_cache(add_live, &live);
	return live + kmalloc_live();
}

static void trim_one(struct kmem_cache *c, void *ctx)
{
	(void)ctx;
	kmem_cache_trim(c);
}

void heap_trim(void)
{
	kmem_for_each_cache(trim_one, NULL);
}
