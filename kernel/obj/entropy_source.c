// SPDX-License-Identifier: MIT
/*
 * EntropySource: getBytes(n) draws n <= 256 bytes from the kernel's random
 * number generator (lib/rng.h, docs/entropy.md). Decode, then invoke: the
 * size of the answer is known from n, so a result buffer too small for it
 * is refused before anything is drawn, and the bytes go straight into the
 * answer being built (then wiped from the kernel's stack copy). One
 * stateless object serves every holder.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "crypto/chacha20.h"
#include "lib/rng.h"
#include "obj/entropy_source.h"
#include "ring/call.h"

#define ENTROPY_GET_MAX 256u	/* getBytes limit (schema) */
/* Segment table, root pointer, the Results struct's one pointer, then the data in words. */
#define ENTROPY_ANSWER_LEN(n) (24u + (((n) + 7u) & ~7u))

static int entropy_get_bytes(struct call_ctx *ctx)
{
	uint8_t bytes[ENTROPY_GET_MAX];
	struct capnp_msg in, out;
	uint32_t n;
	int err;

	err = call_params_open(ctx, &in);
	if (err)
		return err;
	n = capos_EntropySource_getBytes_Params_get_n(capos_EntropySource_getBytes_Params_root(&in));
	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (n > ENTROPY_GET_MAX)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "getBytes gives at most 256 bytes per call");
	if (ctx->result_cap < ENTROPY_ANSWER_LEN(n))
		return CAPOS_ERR_RESULT_TOO_SMALL;
	err = call_result_begin(ctx, &out);
	if (err)
		return err;
	rng_get(bytes, n);
	(void)capos_EntropySource_getBytes_Results_set_data(
		capos_EntropySource_getBytes_Results_init_root(&out), bytes, n);
	crypto_wipe(bytes, sizeof(bytes));
	return call_result_end(ctx, &out);
}

static int entropy_call(struct kobj *obj, struct call_ctx *ctx)
{
	(void)obj;
	return ctx->method_id == 0 ? entropy_get_bytes(ctx) : CAPOS_ERR_UNKNOWN_METHOD;
}

static const struct kobj_ops entropy_source_ops = {
	.iface_id = CAPOS_IFACE_ENTROPY_SOURCE,
	.name = "EntropySource",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = entropy_call,
	.destroy = kobj_destroy_static,
};

static struct kobj entropy_source_obj;

struct kobj *entropy_source_object(void)
{
	return kobj_singleton(&entropy_source_obj, &entropy_source_ops);
}
