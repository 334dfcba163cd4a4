// SPDX-License-Identifier: MIT
/*
 * Tests for kernel/mm/slab.c and kernel/mm/kmalloc.c with aligned_alloc as
 * the page provider (so ASan sees every page as its own block and reports a
 * touch of a slab after it went back). Every object is filled with a pattern
 * naming it and checked before it is freed, which catches overlapping objects.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/errno.h"
#include "mm/kmalloc.h"
#include "mm/slab.h"
#include "test.h"

static long pages_out;		/* pages held by the allocators */
static bool pages_fail;		/* the provider is out of memory */

static void *test_alloc_pages(unsigned order)
{
	void *p = pages_fail ? NULL : aligned_alloc(PAGE_SIZE << order, PAGE_SIZE << order);

	if (p)
		pages_out += 1l << order;
	return p;
}

static void test_free_pages(void *p, unsigned order)
{
	pages_out -= 1l << order;
	free(p);
}

static const struct kmem_page_ops test_ops = { test_alloc_pages, test_free_pages };

static uint64_t slab_rng = 0x2545f4914f6cdd1dull;

static uint64_t slab_rand(void)
{
	slab_rng ^= slab_rng << 13;
	slab_rng ^= slab_rng >> 7;
	slab_rng ^= slab_rng << 17;
	return slab_rng;
}

static void fill(void *p, size_t n, uint8_t v)
{
	memset(p, v, n);
}

static bool filled(const void *p, size_t n, uint8_t v)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i] != v)
			return false;
	}
	return true;
}

TEST(slab_init_rejects_bad_sizes_and_alignments)
{
	struct kmem_cache c;

	CHECK_EQ(kmem_cache_init(&c, "zero", 0, 8), ERR_INVAL);
	CHECK_EQ(kmem_cache_init(&c, "align3", 16, 3), ERR_INVAL);
	CHECK_EQ(kmem_cache_init(&c, "huge", 64 * 1024, 8), ERR_INVAL);
	CHECK_EQ(kmem_cache_init(&c, "bigalign", 16, 2 * PAGE_SIZE), ERR_INVAL);
	CHECK_EQ(kmem_cache_init_order(&c, "order", 16, 8, KMEM_MAX_SLAB_ORDER + 1), ERR_INVAL);
}

TEST(slab_objects_are_aligned_distinct_and_hold_their_contents)
{
	static const size_t sizes[] = { 1, 8, 24, 100, 512, 1000, 4000, 9000 };
	static const size_t aligns[] = { 0, 8, 16, 64, 32, 128, 8, 4096 };
	static void *objs[300];

	for (size_t k = 0; k < 8; k++) {
		struct kmem_cache c;
		size_t a = aligns[k] ? aligns[k] : 8;

		CHECK_EQ(kmem_cache_init(&c, "objs", sizes[k], aligns[k]), 0);
		CHECK(c.capacity >= 1);
		for (int i = 0; i < 300; i++) {
			objs[i] = kmem_cache_alloc(&c);
			CHECK(objs[i] != NULL);
			CHECK_EQ((uintptr_t)objs[i] % a, 0);
			fill(objs[i], sizes[k], (uint8_t)i);
		}
		CHECK_EQ(kmem_cache_live(&c), 300);
		for (int i = 0; i < 300; i++) {
			CHECK(filled(objs[i], sizes[k], (uint8_t)i));
			CHECK_EQ(kmem_cache_free(&c, objs[i]), 0);
		}
		CHECK_EQ(kmem_cache_live(&c), 0);
		CHECK_EQ(kmem_cache_destroy(&c), 0);
		CHECK_EQ(pages_out, 0);
	}
}

TEST(slab_small_caches_pack_at_least_eight_objects_per_slab)
{
	struct kmem_cache c;

	CHECK_EQ(kmem_cache_init(&c, "small", 64, 8), 0);
	CHECK_EQ(c.order, 0);
	CHECK(c.capacity >= 60);
	CHECK_EQ(kmem_cache_destroy(&c), 0);
	CHECK_EQ(kmem_cache_init(&c, "mid", 1500, 8), 0);
	CHECK(c.capacity >= KMEM_MIN_OBJECTS);
	CHECK_EQ(kmem_cache_destroy(&c), 0);
}

TEST(slab_keeps_at_most_one_empty_slab_and_trim_returns_it)
{
	struct kmem_cache c;
	static void *objs[1000];

	CHECK_EQ(kmem_cache_init(&c, "keep", 128, 8), 0);
	for (int i = 0; i < 1000; i++)
		CHECK((objs[i] = kmem_cache_alloc(&c)) != NULL);
	CHECK(c.slabs > 10);
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(kmem_cache_free(&c, objs[i]), 0);
	CHECK_EQ(c.slabs, 1);
	CHECK_EQ(pages_out, 1l << c.order);
	kmem_cache_trim(&c);
	CHECK_EQ(c.slabs, 0);
	CHECK_EQ(pages_out, 0);
	CHECK_EQ(kmem_cache_destroy(&c), 0);
}

