// SPDX-License-Identifier: MIT
/*
 * Slab caches (see slab.h for the model).
 *
 * Each slab sits on exactly one of its cache's three lists, chosen by its use
 * count: empty (0), full (capacity) or partial. Allocation prefers partial
 * slabs, then the empty one, then a new slab; freeing moves a slab between
 * lists and gives a second empty slab back to the provider, so an idle cache
 * holds at most one slab. Free objects are found with a bitmap scan from a
 * hint (the lowest word that may have a free bit): at most capacity/64 words,
 * and no free-list pointers inside objects that a use-after-free could corrupt.
 *
 * Lock order: cache lock, then nothing (the page provider is called unlocked).
 */
#include "lib/errno.h"
#include "lib/lockdep.h"
#include "lib/string.h"
#include "mm/slab.h"

#define KMEM_SLAB_MAGIC 0x51ab51abu

struct kmem_slab {
	uint32_t magic;			/* KMEM_SLAB_MAGIC while the slab belongs to a cache */
	uint32_t inuse;			/* objects allocated from this slab */
	struct kmem_cache *cache;	/* owner */
	struct kmem_slab *next;		/* neighbours on the cache list for inuse */
	struct kmem_slab *prev;
	uint32_t hint;			/* no free object in bitmap words below this */
	uint32_t _pad;
	uint64_t bitmap[];		/* bit set: object allocated */
};

static const struct kmem_page_ops *kmem_ops;
static struct spinlock kmem_registry_lock = SPINLOCK_INIT_RANK(LOCK_RANK_KMEM_REGISTRY);
static struct kmem_cache *kmem_registry;	/* guarded by kmem_registry_lock */

void kmem_init(const struct kmem_page_ops *ops)
{
	kmem_ops = ops;
}

const struct kmem_page_ops *kmem_page_ops(void)
{
	return kmem_ops;
}

static size_t kmem_align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static size_t kmem_bitmap_words(uint32_t capacity)
{
	return (capacity + 63) / 64;
}

/* Objects of stride bytes fitting in a slab of 2^order pages after header and bitmap. */
static uint32_t kmem_fit(size_t stride, size_t align, unsigned order, size_t *obj_offset)
{
	size_t bytes = PAGE_SIZE << order;
	size_t cap = (bytes - sizeof(struct kmem_slab)) / stride;

	for (; cap > 0; cap--) {
		size_t off = kmem_align_up(sizeof(struct kmem_slab) +
					   8 * kmem_bitmap_words((uint32_t)cap), align);

		if (off + cap * stride <= bytes) {
			*obj_offset = off;
			return (uint32_t)cap;
		}
	}
	return 0;
}

static void kmem_registry_add(struct kmem_cache *c)
{
	spin_lock(&kmem_registry_lock);
	c->next = kmem_registry;
	kmem_registry = c;
	spin_unlock(&kmem_registry_lock);
}

static int kmem_check_params(size_t size, size_t align)
{
	if (size == 0 || (align & (align - 1)) != 0 || align > PAGE_SIZE ||
	    size > (PAGE_SIZE << KMEM_MAX_SLAB_ORDER))
		return ERR_INVAL;
	return 0;
}

int kmem_cache_init_order(struct kmem_cache *c, const char *name, size_t size, size_t align,
			  unsigned order)
{
	size_t n = 0;

	if (align == 0)
		align = 8;
	if (kmem_check_params(size, align) || order > KMEM_MAX_SLAB_ORDER)
		return ERR_INVAL;
	*c = (struct kmem_cache){ 0 };
	while (name && name[n] && n < KMEM_NAME_MAX - 1) {
		c->name[n] = name[n];
		n++;
	}
	c->size = size;
	c->align = align;
	c->stride = kmem_align_up(size < 8 ? 8 : size, align);
	c->order = order;
	c->capacity = kmem_fit(c->stride, align, order, &c->obj_offset);
	if (c->capacity == 0)
		return ERR_INVAL;
	spin_init_class(&c->lock, LOCK_RANK_ALLOC);
	kmem_registry_add(c);
	return 0;
}

int kmem_cache_init(struct kmem_cache *c, const char *name, size_t size, size_t align)
{
	size_t stride, off;
	unsigned order;

	if (align == 0)
		align = 8;
	if (kmem_check_params(size, align))
		return ERR_INVAL;
	stride = kmem_align_up(size < 8 ? 8 : size, align);
	/* The smallest slab holding KMEM_MIN_OBJECTS, else the largest slab. */
	for (order = 0; order < KMEM_MAX_SLAB_ORDER; order++) {
		if (kmem_fit(stride, align, order, &off) >= KMEM_MIN_OBJECTS)
			break;
	}
	return kmem_cache_init_order(c, name, size, align, order);
}

static struct kmem_slab **kmem_list_for(struct kmem_cache *c, const struct kmem_slab *s)
{
	if (s->inuse == 0)
		return &c->empty;
	return s->inuse == c->capacity ? &c->full : &c->partial;
}

static void kmem_list_add(struct kmem_slab **head, struct kmem_slab *s)
{
	s->prev = NULL;
	s->next = *head;
	if (*head)
		(*head)->prev = s;
	*head = s;
}

