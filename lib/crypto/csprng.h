/* SPDX-License-Identifier: MIT */
/*
 * A cryptographic random number generator with fast key erasure (D. J.
 * Bernstein, "Fast-key-erasure random-number generators", 2017), on
 * ChaCha20 (chacha20.h). The whole state is one 256-bit key. A request
 * runs ChaCha20 under the key (nonce 0, counter from 0): the first 32
 * bytes of key stream become the next key, the following n bytes are the
 * output, and the old key and every byte of the blocks are wiped before the
 * call returns. So whoever reads the state afterwards learns nothing about
 * outputs already given (backtracking resistance).
 *
 * Input is absorbed into the key (csprng_mix): 32 bytes at a time are
 * xored into it and the key is replaced by the first 32 bytes of ChaCha20
 * under the result with a nonce of its own ("capOS mix"), so mixing and
 * output never share key stream. Absorbing can only add to what an
 * attacker must guess, as long as the input does not depend on the key.
 *
 * Pure: no locks, no globals, no allocation; the caller serializes
 * (kernel/lib/rng.c) and seeds it (docs/entropy.md). Host-tested in
 * tests/unit/crypto.
 */
#ifndef CAPOS_LIB_CRYPTO_CSPRNG_H
#define CAPOS_LIB_CRYPTO_CSPRNG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/chacha20.h"

#define CSPRNG_OUT_MAX 4096	/* bytes drawn under one key; longer requests take several */

struct csprng {
	uint8_t key[CHACHA20_KEY_SIZE];
};

/* A generator whose key is all zero: mix a seed in before drawing from it. */
void csprng_init(struct csprng *g);

/* Absorbs data[0..len) into the key (any len; 0 still stirs the key once). */
void csprng_mix(struct csprng *g, const void *data, size_t len);

/*
 * Writes n random bytes to out and replaces the key: once per
 * CSPRNG_OUT_MAX bytes (so the 32-bit block counter never wraps), and once
 * for n = 0.
 */
void csprng_generate(struct csprng *g, void *out, size_t n);

#endif
