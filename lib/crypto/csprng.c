// SPDX-License-Identifier: MIT
/* The fast-key-erasure generator (csprng.h). */
#include "crypto/csprng.h"

static const uint8_t nonce_generate[CHACHA20_NONCE_SIZE];	/* all zero */
static const uint8_t nonce_mix[CHACHA20_NONCE_SIZE] = "capOS mix";

void csprng_init(struct csprng *g)
{
	crypto_wipe(g->key, sizeof(g->key));
}

/* key = first 32 bytes of ChaCha20(key ^ chunk, 0, "capOS mix"). */
static void mix_chunk(struct csprng *g, const uint8_t chunk[CHACHA20_KEY_SIZE])
{
	uint8_t block[CHACHA20_BLOCK_SIZE];

	for (int i = 0; i < CHACHA20_KEY_SIZE; i++)
		g->key[i] ^= chunk[i];
	chacha20_block(g->key, 0, nonce_mix, block);
	for (int i = 0; i < CHACHA20_KEY_SIZE; i++)
		g->key[i] = block[i];
	crypto_wipe(block, sizeof(block));
}

void csprng_mix(struct csprng *g, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint8_t chunk[CHACHA20_KEY_SIZE];

	do {
		size_t n = len < sizeof(chunk) ? len : sizeof(chunk);

		for (size_t i = 0; i < sizeof(chunk); i++)
			chunk[i] = i < n ? p[i] : 0;
		mix_chunk(g, chunk);
		p += n;
		len -= n;
	} while (len);
	crypto_wipe(chunk, sizeof(chunk));
}

/* One request of at most CSPRNG_OUT_MAX bytes: key stream from block 0, the next key first. */
static void generate_chunk(struct csprng *g, uint8_t *out, size_t n)
{
	uint8_t block[CHACHA20_BLOCK_SIZE], next[CHACHA20_KEY_SIZE];
	uint32_t counter = 0;
	size_t have;

	chacha20_block(g->key, counter++, nonce_generate, block);
	for (int i = 0; i < CHACHA20_KEY_SIZE; i++)
		next[i] = block[i];
	have = CHACHA20_BLOCK_SIZE - CHACHA20_KEY_SIZE;
	for (size_t i = 0; i < n; i++) {
		if (have == 0) {
			chacha20_block(g->key, counter++, nonce_generate, block);
			have = CHACHA20_BLOCK_SIZE;
		}
		out[i] = block[CHACHA20_BLOCK_SIZE - have--];
	}
	for (int i = 0; i < CHACHA20_KEY_SIZE; i++)
		g->key[i] = next[i];
	crypto_wipe(block, sizeof(block));
	crypto_wipe(next, sizeof(next));
}

void csprng_generate(struct csprng *g, void *out, size_t n)
{
	uint8_t *o = out;

	do {
		size_t chunk = n < CSPRNG_OUT_MAX ? n : CSPRNG_OUT_MAX;

		generate_chunk(g, o, chunk);
		o += chunk;
		n -= chunk;
	} while (n);
}