static void kmem_list_del(struct kmem_slab **head, struct kmem_slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		*head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static struct kmem_slab *kmem_slab_new(struct kmem_cache *c)
{
	struct kmem_slab *s = kmem_ops->alloc_pages(c->order);

	if (!s)
		return NULL;
	s->magic = KMEM_SLAB_MAGIC;
	s->inuse = 0;
	s->cache = c;
	s->hint = 0;
	memset(s->bitmap, 0, 8 * kmem_bitmap_words(c->capacity));
	return s;
}

static void kmem_slab_release(struct kmem_cache *c, struct kmem_slab *s)
{
	s->magic = 0;
	kmem_ops->free_pages(s, c->order);
}

/* Takes a free object from slab s (which has one) and moves s to its new list. */
static void *kmem_slab_take(struct kmem_cache *c, struct kmem_slab *s)
{
	uint32_t w = s->hint, bit;

	while (s->bitmap[w] == ~0ull)
		w++;
	bit = (uint32_t)__builtin_ctzll(~s->bitmap[w]);
	s->bitmap[w] |= 1ull << bit;
	s->hint = w;
	kmem_list_del(kmem_list_for(c, s), s);
	s->inuse++;
	kmem_list_add(kmem_list_for(c, s), s);
	c->live++;
	c->allocs++;
	return (uint8_t *)s + c->obj_offset + (size_t)(w * 64 + bit) * c->stride;
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
	struct kmem_slab *s;
	void *obj;

	spin_lock(&c->lock);
	if (!c->partial && !c->empty) {
		/* Get pages unlocked; racing allocators may add a spare empty slab. */
		spin_unlock(&c->lock);
		s = kmem_slab_new(c);
		if (!s)
			return NULL;
		spin_lock(&c->lock);
		kmem_list_add(&c->empty, s);
		c->slabs++;
	}
	s = c->partial ? c->partial : c->empty;
	obj = kmem_slab_take(c, s);
	spin_unlock(&c->lock);
	return obj;
}

struct kmem_slab *kmem_slab_of(const void *p, unsigned order)
{
	return (struct kmem_slab *)((uintptr_t)p & ~(uintptr_t)((PAGE_SIZE << order) - 1));
}

struct kmem_cache *kmem_slab_cache(const struct kmem_slab *s)
{
	return s->magic == KMEM_SLAB_MAGIC ? s->cache : NULL;
}

/* Index of object p in slab s, or -1 if p is not the start of an object slot. */
static int64_t kmem_index(const struct kmem_cache *c, const struct kmem_slab *s, const void *p)
{
	uintptr_t off = (uintptr_t)p - (uintptr_t)s;

	if (off < c->obj_offset || (off - c->obj_offset) % c->stride != 0)
		return -1;
	off = (off - c->obj_offset) / c->stride;
	return off < c->capacity ? (int64_t)off : -1;
}

/* Returns the slab to free to the provider (the surplus empty one), or NULL. */
static struct kmem_slab *kmem_slab_put_locked(struct kmem_cache *c, struct kmem_slab *s,
					      uint32_t idx)
{
	assert_held(&c->lock);
	s->bitmap[idx / 64] &= ~(1ull << (idx % 64));
	if (idx / 64 < s->hint)
		s->hint = idx / 64;
	kmem_list_del(kmem_list_for(c, s), s);
	s->inuse--;
	c->live--;
	if (s->inuse == 0 && c->empty) {
		c->slabs--;
		return s;
	}
	kmem_list_add(kmem_list_for(c, s), s);
	return NULL;
}

int kmem_cache_free(struct kmem_cache *c, void *p)
{
	struct kmem_slab *s = kmem_slab_of(p, c->order), *surplus;
	int64_t idx;

	if (!p)
		return 0;
	spin_lock(&c->lock);
	idx = kmem_slab_cache(s) == c ? kmem_index(c, s, p) : -1;
	if (idx < 0 || !(s->bitmap[idx / 64] & (1ull << (idx % 64)))) {
		c->bad_frees++;
		spin_unlock(&c->lock);
		return idx < 0 ? ERR_NOT_OWNER : ERR_DOUBLE_FREE;
	}
	surplus = kmem_slab_put_locked(c, s, (uint32_t)idx);
	spin_unlock(&c->lock);
	if (surplus)
		kmem_slab_release(c, surplus);
	return 0;
}

uint64_t kmem_cache_live(struct kmem_cache *c)
{
	uint64_t n;

	spin_lock(&c->lock);
	n = c->live;
	spin_unlock(&c->lock);
	return n;
}

/* Detaches the whole empty list; the caller releases it unlocked. */
static struct kmem_slab *kmem_take_empty_locked(struct kmem_cache *c)
{
	struct kmem_slab *list = c->empty;

	assert_held(&c->lock);
	for (struct kmem_slab *s = list; s; s = s->next)
		c->slabs--;
	c->empty = NULL;
	return list;
}

static void kmem_release_list(struct kmem_cache *c, struct kmem_slab *s)
{
	while (s) {
		struct kmem_slab *next = s->next;

		kmem_slab_release(c, s);
		s = next;
	}
}

void kmem_cache_trim(struct kmem_cache *c)
{
	struct kmem_slab *list;

	spin_lock(&c->lock);
	list = kmem_take_empty_locked(c);
	spin_unlock(&c->lock);
	kmem_release_list(c, list);
}

static void kmem_registry_del(struct kmem_cache *c)
{
	struct kmem_cache **pp;

	spin_lock(&kmem_registry_lock);
	for (pp = &kmem_registry; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	spin_unlock(&kmem_registry_lock);
}

int kmem_cache_destroy(struct kmem_cache *c)
{
	struct kmem_slab *list;

	spin_lock(&c->lock);
	if (c->live != 0) {
		spin_unlock(&c->lock);
		return ERR_INVAL;
	}
	list = kmem_take_empty_locked(c);
	spin_unlock(&c->lock);
	kmem_release_list(c, list);
	kmem_registry_del(c);
	return 0;
}

void kmem_for_each_cache(void (*fn)(struct kmem_cache *c, void *ctx), void *ctx)
{
	spin_lock(&kmem_registry_lock);
	for (struct kmem_cache *c = kmem_registry; c; c = c->next)
		fn(c, ctx);
	spin_unlock(&kmem_registry_lock);
}
