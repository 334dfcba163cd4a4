// SPDX-License-Identifier: MIT
/*
 * Buddy allocator core (see buddy.h for the model).
 *
 * Building it from an untrusted memory map: every map entry and reserved
 * range becomes a page-aligned span (usable entries rounded inward, the rest
 * outward, all clipped to BUDDY_MAX_PHYS). buddy_walk() then visits the
 * address space from 0 in elementary intervals between consecutive span
 * edges, classifies each (absent / reserved / usable) and reports maximal runs
 * of one class. That needs no sorting and no scratch memory, cannot be fooled
 * by overlaps or ordering, and costs O(edges x spans), which is fine for a
 * bounded number of entries at boot. Three walks: find the managed range, find
 * a usable run for the metadata, then fill the metadata with that run reserved.
 *
 * Invariants: a frame in a block is its head (BUDDY_FREE or BUDDY_ALLOCATED,
 * carrying the order) or BUDDY_TAIL; the head of a block of order k has an
 * index that is a multiple of 2^k (base_pfn is aligned to 2^BUDDY_MAX_ORDER,
 * so index alignment equals physical alignment); exactly the BUDDY_FREE heads
 * are on the free lists; two free buddies of the same order never coexist.
 */
#include "lib/errno.h"
#include "mm/buddy.h"

_Static_assert(sizeof(struct buddy_frame) == 16, "metadata cost is 16 bytes per frame");
_Static_assert(BUDDY_MAX_PHYS / PAGE_SIZE < BUDDY_NIL, "frame indices fit 32 bits");
_Static_assert(BUDDY_TAIL == 0 && BUDDY_OWNER_NONE == 0, "zeroed metadata is all tails");

enum buddy_class { BUDDY_CLASS_ABSENT, BUDDY_CLASS_RESERVED, BUDDY_CLASS_USABLE };
enum buddy_span_kind { BUDDY_SPAN_USABLE, BUDDY_SPAN_UNUSABLE, BUDDY_SPAN_RESERVED };

/* The inputs of a walk; `extra` is the metadata once placed (len 0 before). */
struct buddy_src {
	const struct boot_mem_region *map;
	size_t n;
	const struct phys_range *res;
	size_t nres;
	struct phys_range extra;
};

typedef void (*buddy_run_fn)(struct buddy *b, void *ctx, uint64_t start, uint64_t end,
			     enum buddy_class cls);

static uint64_t buddy_clip(uint64_t x)
{
	return x < BUDDY_MAX_PHYS ? x : BUDDY_MAX_PHYS;
}

/* base + len, saturating: hostile entries may wrap around 2^64. */
static uint64_t buddy_range_end(uint64_t base, uint64_t len)
{
	return len > UINT64_MAX - base ? UINT64_MAX : base + len;
}

static uint64_t buddy_page_down(uint64_t x)
{
	return x & ~(PAGE_SIZE - 1);
}

static uint64_t buddy_page_up(uint64_t x)
{
	return buddy_page_down(x + PAGE_SIZE - 1);	/* x <= BUDDY_MAX_PHYS: no overflow */
}

static void buddy_span(uint64_t base, uint64_t len, bool inward, uint64_t *s, uint64_t *e)
{
	uint64_t lo = buddy_clip(base), hi = buddy_clip(buddy_range_end(base, len));

	if (inward) {
		lo = buddy_page_up(lo);
		hi = buddy_page_down(hi);
	} else {
		lo = buddy_page_down(lo);
		hi = buddy_page_up(hi);
	}
	*s = lo;
	*e = hi > lo ? hi : lo;
}

static size_t buddy_span_count(const struct buddy_src *src)
{
	return src->n + src->nres + 1;
}

static enum buddy_span_kind buddy_span_at(const struct buddy_src *src, size_t i, uint64_t *s,
					  uint64_t *e)
{
	const struct phys_range *r;

	if (i < src->n) {
		bool usable = src->map[i].type == BOOT_MEM_USABLE;

		buddy_span(src->map[i].base, src->map[i].len, usable, s, e);
		return usable ? BUDDY_SPAN_USABLE : BUDDY_SPAN_UNUSABLE;
	}
	i -= src->n;
	r = i < src->nres ? &src->res[i] : &src->extra;
	buddy_span(r->base, r->len, false, s, e);
	return BUDDY_SPAN_RESERVED;
}

