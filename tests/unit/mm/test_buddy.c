// SPDX-License-Identifier: MIT
/*
 * Tests for kernel/mm/buddy.c over a fake physical address space: the first
 * BUDDY_TEST_ARENA bytes of "physical memory" are a host buffer (only the
 * metadata is ever touched through phys_to_virt). A page-by-page model of
 * the memory-map rules checks what the allocator hands out; a shadow model of
 * live blocks checks a long random alloc/free sequence.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/bootinfo.h"
#include "lib/errno.h"
#include "mm/buddy.h"
#include "test.h"

#define BUDDY_TEST_ARENA (64ull << 20)
#define MIB (1ull << 20)
#define GIB (1ull << 30)

static unsigned char *buddy_arena;
static struct buddy bud;

static void *buddy_test_p2v(paddr_t pa)
{
	if (pa >= BUDDY_TEST_ARENA) {
		fprintf(stderr, "p2v outside the fake physical memory: %#llx\n",
			(unsigned long long)pa);
		abort();
	}
	return buddy_arena + pa;
}

static uint64_t buddy_rng = 88172645463325252ull;

static uint64_t buddy_rand(void)
{
	buddy_rng ^= buddy_rng << 13;
	buddy_rng ^= buddy_rng >> 7;
	buddy_rng ^= buddy_rng << 17;
	return buddy_rng;
}

/* 1 MiB..17 MiB usable, a 64 KiB reserved hole at 4 MiB. */
static int buddy_init_small(void)
{
	static const struct boot_mem_region map[] = {
		{ 1 * MIB, 16 * MIB, BOOT_MEM_USABLE },
	};
	static const struct phys_range res[] = { { 4 * MIB, 64 * 1024 } };

	return buddy_init(&bud, map, 1, res, 1, buddy_test_p2v);
}

static bool buddy_same_lists(const uint64_t *counts)
{
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++) {
		if (bud.free_blocks[o] != counts[o])
			return false;
	}
	return true;
}

/* Page-level model of the map rules, for pages below BUDDY_MODEL_END. */
#define BUDDY_MODEL_END (4 * GIB + 64 * MIB)
#define BUDDY_MODEL_PAGES (BUDDY_MODEL_END / PAGE_SIZE)

static uint8_t *buddy_model;	/* 1 = usable by the rules (before metadata) */
static uint8_t *buddy_seen;	/* 1 = handed out by the allocator */

static uint64_t model_end(uint64_t base, uint64_t len)
{
	return len > UINT64_MAX - base ? UINT64_MAX : base + len;
}

static bool model_page_usable(const struct boot_mem_region *map, size_t n,
			      const struct phys_range *res, size_t nres, uint64_t p)
{
	uint64_t lo = p * PAGE_SIZE, hi = lo + PAGE_SIZE;
	bool in_usable = false;

	for (size_t i = 0; i < n; i++) {
		uint64_t end = model_end(map[i].base, map[i].len);

		if (map[i].len == 0)
			continue;	/* covers nothing */
		if (map[i].type == BOOT_MEM_USABLE && map[i].base <= lo && hi <= end)
			in_usable = true;
		if (map[i].type != BOOT_MEM_USABLE && map[i].base < hi && end > lo)
			return false;
	}
	for (size_t i = 0; i < nres; i++) {
		if (res[i].len != 0 && res[i].base < hi && model_end(res[i].base, res[i].len) > lo)
			return false;
	}
	return in_usable;
}

static const struct boot_mem_region hostile_map[] = {
	{ 4 * GIB, 16 * MIB, BOOT_MEM_USABLE },			/* above 4 GiB, listed first */
	{ 0x100000, 127 * MIB, BOOT_MEM_USABLE },
	{ 0, 0x9fc00, BOOT_MEM_USABLE },				/* partial last page */
	{ 0x9fc00, 0x60400, BOOT_MEM_RESERVED },
	{ 0x2000800, 0x1000, BOOT_MEM_RESERVED },		/* unaligned, inside usable */
	{ 0x1000000, 32 * MIB, BOOT_MEM_USABLE },		/* overlaps the big entry */
	{ 0x5000000, 0, BOOT_MEM_USABLE },			/* zero length */
	{ 0x6000000, 0, BOOT_MEM_RESERVED },			/* zero length, ignored */
	{ 0x9000800, 0x3000, BOOT_MEM_USABLE },			/* unaligned: 2 whole pages */
	{ 0x7000000, 2 * MIB, BOOT_MEM_ACPI_NVS },		/* non-usable type wins */
	{ 4 * GIB + 8 * MIB, 4096, BOOT_MEM_BAD },
	{ 1ull << 60, 1ull << 62, BOOT_MEM_USABLE },		/* absurdly high */
	{ UINT64_MAX - 0x1000, 0x10000, BOOT_MEM_USABLE },	/* wraps around 2^64 */
	{ 0x300, 0x500, BOOT_MEM_USABLE },			/* less than a page */
};
static const struct phys_range hostile_res[] = {
	{ 0x200000, 0x123456 },			/* kernel image, unaligned end */
	{ 0, 0x1000 },				/* frame 0 */
	{ 0x3000000, 0 },			/* empty */
	{ UINT64_MAX - 10, 100 },		/* wraps */
};
#define HOSTILE_N (sizeof(hostile_map) / sizeof(hostile_map[0]))
#define HOSTILE_NRES (sizeof(hostile_res) / sizeof(hostile_res[0]))

