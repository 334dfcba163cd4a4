// SPDX-License-Identifier: MIT
/*
 * Tests of lib/crypto/chacha20.c against RFC 8439: the quarter round
 * (2.1.1) and on a state (2.2.1), the block function (2.3.2), the
 * encryption of "Ladies and Gentlemen..." (2.4.2) and the block test
 * vectors of appendix A.1 (#1 to #5). The same vectors come out of
 * OpenSSL's ChaCha20 (`openssl enc -chacha20`, iv = counter LE || nonce).
 * Also: decryption is encryption, a stream cut at any point matches the
 * whole, and in-place works.
 */
#include <stdint.h>

#include "crypto/chacha20.h"
#include "test.h"

static void hex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		sscanf(s + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static const uint8_t key_seq[32] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

TEST(chacha20_quarter_round_rfc8439_2_1_1)
{
	uint32_t a = 0x11111111, b = 0x01020304, c = 0x9b8d6f43, d = 0x01234567;

	chacha20_quarter_round(&a, &b, &c, &d);
	CHECK(a == 0xea2a92f4 && b == 0xcb1cf8ce && c == 0x4581472e && d == 0x5881c4bb);
}

TEST(chacha20_quarter_round_on_state_rfc8439_2_2_1)
{
	uint32_t s[16] = {
		0x879531e0, 0xc5ecf37d, 0x516461b1, 0xc9a62f8a, 0x44c20ef3, 0x3390af7f,
		0xd9fc690b, 0x2a5f714c, 0x53372767, 0xb00a5631, 0x974c541a, 0x359e9963,
		0x5c971061, 0x3d631689, 0x2098d9d6, 0x91dbd320,
	};

	chacha20_quarter_round(&s[2], &s[7], &s[8], &s[13]);
	CHECK(s[2] == 0xbdb886dc && s[7] == 0xcfacafd2 && s[8] == 0xe46bea80 &&
	      s[13] == 0xccc07c79);
	CHECK(s[0] == 0x879531e0 && s[15] == 0x91dbd320);	/* the others untouched */
}

TEST(chacha20_block_rfc8439_2_3_2)
{
	uint8_t nonce[12], out[64], want[64];

	hex("000000090000004a00000000", nonce, 12);
	hex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
	    "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e", want, 64);
	chacha20_block(key_seq, 1, nonce, out);
	CHECK(memcmp(out, want, 64) == 0);
}

static const char sunscreen[] = "Ladies and Gentlemen of the class of '99: If I could offer you "
				"only one tip for the future, sunscreen would be it.";

TEST(chacha20_encrypt_rfc8439_2_4_2)
{
	uint8_t nonce[12], out[114], want[114], back[114];

	CHECK_EQ(sizeof(sunscreen) - 1, 114);
	hex("000000000000004a00000000", nonce, 12);
	hex("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
	    "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
	    "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
	    "5af90bbf74a35be6b40b8eedf2785e42874d", want, 114);
	chacha20_xor(key_seq, 1, nonce, (const uint8_t *)sunscreen, out, 114);
	CHECK(memcmp(out, want, 114) == 0);
	chacha20_xor(key_seq, 1, nonce, out, back, 114);	/* decryption is encryption */
	CHECK(memcmp(back, sunscreen, 114) == 0);
}

struct block_vector {
	const char *key, *nonce, *out;
	uint32_t counter;
};

static const struct block_vector appendix_a1[] = {
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000",
	  "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
	  "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586", 0 },
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000",
	  "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
	  "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f", 1 },
	{ "0000000000000000000000000000000000000000000000000000000000000001",
	  "000000000000000000000000",
	  "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
	  "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0", 1 },
	{ "00ff000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000",
	  "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
	  "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096", 2 },
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000002",
	  "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
	  "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d", 0 },
};

TEST(chacha20_block_rfc8439_appendix_a1)
{
	for (size_t v = 0; v < sizeof(appendix_a1) / sizeof(appendix_a1[0]); v++) {
		uint8_t key[32], nonce[12], out[64], want[64];

		hex(appendix_a1[v].key, key, 32);
		hex(appendix_a1[v].nonce, nonce, 12);
		hex(appendix_a1[v].out, want, 64);
		chacha20_block(key, appendix_a1[v].counter, nonce, out);
		CHECK(memcmp(out, want, 64) == 0);
	}
}

TEST(chacha20_stream_cut_anywhere_matches_whole)
{
	static uint8_t in[1000], whole[1000], parts[1000];
	uint8_t nonce[12] = { 1, 2, 3 };

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7);
	chacha20_xor(key_seq, 5, nonce, in, whole, sizeof(in));
	for (size_t cut = 0; cut <= sizeof(in); cut += 64) {
		chacha20_xor(key_seq, 5, nonce, in, parts, cut);
		chacha20_xor(key_seq, 5 + (uint32_t)(cut / 64), nonce, in + cut, parts + cut,
			     sizeof(in) - cut);
		CHECK(memcmp(parts, whole, sizeof(in)) == 0);
	}
	memcpy(parts, in, sizeof(in));
	chacha20_xor(key_seq, 5, nonce, parts, parts, sizeof(in));	/* in place */
	CHECK(memcmp(parts, whole, sizeof(in)) == 0);
}

TEST(crypto_wipe_zeroes)
{
	uint8_t b[33];

	memset(b, 0xa5, sizeof(b));
	crypto_wipe(b, sizeof(b));
	for (size_t i = 0; i < sizeof(b); i++)
		CHECK(b[i] == 0);
}

int main(void)
{
	RUN(chacha20_quarter_round_rfc8439_2_1_1);
	RUN(chacha20_quarter_round_on_state_rfc8439_2_2_1);
	RUN(chacha20_block_rfc8439_2_3_2);
	RUN(chacha20_encrypt_rfc8439_2_4_2);
	RUN(chacha20_block_rfc8439_appendix_a1);
	RUN(chacha20_stream_cut_anywhere_matches_whole);
	RUN(crypto_wipe_zeroes);
	TEST_EXIT();
}
