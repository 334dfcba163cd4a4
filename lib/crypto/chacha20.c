// SPDX-License-Identifier: MIT
/*
 * ChaCha20 (chacha20.h), written from RFC 8439: a 16-word state of the
 * constants "expand 32-byte k", the key, a block counter and the nonce; 20
 * rounds (10 column-and-diagonal double rounds) of the quarter round; the
 * input state added back in; serialized little-endian.
 */
#include "crypto/chacha20.h"

static inline uint32_t rotl32(uint32_t v, unsigned n)
{
	return (v << n) | (v >> (32 - n));
}

static inline uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void chacha20_quarter_round(uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	*a += *b;
	*d = rotl32(*d ^ *a, 16);
	*c += *d;
	*b = rotl32(*b ^ *c, 12);
	*a += *b;
	*d = rotl32(*d ^ *a, 8);
	*c += *d;
	*b = rotl32(*b ^ *c, 7);
}

static void state_init(uint32_t s[16], const uint8_t *key, uint32_t counter, const uint8_t *nonce)
{
	s[0] = 0x61707865;	/* "expa" */
	s[1] = 0x3320646e;	/* "nd 3" */
	s[2] = 0x79622d32;	/* "2-by" */
	s[3] = 0x6b206574;	/* "te k" */
	for (int i = 0; i < 8; i++)
		s[4 + i] = load_le32(key + 4 * i);
	s[12] = counter;
	for (int i = 0; i < 3; i++)
		s[13 + i] = load_le32(nonce + 4 * i);
}

void chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_SIZE], uint8_t out[CHACHA20_BLOCK_SIZE])
{
	uint32_t s[16], w[16];

	state_init(s, key, counter, nonce);
	for (int i = 0; i < 16; i++)
		w[i] = s[i];
	for (int round = 0; round < 10; round++) {
		chacha20_quarter_round(&w[0], &w[4], &w[8], &w[12]);	/* columns */
		chacha20_quarter_round(&w[1], &w[5], &w[9], &w[13]);
		chacha20_quarter_round(&w[2], &w[6], &w[10], &w[14]);
		chacha20_quarter_round(&w[3], &w[7], &w[11], &w[15]);
		chacha20_quarter_round(&w[0], &w[5], &w[10], &w[15]);	/* diagonals */
		chacha20_quarter_round(&w[1], &w[6], &w[11], &w[12]);
		chacha20_quarter_round(&w[2], &w[7], &w[8], &w[13]);
		chacha20_quarter_round(&w[3], &w[4], &w[9], &w[14]);
	}
	for (int i = 0; i < 16; i++)
		store_le32(out + 4 * i, w[i] + s[i]);
	crypto_wipe(s, sizeof(s));
	crypto_wipe(w, sizeof(w));
}

void chacha20_xor(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		  const uint8_t nonce[CHACHA20_NONCE_SIZE], const uint8_t *in, uint8_t *out,
		  size_t len)
{
	uint8_t block[CHACHA20_BLOCK_SIZE];

	while (len) {
		size_t n = len < CHACHA20_BLOCK_SIZE ? len : CHACHA20_BLOCK_SIZE;

		chacha20_block(key, counter++, nonce, block);
		for (size_t i = 0; i < n; i++)
			out[i] = in[i] ^ block[i];
		in += n;
		out += n;
		len -= n;
	}
	crypto_wipe(block, sizeof(block));
}

void crypto_wipe(void *p, size_t n)
{
	uint8_t *b = p;

	/* Whole words where the buffer allows, then bytes; volatile stores are never dropped. */
	for (; n >= 8 && ((uintptr_t)b & 7) == 0; b += 8, n -= 8)
		*(volatile uint64_t *)b = 0;
	for (; n; b++, n--)
		*(volatile uint8_t *)b = 0;
}