static void buddy_build_model(void)
{
	if (!buddy_model)
		buddy_model = calloc(BUDDY_MODEL_PAGES, 1);
	for (uint64_t p = 0; p < BUDDY_MODEL_PAGES; p++)
		buddy_model[p] = model_page_usable(hostile_map, HOSTILE_N, hostile_res,
						   HOSTILE_NRES, p);
}

TEST(buddy_hostile_map_frees_exactly_the_pages_the_rules_allow)
{
	uint64_t expect = 0, meta_pages, got = 0;
	uint8_t *seen = buddy_seen = calloc(BUDDY_MODEL_PAGES, 1);
	paddr_t pa;

	CHECK(seen != NULL);
	buddy_build_model();
	for (uint64_t p = 0; p < BUDDY_MODEL_PAGES; p++)
		expect += buddy_model[p];
	CHECK_EQ(buddy_init(&bud, hostile_map, HOSTILE_N, hostile_res, HOSTILE_NRES,
			    buddy_test_p2v), 0);
	meta_pages = bud.meta_bytes / PAGE_SIZE;
	CHECK_EQ(buddy_total_frames(&bud) + meta_pages, expect);
	CHECK_EQ(buddy_free_frames(&bud), buddy_total_frames(&bud));
	for (uint64_t p = 0; p < meta_pages; p++)
		CHECK(buddy_model[bud.meta_pa / PAGE_SIZE + p]);
	while (buddy_alloc(&bud, 0, 9, &pa) == 0) {
		uint64_t p = pa / PAGE_SIZE;

		CHECK(p < BUDDY_MODEL_PAGES && buddy_model[p] && !seen[p]);
		CHECK(pa < bud.meta_pa || pa >= bud.meta_pa + bud.meta_bytes);
		seen[p] = 1;
		got++;
	}
	CHECK_EQ(got, buddy_total_frames(&bud));
	CHECK_EQ(buddy_free_frames(&bud), 0);
}

TEST(buddy_ignores_and_reports_memory_above_the_physical_cap)
{
	static const struct boot_mem_region map[] = {
		{ 2 * MIB, 8 * MIB, BOOT_MEM_USABLE },
		{ BUDDY_MAX_PHYS - 4 * MIB, 8 * MIB, BOOT_MEM_USABLE },	/* straddles the cap */
	};

	CHECK_EQ(buddy_init(&bud, map, 2, NULL, 0, buddy_test_p2v), ERR_NOMEM);
	CHECK_EQ(bud.ignored_bytes, 4 * MIB);
}

TEST(buddy_init_rejects_maps_without_room_or_usable_memory)
{
	static const struct boot_mem_region none[] = { { 0, 64 * MIB, BOOT_MEM_RESERVED } };
	static const struct boot_mem_region sparse[] = {
		{ 1 * MIB, 64 * 1024, BOOT_MEM_USABLE },
		{ 60 * GIB, 64 * 1024, BOOT_MEM_USABLE },
	};
	static const struct phys_range all = { 0, UINT64_MAX };

	CHECK_EQ(buddy_init(&bud, none, 1, NULL, 0, buddy_test_p2v), ERR_NOMEM);
	CHECK_EQ(buddy_init(&bud, NULL, 0, NULL, 0, buddy_test_p2v), ERR_NOMEM);
	CHECK_EQ(buddy_init(&bud, sparse, 2, NULL, 0, buddy_test_p2v), ERR_NOMEM);
	CHECK_EQ(buddy_init(&bud, sparse, 2, &all, 1, buddy_test_p2v), ERR_NOMEM);
	CHECK_EQ(buddy_init(&bud, sparse, BUDDY_MAX_RANGES + 1, NULL, 0, buddy_test_p2v),
		 ERR_INVAL);
}

