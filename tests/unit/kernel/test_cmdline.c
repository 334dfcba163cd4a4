// SPDX-License-Identifier: MIT
/* Tests kernel/lib/cmdline.c. */
#include "lib/cmdline.h"
#include "../test.h"

TEST(cmdline_finds_key_with_value)
{
	char buf[16];

	CHECK(cmdline_get("console=ttyS0 test=frames quiet", "test", buf, sizeof(buf)));
	CHECK_STR(buf, "frames");
}

TEST(cmdline_bare_key_reads_empty)
{
	char buf[16] = "x";

	CHECK(cmdline_get("a=1 quiet b=2", "quiet", buf, sizeof(buf)));
	CHECK_STR(buf, "");
}

TEST(cmdline_prefix_of_other_key_does_not_match)
{
	char buf[16];

	CHECK(!cmdline_get("testing=1 tes=2", "test", buf, sizeof(buf)));
	CHECK(cmdline_get("testing=1 tes=2", "tes", buf, sizeof(buf)));
	CHECK_STR(buf, "2");
}

TEST(cmdline_truncates_long_values)
{
	char buf[4];

	CHECK(cmdline_get("k=abcdefgh", "k", buf, sizeof(buf)));
	CHECK_STR(buf, "abc");
}

TEST(cmdline_handles_empty_and_spaces)
{
	char buf[4];

	CHECK(!cmdline_get("", "k", buf, sizeof(buf)));
	CHECK(!cmdline_get("     ", "k", buf, sizeof(buf)));
	CHECK(cmdline_get("   k=1   ", "k", buf, sizeof(buf)));
	CHECK_STR(buf, "1");
}

TEST(cmdline_u64_parses_and_rejects)
{
	CHECK_EQ(cmdline_get_u64("m=8000", "m", 7), 8000);
	CHECK_EQ(cmdline_get_u64("m=80x0", "m", 7), 7);
	CHECK_EQ(cmdline_get_u64("m=", "m", 7), 7);
	CHECK_EQ(cmdline_get_u64("n=1", "m", 7), 7);
	CHECK_EQ(cmdline_get_u64("m=99999999999999999999999", "m", 7), 7);
	CHECK(cmdline_get_u64("m=18446744073709551615", "m", 7) == UINT64_MAX);
}

int main(void)
{
	RUN(cmdline_finds_key_with_value);
	RUN(cmdline_bare_key_reads_empty);
	RUN(cmdline_prefix_of_other_key_does_not_match);
	RUN(cmdline_truncates_long_values);
	RUN(cmdline_handles_empty_and_spaces);
	RUN(cmdline_u64_parses_and_rejects);
	TEST_EXIT();
}
