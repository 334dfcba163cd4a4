// SPDX-License-Identifier: MIT
/*
 * VirtualMemory's region list (vm_map.h): sorted, disjoint page ranges.
 * Every walk is bounded by the region count (at most VM_REGIONS_MAX).
 */
#include "mm/vm_map.h"

static struct vm_region *spare_take(struct vm_region **spares)
{
	struct vm_region *r = *spares;

	*spares = r->next;
	r->next = NULL;
	return r;
}

const struct vm_region *vm_map_find(const struct vm_map *m, uint64_t va)
{
	for (const struct vm_region *r = m->head; r && r->start <= va; r = r->next)
		if (va < r->end)
			return r;
	return NULL;
}

/* True if no region overlaps [va, end). */
static bool range_free(const struct vm_map *m, uint64_t va, uint64_t end)
{
	for (const struct vm_region *r = m->head; r && r->start < end; r = r->next)
		if (r->end > va)
			return false;
	return true;
}

int vm_map_place(const struct vm_map *m, uint64_t hint, uint64_t bytes, uint64_t lo, uint64_t hi,
		 uint64_t *va)
{
	uint64_t at = lo;

	if (bytes == 0 || lo > hi || bytes > hi - lo)
		return VM_NO_ROOM;
	if (hint >= lo && hint <= hi - bytes && range_free(m, hint, hint + bytes)) {
		*va = hint;
		return VM_OK;
	}
	for (const struct vm_region *r = m->head; r; r = r->next) {
		if (r->end <= at)
			continue;
		if (r->start >= at && r->start - at >= bytes)
			break;		/* the gap before r fits */
		at = r->end;
		if (at > hi - bytes)
			return VM_NO_ROOM;
	}
	if (at > hi - bytes)
		return VM_NO_ROOM;
	*va = at;
	return VM_OK;
}

/* Links a new record for [va, end) before *link (the caller checked the count). */
static struct vm_region *link_new(struct vm_map *m, struct vm_region **link, uint64_t va,
				  uint64_t end, uint32_t prot, struct vm_region **spares)
{
	struct vm_region *r = spare_take(spares);

	r->start = va;
	r->end = end;
	r->prot = prot;
	r->max_prot = VM_PROT_ANY;
	r->backing = NULL;
	r->offset = 0;
	r->next = *link;
	*link = r;
	m->count++;
	return r;
}

/* The link after the last region that starts below va, and that region (or NULL). */
static struct vm_region **link_before(struct vm_map *m, uint64_t va, struct vm_region **prev)
{
	struct vm_region **link = &m->head;

	*prev = NULL;
	while (*link && (*link)->start < va) {
		*prev = *link;
		link = &(*link)->next;
	}
	return link;
}

static bool anon_with(const struct vm_region *r, uint32_t prot)
{
	return r->backing == NULL && r->prot == prot;
}

int vm_map_insert(struct vm_map *m, uint64_t va, uint64_t bytes, uint32_t prot,
		  struct vm_region **spares)
{
	struct vm_region *prev, **link = link_before(m, va, &prev);
	uint64_t end = va + bytes;

	if (prev && prev->end == va && anon_with(prev, prot)) {
		prev->end = end;	/* grows the region below: a heap, typically */
		return VM_OK;
	}
	if (*link && (*link)->start == end && anon_with(*link, prot)) {
		(*link)->start = va;
		return VM_OK;
	}
	if (m->count >= VM_REGIONS_MAX)
		return VM_NO_ROOM;
	(void)link_new(m, link, va, end, prot, spares);
	return VM_OK;
}

int vm_map_insert_backed(struct vm_map *m, uint64_t va, uint64_t bytes, uint32_t prot,
			 uint32_t max_prot, struct shared_pages *backing,
			 struct vm_region **spares)
{
	struct vm_region *prev, **link = link_before(m, va, &prev);

	if (m->count >= VM_REGIONS_MAX)
		return VM_NO_ROOM;
	struct vm_region *r = link_new(m, link, va, va + bytes, prot, spares);

	r->max_prot = max_prot;
	r->backing = backing;
	return VM_OK;
}