TEST(buddy_alloc_returns_blocks_aligned_to_their_size)
{
	paddr_t pa;

	CHECK_EQ(buddy_init_small(), 0);
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++) {
		CHECK_EQ(buddy_alloc(&bud, o, 1, &pa), 0);
		CHECK_EQ(pa & ((PAGE_SIZE << o) - 1), 0);
		CHECK(pa >= 1 * MIB && pa + (PAGE_SIZE << o) <= 17 * MIB);
	}
	CHECK_EQ(buddy_alloc(&bud, BUDDY_MAX_ORDER + 1, 1, &pa), ERR_INVAL);
}

TEST(buddy_alloc_all_then_free_all_coalesces_back_to_initial_blocks)
{
	uint64_t initial[BUDDY_MAX_ORDER + 1];
	static paddr_t pas[16 * MIB / PAGE_SIZE];
	size_t n = 0;

	CHECK_EQ(buddy_init_small(), 0);
	memcpy(initial, bud.free_blocks, sizeof(initial));
	CHECK(initial[BUDDY_MAX_ORDER] >= 2);
	while (buddy_alloc(&bud, 0, 2, &pas[n]) == 0)
		n++;
	CHECK_EQ(n, buddy_total_frames(&bud));
	CHECK_EQ(buddy_alloc(&bud, 0, 2, &pas[0]), ERR_NOMEM);
	/* Free in a shuffled order so merges happen in every direction. */
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = buddy_rand() % (i + 1);
		paddr_t t = pas[i];

		pas[i] = pas[j];
		pas[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(buddy_free(&bud, pas[i], 0), 0);
	CHECK_EQ(buddy_free_frames(&bud), buddy_total_frames(&bud));
	CHECK(buddy_same_lists(initial));
}

TEST(buddy_free_rejects_bad_frees_without_changing_state)
{
	uint64_t before;
	paddr_t pa, pb;

	CHECK_EQ(buddy_init_small(), 0);
	CHECK_EQ(buddy_alloc(&bud, 2, 5, &pa), 0);
	CHECK_EQ(buddy_alloc(&bud, 0, 5, &pb), 0);
	before = buddy_free_frames(&bud);
	CHECK_EQ(buddy_free(&bud, pa + 1, 2), ERR_INVAL);		/* unaligned */
	CHECK_EQ(buddy_free(&bud, pa, 1), ERR_INVAL);			/* wrong order */
	CHECK_EQ(buddy_free(&bud, pa, 3), ERR_INVAL);
	CHECK_EQ(buddy_free(&bud, pa + PAGE_SIZE, 0), ERR_INVAL);	/* middle of a block */
	CHECK_EQ(buddy_free(&bud, pa, BUDDY_MAX_ORDER + 1), ERR_INVAL);
	CHECK_EQ(buddy_free(&bud, 4 * MIB, 0), ERR_RESERVED);
	CHECK_EQ(buddy_free(&bud, bud.meta_pa, 0), ERR_RESERVED);
	CHECK_EQ(buddy_free(&bud, 64 * GIB, 0), ERR_RANGE);
	CHECK_EQ(buddy_free(&bud, 0, 0), ERR_RANGE);
	CHECK_EQ(buddy_free_frames(&bud), before);
	CHECK_EQ(buddy_free(&bud, pb, 0), 0);
	CHECK_EQ(buddy_free(&bud, pb, 0), ERR_DOUBLE_FREE);
	CHECK_EQ(buddy_free(&bud, pa, 2), 0);
	CHECK_EQ(buddy_free(&bud, pa, 2), ERR_DOUBLE_FREE);
	CHECK_EQ(buddy_free(&bud, pa + 2 * PAGE_SIZE, 0), ERR_DOUBLE_FREE);
	CHECK_EQ(buddy_free_frames(&bud), buddy_total_frames(&bud));
}

TEST(buddy_owner_tags_cover_whole_block_and_clear_on_free)
{
	paddr_t pa;

	CHECK_EQ(buddy_init_small(), 0);
	CHECK_EQ(buddy_alloc(&bud, 3, 0x1234, &pa), 0);
	for (unsigned i = 0; i < 8; i++)
		CHECK_EQ(buddy_owner(&bud, pa + i * PAGE_SIZE + 17), 0x1234);
	CHECK_EQ(buddy_owner(&bud, pa + 8 * PAGE_SIZE), BUDDY_OWNER_NONE);
	CHECK_EQ(buddy_owner(&bud, 4 * MIB), BUDDY_OWNER_NONE);
	CHECK_EQ(buddy_owner(&bud, 100 * GIB), BUDDY_OWNER_NONE);
	CHECK_EQ(buddy_free(&bud, pa, 3), 0);
	CHECK_EQ(buddy_owner(&bud, pa), BUDDY_OWNER_NONE);
}

/*
 * buddy_init writes only heads and unusable frames over one zeroing fill:
 * metadata memory full of stale bytes, a hole between two usable entries,
 * frames below the first one. Every frame in the hole or below must still
 * be refused as absent, tails as the middle of a block, and every frame
 * must come back whole.
 */
TEST(buddy_init_over_stale_metadata_marks_holes_and_tails)
{
	static const struct boot_mem_region map[] = {
		{ 1 * MIB, 4 * MIB, BOOT_MEM_USABLE },
		{ 8 * MIB, 9 * MIB, BOOT_MEM_USABLE },
	};
	uint64_t initial[BUDDY_MAX_ORDER + 1];
	paddr_t pa;

	memset(buddy_arena, 0xa5, BUDDY_TEST_ARENA);
	CHECK_EQ(buddy_init(&bud, map, 2, NULL, 0, buddy_test_p2v), 0);
	CHECK_EQ(buddy_total_frames(&bud), (13 * MIB - bud.meta_bytes) / PAGE_SIZE);
	for (uint64_t a = 0; a < 17 * MIB; a += 64 * 1024) {
		bool absent = a < 1 * MIB || (a >= 5 * MIB && a < 8 * MIB);

		if (absent)
			CHECK_EQ(buddy_free(&bud, a, 0), ERR_RANGE);
		CHECK_EQ(buddy_owner(&bud, a), BUDDY_OWNER_NONE);
	}
	CHECK_EQ(buddy_free(&bud, 16 * MIB + PAGE_SIZE, 0), ERR_DOUBLE_FREE);	/* a free tail */
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++)
		initial[o] = bud.free_blocks[o];
	while (buddy_alloc(&bud, 0, 7, &pa) == 0)
		CHECK((pa >= 1 * MIB && pa < 5 * MIB) || (pa >= 8 * MIB && pa < 17 * MIB));
	CHECK_EQ(buddy_free_frames(&bud), 0);
	for (uint64_t a = 1 * MIB; a < 17 * MIB; a += PAGE_SIZE)
		if ((a < 5 * MIB || a >= 8 * MIB) && buddy_owner(&bud, a) == 7)
			CHECK_EQ(buddy_free(&bud, a, 0), 0);
	CHECK_EQ(buddy_free_frames(&bud), buddy_total_frames(&bud));
	CHECK(buddy_same_lists(initial));
}

