/* SPDX-License-Identifier: MIT */
/*
 * Argon2id password hashing (RFC 9106) for capOS programs: a thin wrapper
 * over the reference implementation from Debian's `argon2` source package
 * (third_party/, fetched by scripts/fetch-argon2.sh; user/lib/libc-shim/).
 * docs/passwords.md says which parameters capOS ships and why.
 *
 * The m KiB of blocks come from argon2id_mem_alloc(): in capOS, pages
 * mapped through the process's own VirtualMemory and unmapped at the end
 * (user/lib/argon2id_mem.c), so a process that verifies needs m KiB of quota
 * beyond its heap; without it every call here returns ARGON2ID_ERR_MEMORY
 * and the process goes on. On the host (unit tests) they come from malloc.
 *
 * Every function returns ARGON2ID_OK (0) or a negative code of the
 * reference implementation's (argon2id_error() names it). Nothing here
 * keeps state between calls; the blocks are wiped before they are freed.
 */
#ifndef CAPOS_USER_ARGON2ID_H
#define CAPOS_USER_ARGON2ID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARGON2ID_OK 0
#define ARGON2ID_ERR_MEMORY (-22)	/* ARGON2_MEMORY_ALLOCATION_ERROR: no m KiB */
#define ARGON2ID_ERR_DECODING (-32)	/* ARGON2_DECODING_FAIL: not a PHC string we take */
#define ARGON2ID_ERR_MISMATCH (-35)	/* ARGON2_VERIFY_MISMATCH: wrong password */
#define ARGON2ID_ERR_TOO_LONG (-1000)	/* a length above UINT32_MAX (ours) */

struct argon2id_params {
	uint32_t m_kib;		/* memory, KiB (a multiple of 8 * p is used exactly) */
	uint32_t t;		/* passes */
	uint32_t p;		/* lanes (computed one after another: no threads) */
};

/* What capOS ships for login (docs/passwords.md): OWASP's minimum, 19 MiB, t=2, p=1. */
#define ARGON2ID_SHIPPED_M_KIB 19456u
#define ARGON2ID_SHIPPED_T 2u
#define ARGON2ID_SHIPPED_P 1u
#define ARGON2ID_SALT_LEN 16u	/* RFC 9106 section 3.1: 128 bits */
#define ARGON2ID_HASH_LEN 32u	/* 256-bit tag */
/* Room for "$argon2id$v=19$m=4294967295,t=4294967295,p=16777215$" + 64-byte salt and tag. */
#define ARGON2ID_ENCODED_MAX 256u
/*
 * The most a PHC verifier may ask of argon2id_phc_verify: a verifier is
 * data, and t = 2^32 - 1 would hold a login for hours. 16 passes, 16 lanes,
 * 1 GiB (memory beyond the quota fails cleanly anyway).
 */
#define ARGON2ID_PHC_T_MAX 16u
#define ARGON2ID_PHC_P_MAX 16u
#define ARGON2ID_PHC_M_KIB_MAX (1024u * 1024u)

static inline struct argon2id_params argon2id_shipped(void)
{
	return (struct argon2id_params){ ARGON2ID_SHIPPED_M_KIB, ARGON2ID_SHIPPED_T,
					 ARGON2ID_SHIPPED_P };
}

/* Everything Argon2id takes (secret and ad may be NULL with length 0). */
struct argon2id_input {
	const void *pw;
	size_t pwlen;
	const void *salt;
	size_t saltlen;
	const void *secret;
	size_t secretlen;
	const void *ad;
	size_t adlen;
};

/* The tag of in under params into out[0..outlen). */
int argon2id_hash_input(const struct argon2id_input *in, const struct argon2id_params *params,
			void *out, size_t outlen);

/* The tag of pw with salt (no secret, no associated data). */
int argon2id_hash(const void *pw, size_t pwlen, const void *salt, size_t saltlen,
		  const struct argon2id_params *params, void *out, size_t outlen);

/*
 * Recomputes the tag of pw and compares it with expected[0..len) in time
 * that depends only on len: ARGON2ID_OK, ARGON2ID_ERR_MISMATCH or an error.
 */
int argon2id_verify_ct(const void *pw, size_t pwlen, const void *salt, size_t saltlen,
		       const struct argon2id_params *params, const void *expected, size_t len);

/* True if a[0..n) equals b[0..n); the time depends on n only. */
bool argon2id_equal_ct(const void *a, const void *b, size_t n);

/*
 * The PHC string "$argon2id$v=19$m=M,t=T,p=P$SALT$TAG" (unpadded base64) of
 * pw with salt, NUL-terminated in out[0..outmax).
 */
int argon2id_phc_make(const void *pw, size_t pwlen, const void *salt, size_t saltlen,
			  const struct argon2id_params *params, size_t hashlen,
			  char *out, size_t outmax);

/*
 * The PHC string of a given salt and tag, without hashing anything: with a
 * random tag, a verifier no password matches, which costs a verify the same
 * work as a real one (the credential store's answer for an unknown user).
 */
int argon2id_phc_encode(const void *salt, size_t saltlen, const void *tag, size_t taglen,
			const struct argon2id_params *params, char *out, size_t outmax);

/*
 * Checks pw against a PHC string made by argon2id_phc_make (at most
 * ARGON2ID_ENCODED_MAX - 1 bytes; salt and tag at most 64 bytes each;
 * parameters within the ARGON2ID_PHC_*_MAX, else ARGON2ID_ERR_DECODING),
 * with the string's own parameters and a constant-time comparison.
 */
int argon2id_phc_verify(const void *pw, size_t pwlen, const char *encoded);

/* The reference implementation's message for err (or ours). */
const char *argon2id_error(int err);

/*
 * Where the blocks come from (argon2id_mem.c in capOS, a host version in
 * the unit tests): *mem = bytes zero-filled or not, or NULL when there is
 * no room; returns 0 or an error. free gets the same size back.
 */
int argon2id_mem_alloc(uint8_t **mem, size_t bytes);
void argon2id_mem_free(uint8_t *mem, size_t bytes);

#endif
