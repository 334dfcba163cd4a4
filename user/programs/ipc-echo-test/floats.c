// SPDX-License-Identifier: MIT
/*
 * Echo.floats from ipc-echo-test: Float32 and Float64 fields and lists, set
 * and read with the generated accessors (capnp/capnp_float.h), through a real
 * call to the echo server in another process. Every value comes back bit
 * for bit (NaN payloads, signed zeros, infinities, denormals), the field with
 * a schema default (scale = 2.5) reads as its default when unset and as set
 * otherwise, and what the server computed in its own registers (sum, scaled)
 * equals what this process computes.
 */
#include <capos/errors.h>

#include "check.h"
#include "echo.capnp.h"
#include "floats.h"

struct float_case {
	uint64_t f64;	/* bit patterns, so that NaN payloads and -0.0 are exact */
	uint32_t f32;
	uint64_t scale;
	bool set_scale;	/* false: leave scale at its schema default (2.5) */
};

#define SCALE_DEFAULT 0x4004000000000000ull	/* 2.5 */

static const struct float_case cases[] = {
	{ 0x400921fb54442d18ull, 0x40490fdbu, SCALE_DEFAULT, false },	/* pi, default scale */
	{ 0x8000000000000000ull, 0x80000000u, 0xbff0000000000000ull, true },	/* -0.0, * -1 */
	{ 0x7ff0000000000000ull, 0xff800000u, 0x0000000000000000ull, true },	/* inf * 0: NaN */
	{ 0x7ff8000000001234ull, 0x7fc01234u, SCALE_DEFAULT, true },	/* NaN payloads */
	{ 0x0000000000000001ull, 0x00000001u, 0x4000000000000000ull, true },	/* denormals, * 2 */
	{ 0x7fefffffffffffffull, 0x7f7fffffu, 0x3fe0000000000000ull, true },	/* max, * 0.5 */
};

/* Lists with special values whose sum is exact: 0.5 + 1.25 - 3 + 1024 - 0 + 0.25 - 0.5 + 3. */
static const double f64s[] = { 0.5, 1.25, -3.0, 1024.0, -0.0 };
static const float f32s[] = { 0.25f, -0.5f, 3.0f };
#define LIST_SUM 1025.5

static uint64_t bits64(double d)
{
	return capnp_f64_bits(d);
}

static void build(struct ipc_call *c, const struct float_case *fc)
{
	struct echo_Echo_floats_Params_builder p;
	struct capnp_list_builder l;

	ipc_call_begin(c);
	p = echo_Echo_floats_Params_init_root(&c->msg);
	echo_Echo_floats_Params_set_f64(p, capnp_bits_f64(fc->f64));
	echo_Echo_floats_Params_set_f32(p, capnp_bits_f32(fc->f32));
	if (fc->set_scale)
		echo_Echo_floats_Params_set_scale(p, capnp_bits_f64(fc->scale));
	l = echo_Echo_floats_Params_init_f64s(p, sizeof(f64s) / sizeof(f64s[0]));
	for (uint32_t i = 0; i < sizeof(f64s) / sizeof(f64s[0]); i++)
		capnp_list_set_f64(l, i, f64s[i]);
	l = echo_Echo_floats_Params_init_f32s(p, sizeof(f32s) / sizeof(f32s[0]));
	for (uint32_t i = 0; i < sizeof(f32s) / sizeof(f32s[0]); i++)
		capnp_list_set_f32(l, i, f32s[i]);
}

/* 0 if both lists came back bit for bit, else the 1-based index of the first bad element. */
static long lists_back(struct echo_Echo_floats_Results r)
{
	struct capnp_list a = echo_Echo_floats_Results_get_f64s(r);
	struct capnp_list b = echo_Echo_floats_Results_get_f32s(r);
	uint32_t n64 = sizeof(f64s) / sizeof(f64s[0]), n32 = sizeof(f32s) / sizeof(f32s[0]);

	if (capnp_list_len(a) != n64 || capnp_list_len(b) != n32)
		return 1000;
	for (uint32_t i = 0; i < n64; i++)
		if (bits64(capnp_list_f64(a, i)) != bits64(f64s[i]))
			return 1 + i;
	for (uint32_t i = 0; i < n32; i++)
		if (capnp_f32_bits(capnp_list_f32(b, i)) != capnp_f32_bits(f32s[i]))
			return 100 + i;
	return 0;
}

/* One case: 0 if everything came back as it should, else which part did not (1..6). */
static int one_case(struct uring *ring, struct ipc_call *c, capos_cap_t ep,
		    const struct float_case *fc, long *list_bad)
{
	double scale = capnp_bits_f64(fc->set_scale ? fc->scale : SCALE_DEFAULT);
	struct echo_Echo_floats_Results r;
	int err;

	build(c, fc);
	err = ipc_call_run(ring, c, ep, echo_Echo_floats);
	if (err < 0)
		return err;
	r = echo_Echo_floats_Results_root(&c->msg);
	if (bits64(echo_Echo_floats_Results_get_f64(r)) != fc->f64)
		return 1;
	if (capnp_f32_bits(echo_Echo_floats_Results_get_f32(r)) != fc->f32)
		return 2;
	if (bits64(echo_Echo_floats_Results_get_scale(r)) != bits64(scale))
		return 3;
	if (bits64(echo_Echo_floats_Results_get_scaled(r)) !=
	    bits64(capnp_bits_f64(fc->f64) * scale))
		return 4;
	if (echo_Echo_floats_Results_get_sum(r) != LIST_SUM)
		return 5;
	*list_bad = lists_back(r);
	return capnp_msg_error(&c->msg) ? CAPOS_ERR_MALFORMED_MESSAGE : *list_bad ? 6 : 0;
}

void test_floats(struct uring *ring, struct ipc_call *c, capos_cap_t ep)
{
	long list_bad = 0;
	int bad = 0;
	uint32_t i;

	for (i = 0; i < FLOATS_CALLS && !bad; i++)
		bad = one_case(ring, c, ep, &cases[i], &list_bad);
	/* got: the error, or case * 10 + the part that came back wrong */
	check(bad == 0, "float_fields_round_trip", bad > 0 ? (long long)((i - 1) * 10 + bad) : bad);
	check(list_bad == 0, "float_lists_round_trip", list_bad);
}

_Static_assert(sizeof(cases) / sizeof(cases[0]) == FLOATS_CALLS, "FLOATS_CALLS");