/* The smallest span edge above x, or BUDDY_MAX_PHYS. */
static uint64_t buddy_next_edge(const struct buddy_src *src, uint64_t x)
{
	uint64_t next = BUDDY_MAX_PHYS, s, e;

	for (size_t i = 0; i < buddy_span_count(src); i++) {
		buddy_span_at(src, i, &s, &e);
		if (s == e)
			continue;
		if (s > x && s < next)
			next = s;
		if (e > x && e < next)
			next = e;
	}
	return next;
}

static enum buddy_class buddy_classify(const struct buddy_src *src, uint64_t x)
{
	bool usable = false, unusable = false, reserved = false;
	uint64_t s, e;

	for (size_t i = 0; i < buddy_span_count(src); i++) {
		enum buddy_span_kind k = buddy_span_at(src, i, &s, &e);

		if (x < s || x >= e)
			continue;
		usable |= k == BUDDY_SPAN_USABLE;
		unusable |= k == BUDDY_SPAN_UNUSABLE;
		reserved |= k == BUDDY_SPAN_RESERVED;
	}
	if (!usable || unusable)
		return BUDDY_CLASS_ABSENT;
	return reserved ? BUDDY_CLASS_RESERVED : BUDDY_CLASS_USABLE;
}

/* Calls fn for each maximal run of reserved or usable pages, in address order. */
static void buddy_walk(const struct buddy_src *src, buddy_run_fn fn, struct buddy *b, void *ctx)
{
	uint64_t x = 0, run_start = 0;
	enum buddy_class run_cls = buddy_classify(src, 0);

	while (x < BUDDY_MAX_PHYS) {
		enum buddy_class c = buddy_classify(src, x);

		if (c != run_cls) {
			if (run_cls != BUDDY_CLASS_ABSENT)
				fn(b, ctx, run_start, x, run_cls);
			run_start = x;
			run_cls = c;
		}
		x = buddy_next_edge(src, x);
	}
	if (run_cls != BUDDY_CLASS_ABSENT)
		fn(b, ctx, run_start, BUDDY_MAX_PHYS, run_cls);
}

/* Walk 1: the lowest and highest managed (reserved or usable) address. */
struct buddy_bounds {
	uint64_t lo;
	uint64_t hi;
	bool any_usable;
};

static void buddy_find_bounds(struct buddy *b, void *ctx, uint64_t start, uint64_t end,
			      enum buddy_class cls)
{
	struct buddy_bounds *bb = ctx;

	(void)b;
	if (start < bb->lo)
		bb->lo = start;
	if (end > bb->hi)
		bb->hi = end;
	bb->any_usable |= cls == BUDDY_CLASS_USABLE;
}

/* Walk 2: the first usable run that can hold the metadata. */
static void buddy_find_meta(struct buddy *b, void *ctx, uint64_t start, uint64_t end,
			    enum buddy_class cls)
{
	bool *found = ctx;

	if (*found || cls != BUDDY_CLASS_USABLE || end - start < b->meta_bytes)
		return;
	b->meta_pa = start;
	*found = true;
}

static void buddy_push(struct buddy *b, uint32_t i, unsigned order)
{
	struct buddy_frame *f = &b->frames[i];

	f->state = BUDDY_FREE;
	f->order = (uint8_t)order;
	f->owner = BUDDY_OWNER_NONE;
	f->prev = BUDDY_NIL;
	f->next = b->free_head[order];
	if (f->next != BUDDY_NIL)
		b->frames[f->next].prev = i;
	b->free_head[order] = i;
	b->free_blocks[order]++;
	b->free_frames += (uint64_t)1 << order;
}

/* Takes free head i off its list; it becomes a tail until the caller says otherwise. */
static void buddy_unlink(struct buddy *b, uint32_t i)
{
	struct buddy_frame *f = &b->frames[i];

	if (f->prev != BUDDY_NIL)
		b->frames[f->prev].next = f->next;
	else
		b->free_head[f->order] = f->next;
	if (f->next != BUDDY_NIL)
		b->frames[f->next].prev = f->prev;
	b->free_blocks[f->order]--;
	b->free_frames -= (uint64_t)1 << f->order;
	f->state = BUDDY_TAIL;
}

