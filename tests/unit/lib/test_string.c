// SPDX-License-Identifier: MIT
/*
 * Tests for kernel/lib/string.c against libc. The kernel file is compiled with
 * its functions renamed (kstr_*, see tests/unit/lib/rules.mk) so both live in
 * one program; every size and alignment up to 80 bytes is compared, including
 * overlapping memmove in both directions.
 */
#include <stdint.h>
#include <string.h>

#include "test.h"

void *kstr_memcpy(void *restrict dst, const void *restrict src, size_t n);
void *kstr_memmove(void *dst, const void *src, size_t n);
void *kstr_memset(void *dst, int c, size_t n);
int kstr_memcmp(const void *a, const void *b, size_t n);
size_t kstr_strlen(const char *s);
size_t kstr_strnlen(const char *s, size_t max);
int kstr_strncmp(const char *a, const char *b, size_t n);

static unsigned char src_buf[256], got[256], want[256];

static void fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 31 + seed * 7 + 1);
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

TEST(string_memcpy_matches_libc_for_all_sizes_and_offsets)
{
	fill_pattern(src_buf, sizeof(src_buf), 1);
	for (size_t off = 0; off < 8; off++) {
		for (size_t n = 0; n <= 80; n++) {
			memset(got, 0xaa, sizeof(got));
			memset(want, 0xaa, sizeof(want));
			CHECK(kstr_memcpy(got + off, src_buf + 3, n) == got + off);
			memcpy(want + off, src_buf + 3, n);
			CHECK(memcmp(got, want, sizeof(got)) == 0);
		}
	}
}

TEST(string_memset_fills_exactly_n_bytes_with_low_byte_of_c)
{
	for (size_t off = 0; off < 8; off++) {
		for (size_t n = 0; n <= 80; n++) {
			memset(got, 0x11, sizeof(got));
			memset(want, 0x11, sizeof(want));
			CHECK(kstr_memset(got + off, 0x1ab, n) == got + off);
			memset(want + off, 0xab, n);
			CHECK(memcmp(got, want, sizeof(got)) == 0);
		}
	}
}

TEST(string_memmove_handles_overlap_in_both_directions)
{
	for (int delta = -9; delta <= 9; delta++) {
		for (size_t n = 0; n <= 80; n++) {
			fill_pattern(got, sizeof(got), (unsigned)n);
			fill_pattern(want, sizeof(want), (unsigned)n);
			CHECK(kstr_memmove(got + 64 + delta, got + 64, n) == got + 64 + delta);
			memmove(want + 64 + delta, want + 64, n);
			CHECK(memcmp(got, want, sizeof(got)) == 0);
		}
	}
}

TEST(string_memcmp_orders_bytes_as_unsigned)
{
	unsigned char a[4] = { 1, 2, 0x80, 4 }, b[4] = { 1, 2, 0x7f, 4 };

	CHECK_EQ(kstr_memcmp(a, b, 2), 0);
	CHECK_EQ(kstr_memcmp(a, b, 4), 1);
	CHECK_EQ(kstr_memcmp(b, a, 4), -1);
	CHECK_EQ(kstr_memcmp(a, b, 0), 0);
	for (int i = 0; i < 1000; i++) {
		unsigned char x[8], y[8];

		fill_pattern(x, 8, (unsigned)i);
		fill_pattern(y, 8, (unsigned)(i / 3));
		CHECK_EQ(sign(kstr_memcmp(x, y, 8)), sign(memcmp(x, y, 8)));
	}
}

TEST(string_strlen_and_strnlen_stop_at_nul_or_bound)
{
	CHECK_EQ(kstr_strlen(""), 0);
	CHECK_EQ(kstr_strlen("capOS"), 5);
	CHECK_EQ(kstr_strnlen("capOS", 3), 3);
	CHECK_EQ(kstr_strnlen("capOS", 99), 5);
	CHECK_EQ(kstr_strnlen("", 0), 0);
}

TEST(string_strncmp_compares_at_most_n_and_stops_at_nul)
{
	CHECK_EQ(kstr_strncmp("abc", "abd", 2), 0);
	CHECK_EQ(kstr_strncmp("abc", "abd", 3), -1);
	CHECK_EQ(kstr_strncmp("abd", "abc", 3), 1);
	CHECK_EQ(kstr_strncmp("ab", "ab\0x", 10), 0);
	CHECK_EQ(kstr_strncmp("ab", "abc", 10), -1);
	CHECK_EQ(kstr_strncmp("\xff", "a", 1), 1);
	CHECK_EQ(kstr_strncmp("x", "y", 0), 0);
}

int main(void)
{
	RUN(string_memcpy_matches_libc_for_all_sizes_and_offsets);
	RUN(string_memset_fills_exactly_n_bytes_with_low_byte_of_c);
	RUN(string_memmove_handles_overlap_in_both_directions);
	RUN(string_memcmp_orders_bytes_as_unsigned);
	RUN(string_strlen_and_strnlen_stop_at_nul_or_bound);
	RUN(string_strncmp_compares_at_most_n_and_stops_at_nul);
	TEST_EXIT();
}
