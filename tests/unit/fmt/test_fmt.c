// SPDX-License-Identifier: MIT
/*
 * Tests for lib/fmt: a table of fixed cases with known output, the documented
 * differences from libc (%p, NULL strings, unknown conversions, truncation),
 * and a randomized comparison with the host libc's snprintf over every
 * supported combination of flags, width, precision, '*' and length modifier.
 */
#include <stdint.h>
#include <stdio.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "fmt/fmt.h"
#include "test.h"

static char got[1024], want[1024];

/* Formats with both implementations; fails the test on any difference. */
#define FMT_SAME(...)                                                                      \
	do {                                                                               \
		int rw_ = snprintf(want, sizeof(want), __VA_ARGS__);                       \
		int rg_ = fmt_snprintf(got, sizeof(got), __VA_ARGS__);                     \
		CHECK_STR(got, want);                                                      \
		CHECK_EQ(rg_, rw_);                                                        \
	} while (0)

#define FMT_IS(expect, ...)                                                                \
	do {                                                                               \
		int rg_ = fmt_snprintf(got, sizeof(got), __VA_ARGS__);                     \
		CHECK_STR(got, expect);                                                    \
		CHECK_EQ(rg_, (int)strlen(expect));                                        \
	} while (0)

TEST(fmt_integers_match_libc_for_table_of_cases)
{
	FMT_SAME("%d %i %u", 0, -1, 4000000000u);
	FMT_SAME("%d %d", INT_MIN, INT_MAX);
	FMT_SAME("%lld %llu", LLONG_MIN, ULLONG_MAX);
	FMT_SAME("%ld %lu %lx", LONG_MIN, ULONG_MAX, ULONG_MAX);
	FMT_SAME("[%5d][%-5d][%05d][%+d][% d][%+ d]", 42, 42, 42, 42, 42, 42);
	FMT_SAME("[% 05d][%+05d][%-05d][%05d]", -7, 7, 7, -7);
	FMT_SAME("[%.0d][%.0x][%5.0d][%.3d][%8.3d][%-8.3d][%08.3d]", 0, 0, 0, 7, -7, 7, 7);
	FMT_SAME("[%x][%X][%#x][%#X][%#x][%#010x][%#.5x]", 0xbeefu, 0xbeefu, 255u, 255u, 0u,
		 255u, 255u);
	FMT_SAME("[%o][%#o][%#o][%#.0o][%#.3o][%#5o]", 8u, 8u, 0u, 0u, 8u, 8u);
	FMT_SAME("[%hhd][%hhu][%hd][%hu][%hhx]", 300, -1, 70000, -1, 0x1ff);
	FMT_SAME("[%zu][%zd][%zx][%td][%jd][%ju]", (size_t)-1, (ssize_t)-5, (size_t)0xabc,
		 (ptrdiff_t)-9, INTMAX_MIN, UINTMAX_MAX);
	FMT_SAME("[%*d][%-*d][%*d][%.*d][%.*d][%*.*d]", 6, 1, 6, 2, -6, 3, 4, 5, -1, 6, 7, 3, 8);
}

TEST(fmt_chars_strings_and_percent_match_libc)
{
	FMT_SAME("[%c][%3c][%-3c][%05c]", 'a', 'b', 'c', 'd');
	FMT_SAME("[%s][%8s][%-8s][%.2s][%8.2s][%-8.2s][%.0s][%05s]", "capOS", "cap", "cap",
		 "capOS", "capOS", "capOS", "capOS", "ab");
	FMT_SAME("[%%][%d%%][%s]", 5, "");
	FMT_SAME("plain text without conversions");
	FMT_SAME("%s", "");
}

TEST(fmt_pointer_prints_0x_and_16_hex_digits)
{
	FMT_IS("0x0000000000000000", "%p", (void *)0);
	FMT_IS("0xffff800000001000", "%p", (void *)0xffff800000001000ull);
	FMT_IS("[  0x00000000000000ff]", "[%20p]", (void *)0xff);
	FMT_IS("[0x00000000000000ff  ]", "[%-20p]", (void *)0xff);
	FMT_IS("0x000000000000abcd", "%#+08p", (void *)0xabcd);
}

TEST(fmt_null_string_prints_null_marker_cut_by_precision)
{
	const char *null_str = NULL;

	FMT_IS("(null)", "%s", null_str);
	FMT_IS("[  (null)]", "[%8s]", null_str);
	FMT_IS("(nu", "%.3s", null_str);
}

