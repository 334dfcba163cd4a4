// SPDX-License-Identifier: MIT
/* kernel/lib/byte_ring.h: FIFO order, wrap-around, overflow drops the newest and counts. */
#include "lib/byte_ring.h"
#include "test.h"

static uint8_t store[8];
static struct byte_ring r;

TEST(bytes_come_out_in_order)
{
	uint8_t out[8];

	byte_ring_init(&r, store, sizeof(store));
	CHECK_EQ(byte_ring_put(&r, (const uint8_t *)"abc", 3), 3);
	CHECK_EQ(byte_ring_len(&r), 3);
	CHECK_EQ(byte_ring_take(&r, out, 2), 2);
	CHECK(memcmp(out, "ab", 2) == 0);
	CHECK_EQ(byte_ring_take(&r, out, 8), 1);
	CHECK_EQ(out[0], 'c');
	CHECK_EQ(byte_ring_take(&r, out, 8), 0);
}

TEST(wraps_around_the_array)
{
	uint8_t out[8];

	byte_ring_init(&r, store, sizeof(store));
	for (int round = 0; round < 100; round++) {
		CHECK_EQ(byte_ring_put(&r, (const uint8_t *)"12345", 5), 5);
		CHECK_EQ(byte_ring_take(&r, out, 5), 5);
		CHECK(memcmp(out, "12345", 5) == 0);
	}
	CHECK_EQ(r.dropped, 0);
}

TEST(counters_wrap_past_2_to_32)
{
	uint8_t out[8];

	byte_ring_init(&r, store, sizeof(store));
	r.head = r.tail = UINT32_MAX - 2;
	CHECK_EQ(byte_ring_put(&r, (const uint8_t *)"wxyz", 4), 4);
	CHECK_EQ(byte_ring_len(&r), 4);
	CHECK_EQ(byte_ring_take(&r, out, 8), 4);
	CHECK(memcmp(out, "wxyz", 4) == 0);
}

TEST(overflow_drops_the_newest_and_counts_them)
{
	uint8_t out[8];

	byte_ring_init(&r, store, sizeof(store));
	CHECK_EQ(byte_ring_put(&r, (const uint8_t *)"0123456789", 10), 8);
	CHECK_EQ(r.dropped, 2);
	CHECK_EQ(byte_ring_put(&r, (const uint8_t *)"x", 1), 0);
	CHECK_EQ(r.dropped, 3);
	CHECK_EQ(byte_ring_take(&r, out, 8), 8);
	CHECK(memcmp(out, "01234567", 8) == 0);	/* the oldest kept whole */
}

int main(void)
{
	RUN(bytes_come_out_in_order);
	RUN(wraps_around_the_array);
	RUN(counters_wrap_past_2_to_32);
	RUN(overflow_drops_the_newest_and_counts_them);
	return test_failures ? 1 : 0;
}
