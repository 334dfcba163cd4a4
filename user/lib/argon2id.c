// SPDX-License-Identifier: MIT
/*
 * The Argon2id wrapper (argon2id.h) over the reference implementation's
 * argon2_ctx(): one context per call, Argon2 version 1.3, no threads
 * (lanes are computed in turn), blocks from argon2id_mem_alloc(). The
 * reference code takes lengths as uint32_t, so longer inputs are refused
 * here instead of being cut. Comparison is ours (argon2id_equal_ct), so the
 * constant-time property does not rest on how the library was compiled.
 */
#include "argon2id.h"

#include <string.h>

#include "argon2.h"
#include "core.h"
#include "encoding.h"

_Static_assert(ARGON2ID_ERR_MEMORY == ARGON2_MEMORY_ALLOCATION_ERROR, "argon2.h");
_Static_assert(ARGON2ID_ERR_DECODING == ARGON2_DECODING_FAIL, "argon2.h");
_Static_assert(ARGON2ID_ERR_MISMATCH == ARGON2_VERIFY_MISMATCH, "argon2.h");

#define ARGON2ID_PHC_FIELD_MAX 64	/* salt or tag bytes a PHC string may carry */

static int mem_alloc_cb(uint8_t **mem, size_t bytes)
{
	*mem = NULL;
	return argon2id_mem_alloc(mem, bytes);
}

static bool fits_u32(size_t n)
{
	return n <= UINT32_MAX;
}

/* ctx for in/params/out; ARGON2ID_ERR_TOO_LONG if a length does not fit. */
static int context_init(argon2_context *ctx, const struct argon2id_input *in,
			const struct argon2id_params *params, void *out, size_t outlen)
{
	if (!fits_u32(in->pwlen) || !fits_u32(in->saltlen) || !fits_u32(in->secretlen) ||
	    !fits_u32(in->adlen) || !fits_u32(outlen))
		return ARGON2ID_ERR_TOO_LONG;
	*ctx = (argon2_context){
		.out = out,
		.outlen = (uint32_t)outlen,
		.pwd = (uint8_t *)in->pw,	/* flags 0: the library never writes it */
		.pwdlen = (uint32_t)in->pwlen,
		.salt = (uint8_t *)in->salt,
		.saltlen = (uint32_t)in->saltlen,
		.secret = (uint8_t *)in->secret,
		.secretlen = (uint32_t)in->secretlen,
		.ad = (uint8_t *)in->ad,
		.adlen = (uint32_t)in->adlen,
		.t_cost = params->t,
		.m_cost = params->m_kib,
		.lanes = params->p,
		.threads = params->p,
		.version = ARGON2_VERSION_13,
		.allocate_cbk = mem_alloc_cb,
		.free_cbk = argon2id_mem_free,
		.flags = ARGON2_DEFAULT_FLAGS,
	};
	return ARGON2ID_OK;
}

int argon2id_hash_input(const struct argon2id_input *in, const struct argon2id_params *params,
			void *out, size_t outlen)
{
	argon2_context ctx;
	int err = context_init(&ctx, in, params, out, outlen);

	return err ? err : argon2_ctx(&ctx, Argon2_id);
}

int argon2id_hash(const void *pw, size_t pwlen, const void *salt, size_t saltlen,
		  const struct argon2id_params *params, void *out, size_t outlen)
{
	struct argon2id_input in = { .pw = pw, .pwlen = pwlen, .salt = salt, .saltlen = saltlen };

	return argon2id_hash_input(&in, params, out, outlen);
}

bool argon2id_equal_ct(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a;
	const volatile uint8_t *y = b;
	uint8_t diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

int argon2id_verify_ct(const void *pw, size_t pwlen, const void *salt, size_t saltlen,
		       const struct argon2id_params *params, const void *expected, size_t len)
{
	uint8_t tag[ARGON2ID_PHC_FIELD_MAX];

	if (len < ARGON2_MIN_OUTLEN || len > sizeof(tag))
		return ARGON2ID_ERR_MISMATCH;	/* no tag of ours has that length */
	int err = argon2id_hash(pw, pwlen, salt, saltlen, params, tag, len);
	if (err == ARGON2ID_OK && !argon2id_equal_ct(tag, expected, len))
		err = ARGON2ID_ERR_MISMATCH;
	secure_wipe_memory(tag, sizeof(tag));
	return err;
}

int argon2id_phc_make(const void *pw, size_t pwlen, const void *salt, size_t saltlen,
			  const struct argon2id_params *params, size_t hashlen,
			  char *out, size_t outmax)
{
	uint8_t tag[ARGON2ID_PHC_FIELD_MAX];
	struct argon2id_input in = { .pw = pw, .pwlen = pwlen, .salt = salt, .saltlen = saltlen };
	argon2_context ctx;

	if (hashlen > sizeof(tag) || saltlen > ARGON2ID_PHC_FIELD_MAX)
		return ARGON2ID_ERR_TOO_LONG;
	int err = context_init(&ctx, &in, params, tag, hashlen);
	if (!err)
		err = argon2_ctx(&ctx, Argon2_id);
	if (!err)
		err = encode_string(out, outmax, &ctx, Argon2_id);
	secure_wipe_memory(tag, sizeof(tag));
	return err;
}

int argon2id_phc_encode(const void *salt, size_t saltlen, const void *tag, size_t taglen,
			const struct argon2id_params *params, char *out, size_t outmax)
{
	struct argon2id_input in = { .salt = salt, .saltlen = saltlen };
	argon2_context ctx;

	if (taglen > ARGON2ID_PHC_FIELD_MAX || saltlen > ARGON2ID_PHC_FIELD_MAX)
		return ARGON2ID_ERR_TOO_LONG;
	int err = context_init(&ctx, &in, params, (void *)tag, taglen);	/* only read */
	if (!err)
		err = encode_string(out, outmax, &ctx, Argon2_id);
	return err;
}

int argon2id_phc_verify(const void *pw, size_t pwlen, const char *encoded)
{
	uint8_t salt[ARGON2ID_PHC_FIELD_MAX], tag[ARGON2ID_PHC_FIELD_MAX];
	argon2_context ctx = { .salt = salt, .saltlen = sizeof(salt),
			       .out = tag, .outlen = sizeof(tag) };

	if (strnlen(encoded, ARGON2ID_ENCODED_MAX) >= ARGON2ID_ENCODED_MAX)
		return ARGON2ID_ERR_DECODING;
	int err = decode_string(&ctx, encoded, Argon2_id);
	if (err)
		return err;
	if (ctx.version != ARGON2_VERSION_13 || ctx.t_cost > ARGON2ID_PHC_T_MAX ||
	    ctx.lanes > ARGON2ID_PHC_P_MAX || ctx.m_cost > ARGON2ID_PHC_M_KIB_MAX)
		return ARGON2ID_ERR_DECODING;	/* not a verifier we make */
	struct argon2id_params params = { ctx.m_cost, ctx.t_cost, ctx.lanes };
	err = argon2id_verify_ct(pw, pwlen, salt, ctx.saltlen, &params, tag, ctx.outlen);
	secure_wipe_memory(tag, sizeof(tag));
	return err;
}

const char *argon2id_error(int err)
{
	if (err == ARGON2ID_ERR_TOO_LONG)
		return "Input longer than 2^32 - 1 bytes";
	return argon2_error_message(err);
}