TEST(slab_free_detects_double_free_and_foreign_pointers)
{
	struct kmem_cache a, b;
	void *pa, *pb, *pa2;

	CHECK_EQ(kmem_cache_init(&a, "a", 48, 16), 0);
	CHECK_EQ(kmem_cache_init(&b, "b", 48, 16), 0);
	pa = kmem_cache_alloc(&a);
	pa2 = kmem_cache_alloc(&a);
	pb = kmem_cache_alloc(&b);
	CHECK(pa && pa2 && pb);
	CHECK_EQ(kmem_cache_free(&a, pb), ERR_NOT_OWNER);
	CHECK_EQ(kmem_cache_free(&a, (uint8_t *)pa + 8), ERR_NOT_OWNER);
	CHECK_EQ(kmem_cache_free(&a, kmem_slab_of(pa, a.order)), ERR_NOT_OWNER);
	CHECK_EQ(kmem_cache_free(&a, NULL), 0);
	CHECK_EQ(kmem_cache_free(&a, pa), 0);
	CHECK_EQ(kmem_cache_free(&a, pa), ERR_DOUBLE_FREE);
	CHECK_EQ(a.bad_frees, 4);
	CHECK_EQ(kmem_cache_live(&a), 1);
	CHECK_EQ(kmem_cache_destroy(&a), ERR_INVAL);
	CHECK_EQ(kmem_cache_free(&a, pa2), 0);
	CHECK_EQ(kmem_cache_free(&b, pb), 0);
	CHECK_EQ(kmem_cache_destroy(&a), 0);
	CHECK_EQ(kmem_cache_destroy(&b), 0);
	CHECK_EQ(pages_out, 0);
}

static void count_cache(struct kmem_cache *c, void *ctx)
{
	(void)c;
	(*(int *)ctx)++;
}

TEST(slab_registry_lists_every_initialised_cache)
{
	struct kmem_cache x, y;
	int before = 0, during = 0, after = 0;

	kmem_for_each_cache(count_cache, &before);
	CHECK_EQ(kmem_cache_init(&x, "x", 32, 8), 0);
	CHECK_EQ(kmem_cache_init(&y, "y", 32, 8), 0);
	kmem_for_each_cache(count_cache, &during);
	CHECK_EQ(during, before + 2);
	CHECK_EQ(kmem_cache_destroy(&x), 0);
	CHECK_EQ(kmem_cache_destroy(&y), 0);
	kmem_for_each_cache(count_cache, &after);
	CHECK_EQ(after, before);
}

TEST(slab_alloc_returns_null_when_pages_run_out)
{
	struct kmem_cache c;
	void *first, *p;
	int n = 1;

	CHECK_EQ(kmem_cache_init(&c, "dry", 512, 8), 0);
	first = kmem_cache_alloc(&c);
	CHECK(first != NULL);
	pages_fail = true;
	while ((p = kmem_cache_alloc(&c)) != NULL)
		n++;
	pages_fail = false;
	CHECK_EQ(n, (int)c.capacity);		/* the slab it had, and not one object more */
	CHECK_EQ(kmem_cache_live(&c), c.capacity);
	for (uint32_t i = 0; i < c.capacity; i++)
		CHECK_EQ(kmem_cache_free(&c, (uint8_t *)first + i * c.stride), 0);
	CHECK_EQ(kmem_cache_destroy(&c), 0);
	CHECK_EQ(pages_out, 0);
}

TEST(kmalloc_every_size_is_aligned_usable_and_freed)
{
	static void *p[6000];

	for (size_t n = 1; n < 6000; n++) {
		p[n] = kmalloc(n);
		CHECK(p[n] != NULL);
		CHECK_EQ((uintptr_t)p[n] % 16, 0);
		fill(p[n], n, (uint8_t)n);
	}
	CHECK_EQ(kmalloc_live(), 5999);
	for (size_t n = 1; n < 6000; n++) {
		CHECK(filled(p[n], n, (uint8_t)n));
		CHECK_EQ(kfree(p[n]), 0);
	}
	CHECK_EQ(kmalloc_live(), 0);
	kmalloc_trim();
	CHECK_EQ(pages_out, 0);
}

TEST(kmalloc_large_blocks_round_to_pages_and_reject_absurd_sizes)
{
	void *a = kmalloc(1 << 20), *b = kzalloc(3 * PAGE_SIZE + 1);

	CHECK(a && b);
	CHECK(filled(b, 3 * PAGE_SIZE + 1, 0));
	fill(a, 1 << 20, 0xab);
	CHECK(kmalloc((size_t)PAGE_SIZE << KMALLOC_MAX_ORDER) == NULL);
	CHECK(kmalloc(SIZE_MAX) == NULL);
	CHECK(kmalloc(0) == NULL);
	CHECK_EQ(kmalloc_live(), 2);
	/* 1 MiB plus the header is 257 pages: order 9; 3 pages + 65 bytes: the minimum, order 2. */
	CHECK_EQ(pages_out, 512 + 4);
	CHECK_EQ(kfree(a), 0);
	CHECK_EQ(kfree(b), 0);
	CHECK_EQ(pages_out, 0);
	CHECK_EQ(kmalloc_live(), 0);
}