uint64_t vm_map_anon_pages(const struct vm_map *m, uint64_t va, uint64_t bytes)
{
	uint64_t end = va + bytes, pages = 0;

	for (const struct vm_region *r = m->head; r && r->start < end; r = r->next) {
		if (r->end <= va || r->backing)
			continue;
		uint64_t lo = r->start > va ? r->start : va, hi = r->end < end ? r->end : end;

		pages += (hi - lo) / PAGE_SIZE;
	}
	return pages;
}

int vm_map_covered(const struct vm_map *m, uint64_t va, uint64_t bytes)
{
	uint64_t at = va, end = va + bytes;

	for (const struct vm_region *r = m->head; r && at < end; r = r->next) {
		if (r->end <= at)
			continue;
		if (r->start > at)
			return VM_NOT_MAPPED;
		at = r->end;
	}
	return at >= end ? VM_OK : VM_NOT_MAPPED;
}

/* Moves r's start up to `at` (inside it); a backed region shows later pages. */
static void advance_start(struct vm_region *r, uint64_t at)
{
	if (r->backing)
		r->offset += (at - r->start) / PAGE_SIZE;
	r->start = at;
}

/*
 * Splits r at `at` (inside it); the upper part, a spare, follows r. It is
 * a copy of r: for a backed region the caller takes one more reference.
 */
static struct vm_region *split(struct vm_map *m, struct vm_region *r, uint64_t at,
			       struct vm_region **spares)
{
	struct vm_region *upper = spare_take(spares);

	*upper = *r;
	advance_start(upper, at);
	r->end = at;
	r->next = upper;
	m->count++;
	return upper;
}

/* The region that holds va (which is mapped). */
static struct vm_region *region_at(struct vm_map *m, uint64_t va)
{
	return (struct vm_region *)vm_map_find(m, va);
}

int vm_map_remove(struct vm_map *m, uint64_t va, uint64_t bytes, struct vm_region **spares,
		  struct vm_region **unused)
{
	uint64_t end = va + bytes;

	if (bytes == 0 || vm_map_covered(m, va, bytes) != VM_OK)
		return VM_NOT_MAPPED;
	struct vm_region *first = region_at(m, va);

	if (first->start < va && first->end > end) {
		/* The range is inside one region: cut it in two. */
		if (m->count >= VM_REGIONS_MAX)
			return VM_NO_ROOM;
		(void)split(m, first, end, spares);
		first->end = va;
		return VM_OK;
	}
	struct vm_region **link = &m->head;

	while (*link && (*link)->start < end) {
		struct vm_region *r = *link;

		if (r->end <= va) {
			link = &r->next;
		} else if (r->start < va) {
			r->end = va;		/* keeps its head */
			link = &r->next;
		} else if (r->end > end) {
			advance_start(r, end);	/* keeps its tail */
			link = &r->next;
		} else {
			*link = r->next;	/* wholly inside */
			r->next = *unused;
			*unused = r;
			m->count--;
		}
	}
	return VM_OK;
}

int vm_map_protect(struct vm_map *m, uint64_t va, uint64_t bytes, uint32_t prot,
		   struct vm_region **spares)
{
	uint64_t end = va + bytes;
	uint32_t need = 0;

	if (bytes == 0 || vm_map_covered(m, va, bytes) != VM_OK)
		return VM_NOT_MAPPED;
	struct vm_region *first = region_at(m, va), *last = region_at(m, end - 1);

	need += first->start < va && first->prot != prot;
	need += last->end > end && last->prot != prot;
	for (const struct vm_region *r = first; r && r->start < end; r = r->next)
		if (prot & ~r->max_prot)
			return VM_NOT_PERMITTED;
	if (m->count + need > VM_REGIONS_MAX)
		return VM_NO_ROOM;
	for (struct vm_region *r = first; r && r->start < end; r = r->next) {
		if (r->prot == prot)
			continue;
		if (r->start < va)
			r = split(m, r, va, spares);
		if (r->end > end)
			(void)split(m, r, end, spares);
		r->prot = prot;
	}
	return VM_OK;
}
