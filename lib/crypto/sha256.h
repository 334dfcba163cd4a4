/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4), streaming: init, update any number of times, final.
 * Pure and freestanding; host-tested against the FIPS 180 examples
 * (tests/unit/crypto/test_sha256.c). fetch -s prints it.
 */
#ifndef CAPOS_LIB_CRYPTO_SHA256_H
#define CAPOS_LIB_CRYPTO_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;				/* hashed so far */
	uint8_t block[SHA256_BLOCK_SIZE];	/* a partial block */
	size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[SHA256_DIGEST_SIZE]);

#endif