/* A random map ending below 48 MiB: unaligned, overlapping, mixed types, empty entries. */
static size_t buddy_random_map(struct boot_mem_region *map, struct phys_range *res, size_t *nres)
{
	size_t n = 1 + buddy_rand() % 12;

	for (size_t i = 0; i < n; i++) {
		map[i].base = buddy_rand() % (40 * MIB);
		map[i].len = buddy_rand() % 4 == 0 ? buddy_rand() % 8192 : buddy_rand() % (8 * MIB);
		map[i].type = buddy_rand() % 3 == 0 ? 1 + (uint32_t)(buddy_rand() % 5) : 1;
	}
	*nres = buddy_rand() % 5;
	for (size_t i = 0; i < *nres; i++) {
		res[i].base = buddy_rand() % (46 * MIB);
		res[i].len = buddy_rand() % (2 * MIB);
	}
	return n;
}

TEST(buddy_random_maps_free_exactly_the_pages_the_rules_allow)
{
	static uint8_t usable[48 * MIB / PAGE_SIZE], seen[48 * MIB / PAGE_SIZE];
	struct boot_mem_region map[12];
	struct phys_range res[4];
	size_t n, nres;
	int built = 0;

	for (int iter = 0; iter < 300; iter++) {
		uint64_t expect = 0, got = 0;
		paddr_t pa;
		int err;

		n = buddy_random_map(map, res, &nres);
		for (uint64_t p = 0; p < 48 * MIB / PAGE_SIZE; p++) {
			usable[p] = model_page_usable(map, n, res, nres, p);
			expect += usable[p];
			seen[p] = 0;
		}
		err = buddy_init(&bud, map, n, res, nres, buddy_test_p2v);
		if (err == ERR_NOMEM && expect < 64)
			continue;	/* too little memory for the metadata is a fair refusal */
		CHECK_EQ(err, 0);
		CHECK_EQ(buddy_total_frames(&bud) + bud.meta_bytes / PAGE_SIZE, expect);
		while (buddy_alloc(&bud, (unsigned)(buddy_rand() % 3), 3, &pa) == 0 ||
		       buddy_alloc(&bud, 0, 3, &pa) == 0) {
			uint64_t p = pa / PAGE_SIZE;
			unsigned o = buddy_owner(&bud, pa) == 3 ? bud.frames[p - bud.base_pfn].order : 0;

			for (uint64_t q = p; q < p + (1u << o); q++) {
				CHECK(q < 48 * MIB / PAGE_SIZE && usable[q] && !seen[q]);
				seen[q] = 1;
				got++;
			}
		}
		CHECK_EQ(got, buddy_total_frames(&bud));
		built++;
	}
	CHECK(built > 250);
}