TEST(fmt_string_precision_never_reads_past_the_limit)
{
	char unterminated[3] = { 'a', 'b', 'c' };

	FMT_IS("abc", "%.3s", unterminated);
	FMT_IS("ab", "%.*s", 2, unterminated);
}

TEST(fmt_unknown_conversion_is_printed_verbatim)
{
	FMT_IS("%y", "%y");
	FMT_IS("a%-5.3qb", "a%-5.3qb");
	FMT_IS("n=%n", "n=%n");
	FMT_IS("x%", "x%");
	FMT_IS("x%5", "x%5");
	FMT_IS("%f 3", "%f %d", 3);
}

TEST(fmt_snprintf_truncates_terminates_and_returns_full_length)
{
	char small[6];

	memset(small, 'Z', sizeof(small));
	CHECK_EQ(fmt_snprintf(small, sizeof(small), "%s-%d", "hello", 12345), 11);
	CHECK_STR(small, "hello");
	CHECK_EQ(fmt_snprintf(small, 1, "%d", 7), 1);
	CHECK_EQ(small[0], '\0');
	CHECK_EQ(fmt_snprintf(NULL, 0, "%08x", 1u), 8);
}

TEST(fmt_huge_width_and_precision_are_capped_not_overflowed)
{
	CHECK_EQ(fmt_snprintf(NULL, 0, "%99999999999d", 1), FMT_MAX_WIDTH);
	CHECK_EQ(fmt_snprintf(NULL, 0, "%.99999999999d", 1), FMT_MAX_WIDTH);
	CHECK_EQ(fmt_snprintf(NULL, 0, "%*d", INT_MIN, 1), FMT_MAX_WIDTH);
	CHECK_EQ(fmt_snprintf(NULL, 0, "%.*d", INT_MIN, 1), 1);
}

struct fmt_count_ctx {
	size_t calls;
	size_t chars;
};

static void fmt_count_sink(void *ctx, const char *s, size_t n)
{
	struct fmt_count_ctx *c = ctx;

	(void)s;
	c->calls++;
	c->chars += n;
}

static int fmt_count(struct fmt_count_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(fmt_count_sink, c, fmt, ap);
	va_end(ap);
	return n;
}

TEST(fmt_vformat_sends_every_character_to_the_sink_once)
{
	struct fmt_count_ctx c = { 0, 0 };

	CHECK_EQ(fmt_count(&c, "ab%dcd%40s", 123, "x"), 47);
	CHECK_EQ(c.chars, 47);
	CHECK(c.calls > 0);
}

/* Random comparison with libc. */

static uint64_t fmt_rng = 0x9e3779b97f4a7c15ull;

static uint64_t fmt_rand(void)
{
	fmt_rng ^= fmt_rng << 13;
	fmt_rng ^= fmt_rng >> 7;
	fmt_rng ^= fmt_rng << 17;
	return fmt_rng;
}

static const char *const fmt_lens[] = { "", "hh", "h", "l", "ll", "z", "t", "j" };

/* Builds "%<flags><width><.prec><len><conv>"; returns which '*' it used. */
static void fmt_random_spec(char *spec, char conv, int len, bool *star_w, bool *star_p)
{
	static const char flags[] = "-+ 0#";
	char *p = spec;

	*p++ = '%';
	for (int i = 0; i < 5; i++) {
		bool ok = flags[i] != '#' || conv == 'o' || conv == 'x' || conv == 'X';

		if (ok && flags[i] != '0' && fmt_rand() % 4 == 0)
			*p++ = flags[i];
		if (flags[i] == '0' && conv != 's' && conv != 'c' && fmt_rand() % 4 == 0)
			*p++ = '0';
	}
	*star_w = fmt_rand() % 5 == 0;
	if (*star_w)
		*p++ = '*';
	else if (fmt_rand() % 2)
		p += sprintf(p, "%d", (int)(fmt_rand() % 25));
	*star_p = conv != 'c' && fmt_rand() % 5 == 0;
	if (*star_p)
		p += sprintf(p, ".*");
	else if (conv != 'c' && fmt_rand() % 2)
		p += sprintf(p, ".%d", (int)(fmt_rand() % 25));
	p += sprintf(p, "%s%c", fmt_lens[len], conv);
	*p = '\0';
}

