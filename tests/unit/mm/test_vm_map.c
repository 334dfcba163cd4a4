// SPDX-License-Identifier: MIT
/*
 * Tests for kernel/mm/vm_map.c: fixed cases for placement, merging,
 * splitting and the all-or-nothing rule, then a long random sequence checked
 * page by page against a plain array model of the same window.
 */
#include <stdint.h>
#include <stdlib.h>

#include "mm/vm_map.h"
#include "test.h"

#define PG 4096ull
#define LO (16 * PG)
#define NPAGES 64
#define HI (LO + NPAGES * PG)

static struct vm_region pool[VM_REGIONS_MAX + 8];
static struct vm_region *free_list;

static void pool_reset(void)
{
	free_list = NULL;
	for (size_t i = 0; i < sizeof(pool) / sizeof(pool[0]); i++) {
		pool[i].next = free_list;
		free_list = &pool[i];
	}
}

/* Two spares, as the kernel passes them; leftovers go back to the pool. */
static struct vm_region *spares_get(void)
{
	struct vm_region *a = free_list, *b = a->next;

	free_list = b->next;
	b->next = NULL;
	a->next = b;
	return a;
}

static void spares_put(struct vm_region *list)
{
	while (list) {
		struct vm_region *next = list->next;

		list->next = free_list;
		free_list = list;
		list = next;
	}
}

static int map(struct vm_map *m, uint64_t hint, uint64_t pages, uint32_t prot, uint64_t *va)
{
	struct vm_region *s = spares_get();
	int err = vm_map_place(m, hint, pages * PG, LO, HI, va);

	if (!err)
		err = vm_map_insert(m, *va, pages * PG, prot, &s);
	spares_put(s);
	return err;
}

static int unmap(struct vm_map *m, uint64_t va, uint64_t pages)
{
	struct vm_region *s = spares_get(), *unused = NULL;
	int err = vm_map_remove(m, va, pages * PG, &s, &unused);

	spares_put(s);
	spares_put(unused);
	return err;
}

static int protect(struct vm_map *m, uint64_t va, uint64_t pages, uint32_t prot)
{
	struct vm_region *s = spares_get();
	int err = vm_map_protect(m, va, pages * PG, prot, &s);

	spares_put(s);
	return err;
}

/* The list is sorted, disjoint, page aligned, non-empty records, and count is right. */
static int well_formed(const struct vm_map *m)
{
	uint32_t n = 0;
	uint64_t last = 0;

	for (const struct vm_region *r = m->head; r; r = r->next, n++) {
		if (r->start >= r->end || r->start < last || (r->start | r->end) % PG)
			return 0;
		last = r->end;
	}
	return n == m->count;
}

TEST(vm_map_places_at_the_hint_or_lowest_and_merges_neighbours)
{
	struct vm_map m;
	uint64_t va;

	pool_reset();
	vm_map_init(&m);
	CHECK_EQ(map(&m, 0, 2, 3, &va), VM_OK);
	CHECK_EQ(va, LO);
	CHECK_EQ(map(&m, LO + 2 * PG, 3, 3, &va), VM_OK);	/* right after: merged */
	CHECK_EQ(va, LO + 2 * PG);
	CHECK_EQ(m.count, 1);
	CHECK_EQ(map(&m, LO, 1, 1, &va), VM_OK);		/* hint taken: lowest free */
	CHECK_EQ(va, LO + 5 * PG);
	CHECK_EQ(m.count, 2);
	CHECK_EQ(map(&m, 0, NPAGES, 1, &va), VM_NO_ROOM);
	CHECK_EQ(map(&m, HI - PG, 2, 1, &va), VM_OK);		/* hint past the end: ignored */
	CHECK_EQ(va, LO + 6 * PG);
	CHECK(well_formed(&m));
}