TEST(kmalloc_footprint_is_what_an_allocation_takes)
{
	CHECK_EQ(kmalloc_footprint(1), 16);
	CHECK_EQ(kmalloc_footprint(16), 16);
	CHECK_EQ(kmalloc_footprint(17), 32);
	CHECK_EQ(kmalloc_footprint(KMALLOC_MAX_SMALL), KMALLOC_MAX_SMALL);
	/* Large ones: exactly the pages the block takes from the provider. */
	static const size_t sizes[] = { KMALLOC_MAX_SMALL + 1, 3 * PAGE_SIZE + 1,
					16 * PAGE_SIZE - KMALLOC_LARGE_HEADER,
					16 * PAGE_SIZE - KMALLOC_LARGE_HEADER + 1, 65536 + 200, 1 << 20 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		long before = pages_out;
		void *p = kmalloc(sizes[i]);

		CHECK(p != NULL);
		CHECK_EQ(kmalloc_footprint(sizes[i]), (size_t)(pages_out - before) * PAGE_SIZE);
		CHECK_EQ(kfree(p), 0);
	}
	CHECK_EQ(kmalloc_footprint(65536 + 200), 32 * PAGE_SIZE);
}

TEST(kfree_detects_double_free_and_pointers_it_did_not_hand_out)
{
	struct kmem_cache other;
	void *s = kmalloc(100), *l = kmalloc(10000), *o;

	CHECK(s && l);
	CHECK_EQ(kmem_cache_init(&other, "other", 2000, 8), 0);
	o = kmem_cache_alloc(&other);
	CHECK(o != NULL);
	CHECK_EQ(kfree(NULL), 0);
	CHECK_EQ(kfree((uint8_t *)s + 16), ERR_NOT_OWNER);
	CHECK_EQ(kfree((uint8_t *)l + 16), ERR_NOT_OWNER);
	CHECK_EQ(kfree(o), ERR_NOT_OWNER);
	CHECK_EQ(kfree(s), 0);
	CHECK_EQ(kfree(s), ERR_DOUBLE_FREE);
	CHECK_EQ(kfree(l), 0);
	CHECK_EQ(kmem_cache_free(&other, o), 0);
	CHECK_EQ(kmem_cache_destroy(&other), 0);
	CHECK_EQ(kmalloc_live(), 0);
}

TEST(kmalloc_random_stress_keeps_objects_apart_and_counts_exact)
{
	static void *p[2000];
	static size_t sz[2000];
	size_t live = 0;

	memset(p, 0, sizeof(p));
	for (int step = 0; step < 100000; step++) {
		size_t k = slab_rand() % 2000;

		if (p[k]) {
			CHECK(filled(p[k], sz[k], (uint8_t)k));
			CHECK_EQ(kfree(p[k]), 0);
			p[k] = NULL;
			live--;
			continue;
		}
		sz[k] = slab_rand() % 4 == 0 ? 1 + slab_rand() % 20000 : 1 + slab_rand() % 600;
		p[k] = kmalloc(sz[k]);
		CHECK(p[k] != NULL);
		fill(p[k], sz[k], (uint8_t)k);
		live++;
		CHECK_EQ(kmalloc_live(), live);
	}
	for (size_t k = 0; k < 2000; k++)
		CHECK_EQ(kfree(p[k]), 0);
	CHECK_EQ(kmalloc_live(), 0);
	kmalloc_trim();
	CHECK_EQ(pages_out, 0);
}

int main(void)
{
	kmem_init(&test_ops);
	RUN(slab_init_rejects_bad_sizes_and_alignments);
	RUN(slab_objects_are_aligned_distinct_and_hold_their_contents);
	RUN(slab_small_caches_pack_at_least_eight_objects_per_slab);
	RUN(slab_keeps_at_most_one_empty_slab_and_trim_returns_it);
	RUN(slab_free_detects_double_free_and_foreign_pointers);
	RUN(slab_registry_lists_every_initialised_cache);
	RUN(slab_alloc_returns_null_when_pages_run_out);
	if (kmalloc_init(&test_ops) != 0)
		return 1;
	RUN(kmalloc_every_size_is_aligned_usable_and_freed);
	RUN(kmalloc_large_blocks_round_to_pages_and_reject_absurd_sizes);
	RUN(kmalloc_footprint_is_what_an_allocation_takes);
	RUN(kfree_detects_double_free_and_pointers_it_did_not_hand_out);
	RUN(kmalloc_random_stress_keeps_objects_apart_and_counts_exact);
	TEST_EXIT();
}