/* Calls both formatters with the '*' arguments the spec uses, then val. */
#define FMT_RANDOM_CALL(spec, sw, sp, w, pr, val)                                          \
	do {                                                                               \
		if (sw && sp)                                                              \
			FMT_SAME(spec, w, pr, val);                                        \
		else if (sw)                                                               \
			FMT_SAME(spec, w, val);                                            \
		else if (sp)                                                               \
			FMT_SAME(spec, pr, val);                                           \
		else                                                                       \
			FMT_SAME(spec, val);                                               \
	} while (0)

static void fmt_random_int(const char *spec, bool sw, bool sp, int w, int pr, int len, uint64_t v)
{
	switch (len) {
	case 0: case 1: case 2: FMT_RANDOM_CALL(spec, sw, sp, w, pr, (int)v); break;
	case 3: FMT_RANDOM_CALL(spec, sw, sp, w, pr, (long)v); break;
	case 4: FMT_RANDOM_CALL(spec, sw, sp, w, pr, (long long)v); break;
	case 5: FMT_RANDOM_CALL(spec, sw, sp, w, pr, (size_t)v); break;
	case 6: FMT_RANDOM_CALL(spec, sw, sp, w, pr, (ptrdiff_t)v); break;
	default: FMT_RANDOM_CALL(spec, sw, sp, w, pr, (intmax_t)v); break;
	}
}

static uint64_t fmt_random_value(void)
{
	static const uint64_t edges[] = { 0, 1, 7, 8, 9, 10, 15, 16, 127, 128, 255, 256,
		0x7fffffff, 0x80000000, 0xffffffff, 0x7fffffffffffffffull,
		0x8000000000000000ull, ~0ull };
	uint64_t r = fmt_rand();

	if (r % 3 == 0)
		return edges[(r >> 8) % (sizeof(edges) / sizeof(edges[0]))];
	return fmt_rand() >> (fmt_rand() % 64);
}

TEST(fmt_random_integer_conversions_match_libc)
{
	static const char convs[] = "diuxXo";
	char spec[64];
	bool sw, sp;

	for (int i = 0; i < 20000; i++) {
		char conv = convs[fmt_rand() % 6];
		int len = (int)(fmt_rand() % 8);
		int w = (int)(fmt_rand() % 50) - 25, pr = (int)(fmt_rand() % 40) - 10;

		fmt_random_spec(spec, conv, len, &sw, &sp);
		fmt_random_int(spec, sw, sp, w, pr, len, fmt_random_value());
		if (test_failed_at) {
			snprintf(test_why, sizeof(test_why), "spec %s: got [%s] want [%s]", spec,
				 got, want);
			return;
		}
	}
}

TEST(fmt_random_string_and_char_conversions_match_libc)
{
	static const char *const strs[] = { "", "a", "capOS", "hello, world", "0123456789abcdef" };
	char spec[64];
	bool sw, sp;

	for (int i = 0; i < 5000; i++) {
		char conv = fmt_rand() % 2 ? 's' : 'c';
		int w = (int)(fmt_rand() % 50) - 25, pr = (int)(fmt_rand() % 30) - 5;

		const char *str = strs[fmt_rand() % 5];
		int ch = (int)(fmt_rand() % 94) + 33;

		fmt_random_spec(spec, conv, 0, &sw, &sp);
		if (conv == 's')
			FMT_RANDOM_CALL(spec, sw, sp, w, pr, str);
		else
			FMT_RANDOM_CALL(spec, sw, sp, w, pr, ch);
		if (test_failed_at) {
			snprintf(test_why, sizeof(test_why), "spec %s: got [%s] want [%s]", spec,
				 got, want);
			return;
		}
	}
}

int main(void)
{
	RUN(fmt_integers_match_libc_for_table_of_cases);
	RUN(fmt_chars_strings_and_percent_match_libc);
	RUN(fmt_pointer_prints_0x_and_16_hex_digits);
	RUN(fmt_null_string_prints_null_marker_cut_by_precision);
	RUN(fmt_string_precision_never_reads_past_the_limit);
	RUN(fmt_unknown_conversion_is_printed_verbatim);
	RUN(fmt_snprintf_truncates_terminates_and_returns_full_length);
	RUN(fmt_huge_width_and_precision_are_capped_not_overflowed);
	RUN(fmt_vformat_sends_every_character_to_the_sink_once);
	RUN(fmt_random_integer_conversions_match_libc);
	RUN(fmt_random_string_and_char_conversions_match_libc);
	TEST_EXIT();
}