TEST(vm_map_remove_cuts_trims_and_drops_all_or_nothing)
{
	struct vm_map m;
	uint64_t va;

	pool_reset();
	vm_map_init(&m);
	CHECK_EQ(map(&m, LO, 10, 3, &va), VM_OK);
	CHECK_EQ(unmap(&m, LO + 3 * PG, 2), VM_OK);		/* a hole in the middle */
	CHECK_EQ(m.count, 2);
	CHECK_EQ(unmap(&m, LO + 2 * PG, 2), VM_NOT_MAPPED);	/* half in the hole */
	CHECK_EQ(m.count, 2);
	CHECK(vm_map_find(&m, LO + 2 * PG) != NULL);
	CHECK_EQ(unmap(&m, LO, 3), VM_OK);
	CHECK_EQ(m.count, 1);
	CHECK_EQ(unmap(&m, LO + 5 * PG, 5), VM_OK);
	CHECK_EQ(m.count, 0);
	CHECK(m.head == NULL);
	CHECK_EQ(unmap(&m, LO, 0), VM_NOT_MAPPED);
}

TEST(vm_map_protect_splits_at_both_ends_and_checks_first)
{
	struct vm_map m;
	uint64_t va;

	pool_reset();
	vm_map_init(&m);
	CHECK_EQ(map(&m, LO, 8, 3, &va), VM_OK);
	CHECK_EQ(protect(&m, LO + 2 * PG, 3, 1), VM_OK);
	CHECK_EQ(m.count, 3);
	CHECK_EQ(vm_map_find(&m, LO + 2 * PG)->prot, 1);
	CHECK_EQ(vm_map_find(&m, LO + 5 * PG)->prot, 3);
	CHECK_EQ(protect(&m, LO + 6 * PG, 4, 1), VM_NOT_MAPPED);
	CHECK_EQ(vm_map_find(&m, LO + 6 * PG)->prot, 3);
	CHECK_EQ(protect(&m, LO + 2 * PG, 3, 1), VM_OK);	/* already so: nothing splits */
	CHECK_EQ(m.count, 3);
	CHECK(well_formed(&m));
}

TEST(vm_map_refuses_a_region_beyond_the_maximum)
{
	struct vm_map m;

	pool_reset();
	vm_map_init(&m);
	/* Alternating protections so nothing merges: VM_REGIONS_MAX regions fill it. */
	for (uint32_t i = 0; i < VM_REGIONS_MAX; i++) {
		struct vm_region *s = spares_get();
		int err = vm_map_insert(&m, (1000 + 2 * i) * PG, PG, 1 + (i & 1), &s);
		spares_put(s);
		CHECK_EQ(err, VM_OK);
	}
	CHECK_EQ(m.count, VM_REGIONS_MAX);
	struct vm_region *s = spares_get();
	CHECK_EQ(vm_map_insert(&m, 5000 * PG, PG, 1, &s), VM_NO_ROOM);
	spares_put(s);
	CHECK_EQ(unmap(&m, 1000 * PG, 1), VM_OK);
	CHECK(well_formed(&m));
}

/* The model: each page's protection, 0 = unmapped (tests use prot 1..3). */
static uint32_t model[NPAGES];

static int model_range(uint64_t first, uint64_t n, int mapped)
{
	for (uint64_t i = first; i < first + n; i++)
		if ((model[i] != 0) != mapped)
			return 0;
	return 1;
}

TEST(vm_map_agrees_with_a_page_model_over_random_operations)
{
	struct vm_map m;
	uint64_t rng = 88172645463325252ull;

	pool_reset();
	vm_map_init(&m);
	memset(model, 0, sizeof(model));
	for (int step = 0; step < 200000; step++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		uint64_t first = rng % NPAGES, n = 1 + (rng >> 8) % 8, va;
		uint32_t prot = 1 + (uint32_t)((rng >> 16) % 3);

		if (first + n > NPAGES)
			n = NPAGES - first;
		switch ((rng >> 24) % 3) {
		case 0:
			if (map(&m, LO + first * PG, n, prot, &va) == VM_OK) {
				uint64_t p = (va - LO) / PG;

				CHECK(model_range(p, n, 0));
				for (uint64_t i = p; i < p + n; i++)
					model[i] = prot;
			} else {
				CHECK(!model_range(first, n, 0));	/* the hint was free */
			}
			break;
		case 1:
			if (unmap(&m, LO + first * PG, n) == VM_OK) {
				CHECK(model_range(first, n, 1));
				memset(&model[first], 0, n * sizeof(model[0]));
			} else {
				CHECK(!model_range(first, n, 1));
			}
			break;
		default:
			if (protect(&m, LO + first * PG, n, prot) == VM_OK) {
				CHECK(model_range(first, n, 1));
				for (uint64_t i = first; i < first + n; i++)
					model[i] = prot;
			} else {
				CHECK(!model_range(first, n, 1));
			}
		}
		CHECK(well_formed(&m));
		for (uint64_t i = 0; i < NPAGES; i++) {
			const struct vm_region *r = vm_map_find(&m, LO + i * PG);

			CHECK_EQ(r ? r->prot : 0, model[i]);
		}
	}
}