struct buddy_live {
	paddr_t pa;
	unsigned order;
	uint32_t owner;
};

/* Checks one live block against the page shadow, then marks it. */
static bool buddy_shadow_take(uint8_t *shadow, const struct buddy_live *l)
{
	uint64_t p0 = (l->pa - 1 * MIB) / PAGE_SIZE;

	if (l->pa < 1 * MIB || l->pa + (PAGE_SIZE << l->order) > 17 * MIB)
		return false;
	for (uint64_t p = p0; p < p0 + (1u << l->order); p++) {
		if (shadow[p])
			return false;
		shadow[p] = 1;
	}
	return true;
}

static void buddy_shadow_release(uint8_t *shadow, const struct buddy_live *l)
{
	uint64_t p0 = (l->pa - 1 * MIB) / PAGE_SIZE;

	for (uint64_t p = p0; p < p0 + (1u << l->order); p++)
		shadow[p] = 0;
}

TEST(buddy_random_alloc_free_matches_shadow_model)
{
	static struct buddy_live live[4096];	/* static: no leak report when a CHECK fails */
	static uint8_t shadow[16 * MIB / PAGE_SIZE];
	uint64_t initial[BUDDY_MAX_ORDER + 1], used = 0;
	size_t nlive = 0;

	CHECK_EQ(buddy_init_small(), 0);
	memcpy(initial, bud.free_blocks, sizeof(initial));
	memset(shadow, 0, sizeof(shadow));
	for (int step = 0; step < 200000; step++) {
		if (nlive < 4096 && (nlive == 0 || buddy_rand() % 100 < 55)) {
			struct buddy_live *l = &live[nlive];

			l->order = (unsigned)(buddy_rand() % 5);
			l->owner = (uint32_t)(buddy_rand() % 1000) + 1;
			if (buddy_alloc(&bud, l->order, l->owner, &l->pa) != 0)
				continue;
			CHECK(buddy_shadow_take(shadow, l));
			used += 1u << l->order;
			nlive++;
		} else {
			size_t k = buddy_rand() % nlive;

			CHECK_EQ(buddy_owner(&bud, live[k].pa), live[k].owner);
			CHECK_EQ(buddy_free(&bud, live[k].pa, live[k].order), 0);
			buddy_shadow_release(shadow, &live[k]);
			used -= 1u << live[k].order;
			live[k] = live[--nlive];
		}
		CHECK_EQ(buddy_free_frames(&bud) + used, buddy_total_frames(&bud));
	}
	while (nlive > 0) {
		nlive--;
		CHECK_EQ(buddy_free(&bud, live[nlive].pa, live[nlive].order), 0);
	}
	CHECK(buddy_same_lists(initial));
}

int main(void)
{
	buddy_arena = aligned_alloc(PAGE_SIZE, BUDDY_TEST_ARENA);
	if (!buddy_arena)
		return 1;
	RUN(buddy_hostile_map_frees_exactly_the_pages_the_rules_allow);
	RUN(buddy_ignores_and_reports_memory_above_the_physical_cap);
	RUN(buddy_init_rejects_maps_without_room_or_usable_memory);
	RUN(buddy_alloc_returns_blocks_aligned_to_their_size);
	RUN(buddy_alloc_all_then_free_all_coalesces_back_to_initial_blocks);
	RUN(buddy_free_rejects_bad_frees_without_changing_state);
	RUN(buddy_owner_tags_cover_whole_block_and_clear_on_free);
	RUN(buddy_init_over_stale_metadata_marks_holes_and_tails);
	RUN(buddy_random_alloc_free_matches_shadow_model);
	RUN(buddy_random_maps_free_exactly_the_pages_the_rules_allow);
	free(buddy_arena);
	free(buddy_model);
	free(buddy_seen);
	TEST_EXIT();
}
