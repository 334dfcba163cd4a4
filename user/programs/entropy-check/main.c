// SPDX-License-Identifier: MIT
/*
 * entropy-check (QEMU scenarios entropy, entropy-jitter): EntropySource.
 * Bytes differ between calls; n = 0 and n = 256 work, n = 257 and more
 * raise invalidArgument; a result buffer too small for the answer,
 * malformed params, a missing field and unknown methods get their errors;
 * entropy_get() of 1,000 bytes takes four calls; 16 KiB drawn have their
 * bits balanced. Prints one line "entropy-check: sample <64 hex digits>"
 * (the first 32 bytes drawn), which tests/entropy/boots-differ.sh compares
 * between two boots.
 */
#include "capos.capnp.h"
#include "check.h"
#include "rt.h"

static capos_cap_t src;
static uint64_t params[8], result[48];

/* getBytes(n) by hand into result[] (rlen bytes of it); returns the CQE result. */
static int get_raw(uint32_t n, uint32_t rlen, struct capos_cqe *cqe)
{
	uint64_t arena[4];
	struct capnp_msg m;
	size_t plen;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_EntropySource_getBytes_Params_set_n(capos_EntropySource_getBytes_Params_init_root(&m),
						  n);
	if (capnp_msg_write(&m, params, sizeof(params), &plen))
		return CAPOS_ERR_INVALID_ARGUMENT;
	return uring_call(&rt.ring, src, capos_EntropySource_getBytes, params, (uint32_t)plen,
			  result, rlen, NULL, 0, cqe);
}

/* The data of the answer in result[], or len UINT32_MAX if it does not decode. */
static struct capnp_data answer_data(const struct capos_cqe *cqe)
{
	struct capnp_msg m;
	struct capnp_data d = { .len = UINT32_MAX };

	if (capnp_msg_init_read(&m, result, cqe->written))
		return d;
	d = capos_EntropySource_getBytes_Results_get_data(
		capos_EntropySource_getBytes_Results_root(&m));
	if (capnp_msg_error(&m))
		d.len = UINT32_MAX;
	return d;
}

/* The type of the CapException in result[], or 0xffff if it does not decode. */
static uint16_t exception_type(const struct capos_cqe *cqe)
{
	struct capnp_msg m;
	uint16_t t;

	if (capnp_msg_init_read(&m, result, cqe->written))
		return 0xffff;
	t = capos_CapException_get_type(capos_CapException_root(&m));
	return capnp_msg_error(&m) ? 0xffff : t;
}

static void print_sample(const uint8_t *b)
{
	static const char digits[] = "0123456789abcdef";
	char hex[65];

	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[b[i] >> 4];
		hex[2 * i + 1] = digits[b[i] & 15];
	}
	hex[64] = '\0';
	printf("entropy-check: sample %s\n", hex);
}

static void bytes_differ_between_calls(void)
{
	uint8_t a[32], b[32];

	check_err(entropy_get(src, a, sizeof(a)), 0, "get_32");
	check_err(entropy_get(src, b, sizeof(b)), 0, "get_32_again");
	check(memcmp(a, b, sizeof(a)) != 0, "bytes_differ_between_calls", 0);
	print_sample(a);
}

static void sizes_and_limits(void)
{
	struct capos_cqe cqe;
	struct capnp_data d;
	int ret;

	ret = get_raw(0, sizeof(result), &cqe);
	check(ret >= 0, "n_zero_works", ret);
	d = answer_data(&cqe);
	check(d.len == 0, "n_zero_gives_no_bytes", d.len);
	ret = get_raw(256, sizeof(result), &cqe);
	check(ret >= 0, "n_max_works", ret);
	d = answer_data(&cqe);
	check(d.len == 256, "n_max_gives_256_bytes", d.len);
	check_err(get_raw(257, sizeof(result), &cqe), CAPOS_ERR_APPLICATION_EXCEPTION,
		  "n_over_max_raises");
	check(exception_type(&cqe) == capos_CapException_Type_invalidArgument,
	      "n_over_max_is_invalid_argument", exception_type(&cqe));
	check_err(get_raw(UINT32_MAX, sizeof(result), &cqe), CAPOS_ERR_APPLICATION_EXCEPTION,
		  "n_u32_max_raises");
	check_err(get_raw(256, 24 + 248, &cqe), CAPOS_ERR_RESULT_TOO_SMALL,
		  "result_too_small_for_the_answer");
	check_err(get_raw(1, 24 + 8, &cqe), 32, "result_just_big_enough");
}

static void hostile_params(void)
{
	struct capos_cqe cqe;

	params[0] = 0xffffffffull;	/* 2^32 segments */
	check_err(uring_call(&rt.ring, src, 0, params, 16, result, sizeof(result), NULL, 0, &cqe),
		  CAPOS_ERR_MALFORMED_MESSAGE, "malformed_params");
	check_err(uring_call(&rt.ring, src, 0, params, 0, result, sizeof(result), NULL, 0, &cqe),
		  CAPOS_ERR_MALFORMED_MESSAGE, "no_params");
	params[0] = 0x0000000100000000ull;	/* one word: an empty struct, n missing = 0 */
	params[1] = 0x00000000fffffffcull;
	check_err(uring_call(&rt.ring, src, 0, params, 16, result, sizeof(result), NULL, 0, &cqe),
		  24, "missing_n_is_zero");
	check_err(uring_call(&rt.ring, src, 1, params, 16, result, sizeof(result), NULL, 0, &cqe),
		  CAPOS_ERR_UNKNOWN_METHOD, "unknown_method");
	check_err(uring_call(&rt.ring, src, 0, params, 16, (void *)0x10000, 64, NULL, 0, &cqe),
		  CAPOS_ERR_BAD_ADDRESS, "result_unmapped");
}

static void runtime_helper_and_balance(void)
{
	static uint8_t big[1000], pool[16384];
	long ones = 0;

	check_err(entropy_get(src, big, sizeof(big)), 0, "entropy_get_1000");
	check(memcmp(big, big + 256, 256) != 0 && memcmp(big + 256, big + 512, 256) != 0,
	      "entropy_get_chunks_differ", 0);
	check_err(entropy_get(src, pool, sizeof(pool)), 0, "entropy_get_16k");
	for (size_t i = 0; i < sizeof(pool); i++)
		ones += __builtin_popcount(pool[i]);
	/* 131,072 bits: the ones lie within 1% of half (about 7 standard deviations). */
	check(ones > 65536 - 1311 && ones < 65536 + 1311, "bits_are_balanced", ones);
}

int main(void)
{
	check_init("entropy-check");
	src = rt_cap("entropy", CAPOS_IFACE_ENTROPY_SOURCE);
	if (!check(src != CAPOS_CAP_INVALID, "init_has_an_entropy_source", 0))
		return check_done();
	bytes_differ_between_calls();
	sizes_and_limits();
	hostile_params();
	runtime_helper_and_balance();
	return check_done();
}