/* A stand-in MemoryObject: vm_map only copies the pointer. */
static struct shared_pages *const OBJ = (struct shared_pages *)0x1000;

static int map_backed(struct vm_map *m, uint64_t hint, uint64_t pages, uint32_t max_prot,
		      uint64_t *va)
{
	struct vm_region *s = spares_get();
	int err = vm_map_place(m, hint, pages * PG, LO, HI, va);

	if (!err)
		err = vm_map_insert_backed(m, *va, pages * PG, 1, max_prot, OBJ, &s);
	spares_put(s);
	return err;
}

TEST(vm_map_backed_regions_never_merge_and_keep_their_offsets)
{
	struct vm_map m;
	uint64_t va, a;

	pool_reset();
	vm_map_init(&m);
	CHECK_EQ(map(&m, LO, 2, 1, &va), VM_OK);
	CHECK_EQ(map_backed(&m, LO + 2 * PG, 8, 3, &a), VM_OK);	/* same prot, adjacent */
	CHECK_EQ(a, LO + 2 * PG);
	CHECK_EQ(map(&m, LO + 10 * PG, 2, 1, &va), VM_OK);	/* anonymous after it */
	CHECK_EQ(m.count, 3);
	CHECK_EQ(vm_map_anon_pages(&m, LO, 12 * PG), 4);
	CHECK_EQ(vm_map_anon_pages(&m, LO + PG, 2 * PG), 1);
	CHECK_EQ(unmap(&m, a + 3 * PG, 2), VM_OK);		/* a hole in the object's map */
	const struct vm_region *head = vm_map_find(&m, a), *tail = vm_map_find(&m, a + 5 * PG);

	CHECK(head && tail && head != tail);
	CHECK(head->backing == OBJ && tail->backing == OBJ);
	CHECK_EQ(head->offset, 0);
	CHECK_EQ(tail->offset, 5);
	CHECK_EQ(unmap(&m, a + 5 * PG, 1), VM_OK);		/* the tail keeps its end */
	tail = vm_map_find(&m, a + 6 * PG);
	CHECK(tail && tail->start == a + 6 * PG && tail->offset == 6);
	CHECK_EQ(protect(&m, a + 7 * PG, 1, 3), VM_OK);		/* splits: the upper shows page 7 */
	const struct vm_region *up = vm_map_find(&m, a + 7 * PG);

	CHECK(up && up->offset == 7 && up->backing == OBJ && up->prot == 3 && up->max_prot == 3);
	CHECK(well_formed(&m));
}

TEST(vm_map_protect_stays_within_max_prot)
{
	struct vm_map m;
	uint64_t a;
	uint32_t before;

	pool_reset();
	vm_map_init(&m);
	CHECK_EQ(map_backed(&m, LO, 4, 1, &a), VM_OK);		/* a read-only facet's map */
	before = m.count;
	CHECK_EQ(protect(&m, a + PG, 1, 3), VM_NOT_PERMITTED);
	CHECK_EQ(protect(&m, a, 4, 5), VM_NOT_PERMITTED);
	CHECK_EQ(m.count, before);				/* nothing split */
	CHECK_EQ(vm_map_find(&m, a + PG)->prot, 1);
	CHECK_EQ(protect(&m, a, 4, 1), VM_OK);
	CHECK(well_formed(&m));
}

int main(void)
{
	RUN(vm_map_places_at_the_hint_or_lowest_and_merges_neighbours);
	RUN(vm_map_remove_cuts_trims_and_drops_all_or_nothing);
	RUN(vm_map_protect_splits_at_both_ends_and_checks_first);
	RUN(vm_map_refuses_a_region_beyond_the_maximum);
	RUN(vm_map_agrees_with_a_page_model_over_random_operations);
	RUN(vm_map_backed_regions_never_merge_and_keep_their_offsets);
	RUN(vm_map_protect_stays_within_max_prot);
	return test_failures != 0;
}