static void buddy_mark(struct buddy *b, uint32_t from, uint32_t to, enum buddy_state state)
{
	for (uint32_t i = from; i < to; i++)
		b->frames[i].state = (uint8_t)state;
}

/*
 * Walk 3, over metadata zeroed (every frame BUDDY_TAIL): usable runs become
 * maximal aligned free blocks (only their heads are written), reserved runs
 * and the absent frames before each run (*next_unmarked up to its start)
 * are marked.
 */
static void buddy_fill(struct buddy *b, void *ctx, uint64_t start, uint64_t end,
		       enum buddy_class cls)
{
	uint32_t *next_unmarked = ctx;
	uint32_t i = (uint32_t)((start >> PAGE_SHIFT) - b->base_pfn);
	uint32_t last = (uint32_t)((end >> PAGE_SHIFT) - b->base_pfn);

	buddy_mark(b, *next_unmarked, i, BUDDY_ABSENT);
	*next_unmarked = last;
	if (cls == BUDDY_CLASS_RESERVED) {
		b->reserved_frames += last - i;
		buddy_mark(b, i, last, BUDDY_RESERVED);
		return;
	}
	while (i < last) {
		unsigned o = BUDDY_MAX_ORDER;

		while (o > 0 && ((i & ((1u << o) - 1)) != 0 || last - i < (1u << o)))
			o--;
		buddy_push(b, i, o);
		i += 1u << o;
	}
}

static uint64_t buddy_ignored_bytes(const struct boot_mem_region *map, size_t n)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t end = buddy_range_end(map[i].base, map[i].len);
		uint64_t lo = map[i].base > BUDDY_MAX_PHYS ? map[i].base : BUDDY_MAX_PHYS;

		if (map[i].type == BOOT_MEM_USABLE && end > lo)
			sum = buddy_range_end(sum, end - lo);
	}
	return sum;
}

static void buddy_reset(struct buddy *b)
{
	*b = (struct buddy){ 0 };
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++)
		b->free_head[o] = BUDDY_NIL;
}

int buddy_init(struct buddy *b, const struct boot_mem_region *map, size_t n,
	       const struct phys_range *reserved, size_t nres, void *(*phys_to_virt)(paddr_t))
{
	struct buddy_src src = { map, n, reserved, nres, { 0, 0 } };
	struct buddy_bounds bb = { UINT64_MAX, 0, false };
	uint32_t next_unmarked = 0;	/* walk 3: frames below it are classified */
	bool found = false;

	buddy_reset(b);
	if (n > BUDDY_MAX_RANGES || nres > BUDDY_MAX_RANGES - n)
		return ERR_INVAL;
	b->ignored_bytes = buddy_ignored_bytes(map, n);
	buddy_walk(&src, buddy_find_bounds, b, &bb);
	if (!bb.any_usable)
		return ERR_NOMEM;
	b->base_pfn = (bb.lo >> PAGE_SHIFT) & ~(((uint64_t)1 << BUDDY_MAX_ORDER) - 1);
	b->nframes = (uint32_t)((bb.hi >> PAGE_SHIFT) - b->base_pfn);
	b->meta_bytes = buddy_page_up((uint64_t)b->nframes * sizeof(struct buddy_frame));
	buddy_walk(&src, buddy_find_meta, b, &found);
	if (!found)
		return ERR_NOMEM;
	b->frames = phys_to_virt(b->meta_pa);
	/*
	 * One fill (rep stosq in the kernel: two stores a frame), then only
	 * heads and unusable frames are written: all tails, owner
	 * BUDDY_OWNER_NONE, links unused until a frame heads a free block.
	 */
	__builtin_memset(b->frames, 0, (size_t)b->nframes * sizeof(struct buddy_frame));
	src.extra = (struct phys_range){ b->meta_pa, b->meta_bytes };
	buddy_walk(&src, buddy_fill, b, &next_unmarked);
	buddy_mark(b, next_unmarked, b->nframes, BUDDY_ABSENT);
	b->total_frames = b->free_frames;
	return 0;
}

