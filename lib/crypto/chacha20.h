/* SPDX-License-Identifier: MIT */
/*
 * ChaCha20 (RFC 8439, section 2): the block function and the stream
 * cipher. Pure, freestanding, constant-time (additions, rotations and xors
 * only: no table lookups or branches on secret data), no allocation. Bytes
 * in and out, little-endian as the RFC serializes them, so it gives the
 * same answers on any host. Used by the kernel's random number generator
 * (csprng.h); tested against the RFC's vectors (tests/unit/crypto).
 */
#ifndef CAPOS_LIB_CRYPTO_CHACHA20_H
#define CAPOS_LIB_CRYPTO_CHACHA20_H

#include <stddef.h>
#include <stdint.h>

#define CHACHA20_KEY_SIZE 32
#define CHACHA20_NONCE_SIZE 12
#define CHACHA20_BLOCK_SIZE 64

/* The quarter round on four words of a state (RFC 8439, 2.1), in place. */
void chacha20_quarter_round(uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);

/* One 64-byte block of key stream for (key, counter, nonce) (RFC 8439, 2.3). */
void chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_SIZE], uint8_t out[CHACHA20_BLOCK_SIZE]);

/*
 * Encrypts (or decrypts) in[0..len) into out (which may be in) with the key
 * stream starting at block `counter` (RFC 8439, 2.4). len must leave the
 * 32-bit block counter room: at most (2^32 - counter) blocks.
 */
void chacha20_xor(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		  const uint8_t nonce[CHACHA20_NONCE_SIZE], const uint8_t *in, uint8_t *out,
		  size_t len);

/* Zeroes secrets so that the compiler cannot drop the stores as dead. */
void crypto_wipe(void *p, size_t n);

#endif
