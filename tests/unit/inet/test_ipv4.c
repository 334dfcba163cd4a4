// SPDX-License-Identifier: MIT
/* Tests of lib/inet/ipv4.c: dotted IPv4 text both ways, and what it refuses. */
#include <string.h>

#include "inet/ipv4.h"
#include "test.h"

static int parse(const char *s, uint32_t *a)
{
	return ipv4_parse(s, strlen(s), a);
}

TEST(ipv4_parses_dotted_quads)
{
	uint32_t a = 0;

	CHECK(parse("10.0.2.2", &a) == 0 && a == 0x0a000202u);
	CHECK(parse("0.0.0.0", &a) == 0 && a == 0);
	CHECK(parse("255.255.255.255", &a) == 0 && a == 0xffffffffu);
	CHECK(parse("192.168.001.010", &a) == 0 && a == 0xc0a8010au);
}

TEST(ipv4_refuses_anything_else)
{
	static const char *const bad[] = {
		"", "1", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "1..2.3", ".1.2.3",
		"1.2.3.", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "1.2.3.0004", "1.2.3.-4", "999.1.1.1",
	};
	uint32_t a = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(parse(bad[i], &a) == -1);
	CHECK(a == 7);	/* untouched on failure */
}

TEST(ipv4_parse_honours_the_length)
{
	uint32_t a;

	CHECK(ipv4_parse("10.0.2.15:80", 9, &a) == 0 && a == 0x0a00020fu);
	CHECK(ipv4_parse("10.0.2.15", 8, &a) == 0 && a == 0x0a000201u);
}

TEST(ipv4_formats_every_width)
{
	char out[IPV4_TEXT_MAX];

	CHECK(ipv4_format(0x0a000202u, out) == 8 && strcmp(out, "10.0.2.2") == 0);
	CHECK(ipv4_format(0xffffffffu, out) == 15 && strcmp(out, "255.255.255.255") == 0);
	CHECK(ipv4_format(0, out) == 7 && strcmp(out, "0.0.0.0") == 0);
	CHECK(ipv4_format(0x64096301u, out) == 10 && strcmp(out, "100.9.99.1") == 0);
}

TEST(ipv4_round_trips)
{
	static const uint32_t samples[] = { 1, 0x7f000001u, 0x0a00020fu, 0xc0a80101u, 0x80000000u };
	char out[IPV4_TEXT_MAX];
	uint32_t a;

	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		size_t n = ipv4_format(samples[i], out);

		CHECK(ipv4_parse(out, n, &a) == 0 && a == samples[i]);
	}
}

int main(void)
{
	RUN(ipv4_parses_dotted_quads);
	RUN(ipv4_refuses_anything_else);
	RUN(ipv4_parse_honours_the_length);
	RUN(ipv4_formats_every_width);
	RUN(ipv4_round_trips);
	TEST_EXIT();
}