int buddy_alloc(struct buddy *b, unsigned order, uint32_t owner, paddr_t *out)
{
	unsigned o = order;
	uint32_t i;

	if (order > BUDDY_MAX_ORDER)
		return ERR_INVAL;
	while (o <= BUDDY_MAX_ORDER && b->free_head[o] == BUDDY_NIL)
		o++;
	if (o > BUDDY_MAX_ORDER)
		return ERR_NOMEM;
	i = b->free_head[o];
	buddy_unlink(b, i);
	/* Split: the upper half of each step goes back on the list one order down. */
	while (o > order) {
		o--;
		buddy_push(b, i + (1u << o), o);
	}
	b->frames[i].state = BUDDY_ALLOCATED;
	b->frames[i].order = (uint8_t)order;
	b->frames[i].owner = owner;
	*out = (b->base_pfn + i) << PAGE_SHIFT;
	return 0;
}

/* Finds the head of the block containing frame i, if i is in a block at all. */
static bool buddy_head_of(const struct buddy *b, uint32_t i, uint32_t *head)
{
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++) {
		uint32_t h = i & ~((1u << o) - 1);
		const struct buddy_frame *f = &b->frames[h];

		if ((f->state == BUDDY_FREE || f->state == BUDDY_ALLOCATED) && f->order >= o) {
			*head = h;
			return true;
		}
	}
	return false;
}

static bool buddy_index(const struct buddy *b, paddr_t pa, uint32_t *i)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	if (pfn < b->base_pfn || pfn - b->base_pfn >= b->nframes)
		return false;
	*i = (uint32_t)(pfn - b->base_pfn);
	return true;
}

/* Decides whether (pa, order) may be freed, without changing anything. */
static int buddy_check_free(const struct buddy *b, paddr_t pa, unsigned order, uint32_t *i)
{
	uint32_t head;

	if (order > BUDDY_MAX_ORDER || (pa & ((PAGE_SIZE << order) - 1)) != 0)
		return ERR_INVAL;
	if (!buddy_index(b, pa, i))
		return ERR_RANGE;
	switch (b->frames[*i].state) {
	case BUDDY_ALLOCATED:
		return b->frames[*i].order == order ? 0 : ERR_INVAL;
	case BUDDY_FREE:
		return ERR_DOUBLE_FREE;
	case BUDDY_RESERVED:
		return ERR_RESERVED;
	case BUDDY_TAIL:
		if (buddy_head_of(b, *i, &head) && b->frames[head].state == BUDDY_FREE)
			return ERR_DOUBLE_FREE;
		return ERR_INVAL;
	default:
		return ERR_RANGE;
	}
}

int buddy_free(struct buddy *b, paddr_t pa, unsigned order)
{
	uint32_t i, j;
	int err = buddy_check_free(b, pa, order, &i);

	if (err)
		return err;
	b->frames[i].state = BUDDY_TAIL;
	b->frames[i].owner = BUDDY_OWNER_NONE;
	/* Merge while the buddy is a free block of the same order; the lower head survives. */
	while (order < BUDDY_MAX_ORDER) {
		j = i ^ (1u << order);
		if (j >= b->nframes || b->frames[j].state != BUDDY_FREE ||
		    b->frames[j].order != order)
			break;
		buddy_unlink(b, j);
		i = i < j ? i : j;
		order++;
	}
	buddy_push(b, i, order);
	return 0;
}

uint64_t buddy_free_frames(const struct buddy *b)
{
	return b->free_frames;
}

uint64_t buddy_total_frames(const struct buddy *b)
{
	return b->total_frames;
}

uint32_t buddy_owner(const struct buddy *b, paddr_t pa)
{
	uint32_t i, head;

	if (!buddy_index(b, pa, &i) || !buddy_head_of(b, i, &head))
		return BUDDY_OWNER_NONE;
	return b->frames[head].state == BUDDY_ALLOCATED ? b->frames[head].owner : BUDDY_OWNER_NONE;
}
