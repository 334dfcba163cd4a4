// SPDX-License-Identifier: MIT
/*
 * Tests of lib/crypto/sha256.c against the FIPS 180 examples ("abc", the
 * two-block 448-bit message, a million 'a's) and the empty string, and
 * that feeding a message in pieces of any size gives the same digest.
 */
#include <stdint.h>

#include "crypto/sha256.h"
#include "test.h"

static void hex_of(const uint8_t *d, char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void digest(const void *data, size_t len, char out[65])
{
	struct sha256 s;
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final(&s, d);
	hex_of(d, out);
}

TEST(sha256_fips180_abc)
{
	char h[65];

	digest("abc", 3, h);
	CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(sha256_fips180_two_blocks)
{
	static const char m[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char h[65];

	digest(m, sizeof(m) - 1, h);
	CHECK_STR(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(sha256_empty)
{
	char h[65];

	digest("", 0, h);
	CHECK_STR(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(sha256_fips180_million_a)
{
	static uint8_t a[1000];
	struct sha256 s;
	uint8_t d[SHA256_DIGEST_SIZE];
	char h[65];

	memset(a, 'a', sizeof(a));
	sha256_init(&s);
	for (int i = 0; i < 1000; i++)
		sha256_update(&s, a, sizeof(a));
	sha256_final(&s, d);
	hex_of(d, h);
	CHECK_STR(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(sha256_pieces_match_whole)
{
	static uint8_t m[300];
	char whole[65], cut[65];

	for (size_t i = 0; i < sizeof(m); i++)
		m[i] = (uint8_t)(i * 7 + 3);
	digest(m, sizeof(m), whole);
	for (size_t step = 1; step < 130; step += 13) {
		struct sha256 s;
		uint8_t d[SHA256_DIGEST_SIZE];

		sha256_init(&s);
		for (size_t off = 0; off < sizeof(m); off += step)
			sha256_update(&s, m + off, off + step > sizeof(m) ? sizeof(m) - off : step);
		sha256_final(&s, d);
		hex_of(d, cut);
		CHECK_STR(cut, whole);
	}
}

int main(void)
{
	RUN(sha256_fips180_abc);
	RUN(sha256_fips180_two_blocks);
	RUN(sha256_empty);
	RUN(sha256_fips180_million_a);
	RUN(sha256_pieces_match_whole);
	TEST_EXIT();
}
