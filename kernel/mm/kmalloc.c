// SPDX-License-Identifier: MIT
/*
 * kmalloc over slab caches and whole page blocks (see kmalloc.h).
 *
 * Telling the two kinds apart in kfree: both start on a boundary of
 * 2^KMALLOC_SLAB_ORDER pages (class slabs have exactly that size and
 * alignment; large blocks are at least that big and size-aligned, and the
 * pointer handed out lies within their first 64 bytes), so masking the
 * pointer finds a header whose magic says which kind it is.
 */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmalloc.h"

#define KMALLOC_CLASSES (KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)
#define KMALLOC_LARGE_MAGIC 0x1a26eb10u
#define KMALLOC_UNIT (PAGE_SIZE << KMALLOC_SLAB_ORDER)

struct kmalloc_large {
	uint32_t magic;		/* KMALLOC_LARGE_MAGIC while allocated */
	uint32_t order;		/* block size: 2^order pages */
	uint64_t size;		/* bytes asked for */
	uint8_t _pad[KMALLOC_LARGE_HEADER - 16];
};
_Static_assert(sizeof(struct kmalloc_large) == KMALLOC_LARGE_HEADER, "large header size");

static struct kmem_cache kmalloc_caches[KMALLOC_CLASSES];
static struct spinlock kmalloc_lock = SPINLOCK_INIT_RANK(LOCK_RANK_ALLOC);
static uint64_t kmalloc_large_live;	/* guarded by kmalloc_lock */

static const char *const kmalloc_names[KMALLOC_CLASSES] = {
	"kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128",
	"kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};

int kmalloc_init(const struct kmem_page_ops *ops)
{
	kmem_init(ops);
	for (unsigned i = 0; i < KMALLOC_CLASSES; i++) {
		int err = kmem_cache_init_order(&kmalloc_caches[i], kmalloc_names[i],
						(size_t)1 << (KMALLOC_MIN_SHIFT + i), 16,
						KMALLOC_SLAB_ORDER);

		if (err)
			return err;
		kmalloc_caches[i].kmalloc_class = true;
	}
	return 0;
}

/* Smallest shift with 2^shift >= n (n >= 1). */
static unsigned kmalloc_shift(size_t n)
{
	unsigned s = 0;

	while (((size_t)1 << s) < n)
		s++;
	return s;
}

/* The block order of a large request (size > KMALLOC_MAX_SMALL and not too big). */
static unsigned kmalloc_large_order(size_t size)
{
	size_t pages = (size + KMALLOC_LARGE_HEADER + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned order = kmalloc_shift(pages);

	return order < KMALLOC_SLAB_ORDER ? KMALLOC_SLAB_ORDER : order;
}

size_t kmalloc_footprint(size_t size)
{
	unsigned shift;

	if (size > KMALLOC_MAX_SMALL)
		return (size_t)PAGE_SIZE << kmalloc_large_order(size);
	shift = kmalloc_shift(size);
	return (size_t)1 << (shift < KMALLOC_MIN_SHIFT ? KMALLOC_MIN_SHIFT : shift);
}

static void *kmalloc_large(size_t size)
{
	unsigned order;
	struct kmalloc_large *h;

	if (size > (PAGE_SIZE << KMALLOC_MAX_ORDER) - KMALLOC_LARGE_HEADER)
		return NULL;
	order = kmalloc_large_order(size);
	h = kmem_page_ops()->alloc_pages(order);
	if (!h)
		return NULL;
	h->magic = KMALLOC_LARGE_MAGIC;
	h->order = order;
	h->size = size;
	spin_lock(&kmalloc_lock);
	kmalloc_large_live++;
	spin_unlock(&kmalloc_lock);
	return (uint8_t *)h + KMALLOC_LARGE_HEADER;
}

void *kmalloc(size_t size)
{
	unsigned shift;

	if (size == 0)
		return NULL;
	if (size > KMALLOC_MAX_SMALL)
		return kmalloc_large(size);
	shift = kmalloc_shift(size);
	if (shift < KMALLOC_MIN_SHIFT)
		shift = KMALLOC_MIN_SHIFT;
	return kmem_cache_alloc(&kmalloc_caches[shift - KMALLOC_MIN_SHIFT]);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

static int kfree_large(struct kmalloc_large *h)
{
	unsigned order = h->order;

	h->magic = 0;
	kmem_page_ops()->free_pages(h, order);
	spin_lock(&kmalloc_lock);
	kmalloc_large_live--;
	spin_unlock(&kmalloc_lock);
	return 0;
}

int kfree(void *p)
{
	uintptr_t base = (uintptr_t)p & ~(uintptr_t)(KMALLOC_UNIT - 1);
	struct kmalloc_large *h = (struct kmalloc_large *)base;
	struct kmem_cache *c;

	if (!p)
		return 0;
	if (h->magic == KMALLOC_LARGE_MAGIC)
		return (uintptr_t)p == base + KMALLOC_LARGE_HEADER ? kfree_large(h) : ERR_NOT_OWNER;
	c = kmem_slab_cache(kmem_slab_of(p, KMALLOC_SLAB_ORDER));
	if (!c || !c->kmalloc_class)
		return ERR_NOT_OWNER;
	return kmem_cache_free(c, p);
}

uint64_t kmalloc_live(void)
{
	uint64_t n;

	spin_lock(&kmalloc_lock);
	n = kmalloc_large_live;
	spin_unlock(&kmalloc_lock);
	for (unsigned i = 0; i < KMALLOC_CLASSES; i++)
		n += kmem_cache_live(&kmalloc_caches[i]);
	return n;
}

void kmalloc_trim(void)
{
	for (unsigned i = 0; i < KMALLOC_CLASSES; i++)
		kmem_cache_trim(&kmalloc_caches[i]);
}
