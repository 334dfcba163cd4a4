// SPDX-License-Identifier: MIT
/*
 * Tests of lib/crypto/csprng.c: a request's output is ChaCha20's key
 * stream under the key from byte 32 on, and bytes 0..31 become the next
 * key (fast key erasure), for short, block-crossing and multi-chunk
 * requests and for n = 0; consecutive outputs differ; mixing is the
 * documented absorb (key ^ chunk through ChaCha20 with the mix nonce), 32
 * bytes at a time; generators seeded differently diverge, equally seeded
 * agree; a megabyte of output has evenly spread byte values.
 */
#include <stdint.h>

#include "crypto/csprng.h"
#include "test.h"

static const uint8_t zero_nonce[12];
static const uint8_t mix_nonce[12] = "capOS mix";

/* Key stream of `key` (nonce 0) from byte 0, n bytes. */
static void stream(const uint8_t key[32], uint8_t *out, size_t n)
{
	memset(out, 0, n);
	chacha20_xor(key, 0, zero_nonce, out, out, n);
}

TEST(csprng_output_is_key_stream_after_the_next_key)
{
	static const size_t sizes[] = { 0, 1, 31, 32, 33, 100, 4000, CSPRNG_OUT_MAX };
	static uint8_t ks[CSPRNG_OUT_MAX + 32], out[CSPRNG_OUT_MAX];

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct csprng g;
		uint8_t key0[32];
		size_t n = sizes[k];

		csprng_init(&g);
		csprng_mix(&g, "seed", 4);
		memcpy(key0, g.key, 32);
		stream(key0, ks, n + 32);
		csprng_generate(&g, out, n);
		CHECK(memcmp(out, ks + 32, n) == 0);
		CHECK(memcmp(g.key, ks, 32) == 0);	/* the old key is gone */
	}
}

TEST(csprng_long_request_rekeys_every_chunk)
{
	static uint8_t out[2 * CSPRNG_OUT_MAX + 10], ks[CSPRNG_OUT_MAX + 32];
	struct csprng g;
	uint8_t key[32];

	csprng_init(&g);
	csprng_mix(&g, "long", 4);
	memcpy(key, g.key, 32);
	csprng_generate(&g, out, sizeof(out));
	for (size_t off = 0; off < sizeof(out); off += CSPRNG_OUT_MAX) {
		size_t n = sizeof(out) - off < CSPRNG_OUT_MAX ? sizeof(out) - off : CSPRNG_OUT_MAX;

		stream(key, ks, n + 32);
		CHECK(memcmp(out + off, ks + 32, n) == 0);
		memcpy(key, ks, 32);
	}
	CHECK(memcmp(g.key, key, 32) == 0);
}

TEST(csprng_consecutive_outputs_differ)
{
	struct csprng g;
	uint8_t a[32], b[32], k1[32];

	csprng_init(&g);
	csprng_mix(&g, "x", 1);
	csprng_generate(&g, a, sizeof(a));
	memcpy(k1, g.key, 32);
	csprng_generate(&g, b, sizeof(b));
	CHECK(memcmp(a, b, 32) != 0);
	CHECK(memcmp(k1, g.key, 32) != 0);
	csprng_generate(&g, NULL, 0);	/* n = 0 still replaces the key */
	CHECK(memcmp(k1, g.key, 32) != 0);
}

TEST(csprng_mix_is_the_documented_absorb)
{
	struct csprng g;
	uint8_t data[40], want[32], block[64];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i + 1);
	csprng_init(&g);
	csprng_mix(&g, data, sizeof(data));
	/* Two chunks: 32 bytes, then 8 bytes padded with zeros. */
	memset(want, 0, 32);
	for (int i = 0; i < 32; i++)
		want[i] ^= data[i];
	chacha20_block(want, 0, mix_nonce, block);
	memcpy(want, block, 32);
	for (int i = 0; i < 8; i++)
		want[i] ^= data[32 + i];
	chacha20_block(want, 0, mix_nonce, block);
	CHECK(memcmp(g.key, block, 32) == 0);
	/* Empty input still stirs the key once. */
	memcpy(want, g.key, 32);
	chacha20_block(want, 0, mix_nonce, block);
	csprng_mix(&g, NULL, 0);
	CHECK(memcmp(g.key, block, 32) == 0);
}

TEST(csprng_seeds_decide_the_output)
{
	struct csprng a, b, c;
	uint8_t oa[64], ob[64], oc[64];

	csprng_init(&a);
	csprng_init(&b);
	csprng_init(&c);
	csprng_mix(&a, "same seed", 9);
	csprng_mix(&b, "same seed", 9);
	csprng_mix(&c, "same seeD", 9);
	csprng_generate(&a, oa, 64);
	csprng_generate(&b, ob, 64);
	csprng_generate(&c, oc, 64);
	CHECK(memcmp(oa, ob, 64) == 0);
	CHECK(memcmp(oa, oc, 64) != 0);
}

TEST(csprng_bytes_are_evenly_spread)
{
	static uint8_t buf[1 << 20];
	uint32_t count[256] = { 0 };
	struct csprng g;
	double chi = 0;

	csprng_init(&g);
	csprng_mix(&g, "spread", 6);
	csprng_generate(&g, buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		count[buf[i]]++;
	for (int v = 0; v < 256; v++) {
		double d = (double)count[v] - (double)sizeof(buf) / 256;

		chi += d * d / ((double)sizeof(buf) / 256);
	}
	/* 255 degrees of freedom: p = 0.001 lies at about 330. */
	CHECK(chi < 330);
}

int main(void)
{
	RUN(csprng_output_is_key_stream_after_the_next_key);
	RUN(csprng_long_request_rekeys_every_chunk);
	RUN(csprng_consecutive_outputs_differ);
	RUN(csprng_mix_is_the_documented_absorb);
	RUN(csprng_seeds_decide_the_output);
	RUN(csprng_bytes_are_evenly_spread);
	TEST_EXIT();
}
