// SPDX-License-Identifier: MIT
/*
 * kernel/lib/irqoff_stat.h: a window's length is close minus open; only the
 * longest is kept with its places; a second open or a stray close changes
 * nothing; the per-place table keeps each place's longest and, when full,
 * gives way to a longer window from a new place.
 */
#include "lib/irqoff_stat.h"
#include "test.h"

static struct irqoff_stat s;

static void window(uint64_t from, uint64_t to, uint64_t site, uint64_t end)
{
	irqoff_stat_open(&s, from, site);
	irqoff_stat_close(&s, to, end);
}

static const struct irqoff_site_max *entry_of(uint64_t site)
{
	for (unsigned i = 0; i < IRQOFF_TOP; i++)
		if (s.top[i].site == site)
			return &s.top[i];
	return NULL;
}

TEST(longest_window_and_its_places)
{
	memset(&s, 0, sizeof(s));
	window(100, 150, 0xa, 0xb);
	window(200, 1200, 0xc, 0xd);
	window(1300, 1310, 0xe, 0xf);
	CHECK_EQ(s.max, 1000);
	CHECK_EQ(s.max_site, 0xc);
	CHECK_EQ(s.max_end, 0xd);
	CHECK_EQ(s.windows, 3);
	CHECK(!irqoff_stat_is_open(&s));
}

TEST(open_twice_keeps_the_first_place_and_time)
{
	memset(&s, 0, sizeof(s));
	irqoff_stat_open(&s, 10, 0x1);
	irqoff_stat_open(&s, 500, 0x2);
	irqoff_stat_close(&s, 1010, 0x3);
	CHECK_EQ(s.max, 1000);
	CHECK_EQ(s.max_site, 0x1);
	irqoff_stat_close(&s, 9999, 0x4);	/* stray: nothing open */
	CHECK_EQ(s.max, 1000);
	CHECK_EQ(s.windows, 1);
}

TEST(an_open_at_cycle_zero_still_counts)
{
	memset(&s, 0, sizeof(s));
	irqoff_stat_open(&s, 0, 0x1);
	CHECK(irqoff_stat_is_open(&s));
	irqoff_stat_close(&s, 101, 0x2);
	CHECK_EQ(s.max, 100);
}

TEST(a_clock_that_went_back_counts_zero)
{
	memset(&s, 0, sizeof(s));
	window(500, 400, 0x1, 0x2);
	CHECK_EQ(s.max, 0);
	CHECK_EQ(s.windows, 1);
}

TEST(each_place_keeps_its_longest)
{
	memset(&s, 0, sizeof(s));
	window(0, 30, 0x1, 0x10);
	window(100, 120, 0x1, 0x11);
	window(200, 250, 0x1, 0x12);
	window(300, 310, 0x2, 0x20);
	CHECK_EQ(entry_of(0x1)->len, 50);
	CHECK_EQ(entry_of(0x1)->end, 0x12);
	CHECK_EQ(entry_of(0x2)->len, 10);
}

TEST(a_full_table_gives_way_to_a_longer_window_only)
{
	memset(&s, 0, sizeof(s));
	for (unsigned i = 0; i < IRQOFF_TOP; i++)
		window(1000 * i, 1000 * i + 100 + i, 0x100 + i, 0x1);	/* 0x100 is the shortest */
	window(50000, 50050, 0x999, 0x1);	/* shorter than all: dropped */
	CHECK(entry_of(0x999) == NULL);
	window(60000, 60500, 0x777, 0x1);	/* longer: takes the shortest one's place */
	CHECK_EQ(entry_of(0x777)->len, 500);
	CHECK(entry_of(0x100) == NULL);
	for (unsigned i = 1; i < IRQOFF_TOP; i++)
		CHECK(entry_of(0x100 + i) != NULL);
}

TEST(reset_forgets_the_longest_but_not_an_open_window)
{
	memset(&s, 0, sizeof(s));
	window(0, 100, 0x1, 0x2);
	irqoff_stat_open(&s, 200, 0x3);
	irqoff_stat_reset(&s);
	CHECK_EQ(s.max, 0);
	CHECK(entry_of(0x1) == NULL);
	irqoff_stat_close(&s, 260, 0x4);
	CHECK_EQ(s.max, 60);
	CHECK_EQ(s.max_site, 0x3);
}

int main(void)
{
	RUN(longest_window_and_its_places);
	RUN(open_twice_keeps_the_first_place_and_time);
	RUN(an_open_at_cycle_zero_still_counts);
	RUN(a_clock_that_went_back_counts_zero);
	RUN(each_place_keeps_its_longest);
	RUN(a_full_table_gives_way_to_a_longer_window_only);
	RUN(reset_forgets_the_longest_but_not_an_open_window);
	return test_failures ? 1 : 0;
}
