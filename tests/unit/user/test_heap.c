// SPDX-License-Identifier: MIT
/*
 * The user heap (user/lib/heap.c), run on a host buffer under ASan/UBSan:
 * alignment, no overlap under a random workload checked against a shadow
 * model, merging back to one block, exhaustion, calloc overflow and zeroing,
 * realloc keeping contents, and bad frees reported instead of followed.
 * heap.c poisons free memory and slack for ASan, so a use-after-free or an
 * overflow past the requested size in this test would abort it.
 */
#include "../test.h"
#include "heap.h"

#define TH_SIZE (256 * 1024)
#define TH_SLOTS 512

static _Alignas(16) uint8_t th_mem[TH_SIZE];
static struct heap h;
static int th_corrupt_calls;

static void th_corrupt(const char *why)
{
	(void)why;
	th_corrupt_calls++;
}

static void th_setup(void)
{
	th_corrupt_calls = 0;
	if (heap_init(&h, th_mem, sizeof(th_mem), th_corrupt))
		abort();
}

TEST(init_refuses_tiny_region)
{
	struct heap t;

	CHECK_EQ(heap_init(&t, th_mem, 16, NULL), -1);
	CHECK_EQ(heap_init(&t, NULL, 4096, NULL), -1);
	CHECK_EQ(heap_init(&t, th_mem + 3, 4096, NULL), 0);
	CHECK(((uintptr_t)t.base & 15) == 0);
}

TEST(allocations_are_aligned_and_usable)
{
	size_t n;

	th_setup();
	for (n = 0; n < 300; n += 7) {
		uint8_t *p = heap_alloc(&h, n);

		CHECK(p != NULL);
		CHECK_EQ((uintptr_t)p % HEAP_ALIGN, 0);
		CHECK(heap_usable(p) >= n);
		memset(p, 0x5a, n);
	}
}

static uint64_t th_rand_state = 88172645463325252ull;

static uint64_t th_rand(void)
{
	th_rand_state ^= th_rand_state << 13;
	th_rand_state ^= th_rand_state >> 7;
	th_rand_state ^= th_rand_state << 17;
	return th_rand_state;
}

/* Random alloc/free/realloc; each live block holds its index as a pattern. */
TEST(random_workload_never_overlaps_and_merges_back)
{
	static uint8_t *ptr[TH_SLOTS];
	static size_t len[TH_SLOTS];
	size_t i, j, initial;

	th_setup();
	initial = heap_largest_free(&h);
	for (i = 0; i < 20000; i++) {
		size_t s = th_rand() % TH_SLOTS, n = th_rand() % 2000;

		if (ptr[s]) {
			for (j = 0; j < len[s]; j++)
				CHECK_EQ(ptr[s][j], (uint8_t)s);
		}
		if (ptr[s] && th_rand() % 3 == 0) {
			uint8_t *q = heap_realloc(&h, ptr[s], n);

			if (!q && n == 0)
				ptr[s] = NULL, len[s] = 0;	/* realloc(p, 0) frees p */
			if (!q)
				continue;
			ptr[s] = q;
			len[s] = n < len[s] ? n : len[s];
			memset(q + len[s], (uint8_t)s, n - len[s]);
			len[s] = n;
			continue;
		}
		heap_free(&h, ptr[s]);
		ptr[s] = heap_alloc(&h, n);
		len[s] = ptr[s] ? n : 0;
		if (ptr[s])
			memset(ptr[s], (uint8_t)s, n);
	}
	for (i = 0; i < TH_SLOTS; i++)
		heap_free(&h, ptr[i]);
	CHECK_EQ(h.nalloc, 0);
	CHECK_EQ(h.in_use, 0);
	CHECK_EQ(heap_largest_free(&h), initial);
	CHECK_EQ(th_corrupt_calls, 0);
}

TEST(exhaustion_returns_null_and_recovers)
{
	static void *p[TH_SIZE / 1024 + 1];
	size_t n = 0;

	th_setup();
	CHECK(heap_alloc(&h, TH_SIZE) == NULL);
	CHECK(heap_alloc(&h, (size_t)-1) == NULL);
	while ((p[n] = heap_alloc(&h, 1000)) != NULL)
		n++;
	CHECK(n > 200);
	heap_free(&h, p[n / 2]);
	CHECK(heap_alloc(&h, 1000) == p[n / 2]);
}

TEST(calloc_zeroes_and_refuses_overflow)
{
	uint8_t *p;
	size_t i;

	th_setup();
	p = heap_alloc(&h, 512);
	memset(p, 0xff, 512);
	heap_free(&h, p);
	p = heap_calloc(&h, 64, 8);
	CHECK(p != NULL);
	for (i = 0; i < 512; i++)
		CHECK_EQ(p[i], 0);
	CHECK(heap_calloc(&h, (size_t)1 << 33, (size_t)1 << 33) == NULL);
	CHECK(heap_calloc(&h, 0, 100) != NULL);
}

TEST(realloc_keeps_contents_when_moving)
{
	uint8_t *p, *blocker, *q;
	size_t i;

	th_setup();
	p = heap_alloc(&h, 100);
	blocker = heap_alloc(&h, 16);
	for (i = 0; i < 100; i++)
		p[i] = (uint8_t)i;
	q = heap_realloc(&h, p, 5000);
	CHECK(q != NULL && q != p);
	for (i = 0; i < 100; i++)
		CHECK_EQ(q[i], (uint8_t)i);
	CHECK(heap_realloc(&h, q, 10) == q);
	CHECK(heap_realloc(&h, NULL, 8) != NULL);
	CHECK(heap_realloc(&h, blocker, 0) == NULL);
	CHECK_EQ(th_corrupt_calls, 0);
}

TEST(bad_frees_are_reported_not_followed)
{
	uint8_t *p, *q;
	size_t live;

	th_setup();
	p = heap_alloc(&h, 64);
	q = heap_alloc(&h, 64);
	live = h.nalloc;
	heap_free(&h, p + 16);
	CHECK_EQ(th_corrupt_calls, 1);
	heap_free(&h, th_mem + sizeof(th_mem) + 64);
	CHECK_EQ(th_corrupt_calls, 2);
	heap_free(&h, p);
	heap_free(&h, p);
	CHECK_EQ(th_corrupt_calls, 3);
	CHECK_EQ(h.nalloc, live - 1);
	CHECK(heap_realloc(&h, p, 10) == NULL);
	CHECK_EQ(th_corrupt_calls, 4);
	heap_free(&h, q);
	CHECK_EQ(h.nalloc, 0);
}

int main(void)
{
	RUN(init_refuses_tiny_region);
	RUN(allocations_are_aligned_and_usable);
	RUN(random_workload_never_overlaps_and_merges_back);
	RUN(exhaustion_returns_null_and_recovers);
	RUN(calloc_zeroes_and_refuses_overflow);
	RUN(realloc_keeps_contents_when_moving);
	RUN(bad_frees_are_reported_not_followed);
	TEST_EXIT();
}
