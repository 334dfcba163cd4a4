// SPDX-License-Identifier: MIT
/*
 * Params and results of kernel-object calls (ring/call.h). A result message
 * is built in place in the kernel result buffer: one segment starting 8
 * bytes in, behind the room for its one-segment table, which
 * call_result_end() fills in. No copy, no allocation; a message that does
 * not fit fails with RESULT_TOO_SMALL instead of spilling to more segments.
 * The CapException encoding uses the code generated from schema/capos.capnp.
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "ring/call.h"
#include "ring/ring.h"

#define CALL_SEG_TABLE		8u	/* segment count - 1, one size, both u32 */
#define CALL_REASON_MAX		256u	/* CapException.reason limit (schema) */

int call_params_open(struct call_ctx *ctx, struct capnp_msg *msg)
{
	if (capnp_msg_init_read(msg, ctx->params, ctx->params_len))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	return 0;
}

int call_result_begin(struct call_ctx *ctx, struct capnp_msg *msg)
{
	ctx->result_written = 0;
	/* Room for the table and at least the root pointer. */
	if (ctx->result_cap < CALL_SEG_TABLE + 8)
		return CAPOS_ERR_RESULT_TOO_SMALL;
	if (capnp_msg_init_build(msg, ctx->result + CALL_SEG_TABLE,
				 ctx->result_cap - CALL_SEG_TABLE))
		return CAPOS_ERR_RESULT_TOO_SMALL;
	return 0;
}

int call_result_end(struct call_ctx *ctx, struct capnp_msg *msg)
{
	uint32_t words = msg->seg[0].words;

	ctx->result_written = 0;
	if (capnp_msg_error(msg) || msg->nseg != 1)
		return CAPOS_ERR_RESULT_TOO_SMALL;
	capnp_store32(ctx->result, 0);
	capnp_store32(ctx->result + 4, words);
	ctx->result_written = CALL_SEG_TABLE + words * 8;
	return 0;
}

int call_raise(struct call_ctx *ctx, uint16_t type, const char *reason)
{
	struct capos_CapException_builder b;
	struct capnp_msg msg;
	uint32_t len = (uint32_t)strnlen(reason, CALL_REASON_MAX);

	if (call_result_begin(ctx, &msg))
		return CAPOS_ERR_APPLICATION_EXCEPTION_TRUNCATED;
	b = capos_CapException_init_root(&msg);
	capos_CapException_set_type(b, type);
	(void)capos_CapException_set_reason(b, reason, len);	/* checked by call_result_end */
	if (call_result_end(ctx, &msg))
		return CAPOS_ERR_APPLICATION_EXCEPTION_TRUNCATED;
	return CAPOS_ERR_APPLICATION_EXCEPTION;
}

int call_raise_no_memory(struct call_ctx *ctx, int err, const char *who)
{
	const char *what = err == CAPOS_ERR_QUOTA_EXCEEDED ? ": over the caller's memory quota"
							   : ": out of kernel memory";
	size_t n = strnlen(who, CALL_REASON_MAX / 2), m = strlen(what);
	char reason[CALL_REASON_MAX / 2 + 40];

	memcpy(reason, who, n);
	memcpy(reason + n, what, m + 1);	/* with its NUL */
	return call_raise(ctx, capos_CapException_Type_overloaded, reason);
}

int call_result_cap(struct call_ctx *ctx, struct kobj *obj)
{
	return call_result_cap_rights(ctx, obj, CAP_RIGHTS_ALL);
}

int call_result_cap_rights(struct call_ctx *ctx, struct kobj *obj, uint32_t rights)
{
	uint32_t room = ctx->xfer_rsv.count ? ctx->xfer_rsv.count : CAPOS_XFER_MAX;

	if (ctx->xfer_out_count == room) {
		kobj_put(obj);
		return CAPOS_ERR_INVALID_ARGUMENT;
	}
	ctx->xfer_out[ctx->xfer_out_count] = obj;
	ctx->xfer_out_rights[ctx->xfer_out_count] = (uint8_t)rights;
	return (int)ctx->xfer_out_count++;
}

int call_result_reserve(struct call_ctx *ctx, uint32_t ncaps)
{
	uint32_t total = ctx->xfer_out_count + ncaps;
	uint64_t need = ((uint64_t)ctx->result_written + 7u) / 8u * 8u +
			(uint64_t)total * sizeof(struct capos_xfer_result);

	assert(ctx->xfer_rsv.count == 0);	/* once per call */
	if (ncaps > CAPOS_XFER_MAX || total > CAPOS_XFER_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	if (total && need > ctx->result_cap)
		return CAPOS_ERR_RESULT_TOO_SMALL;
	return cap_table_reserve(ctx->caller->caps, total, &ctx->xfer_rsv);
}

int call_result_install(struct call_ctx *ctx, uint32_t i, capos_cap_t *id)
{
	struct cap_table *t = ctx->caller->caps;

	if (i < ctx->xfer_rsv.count) {
		*id = cap_table_commit(t, &ctx->xfer_rsv, i, ctx->xfer_out[i],
				       ctx->xfer_out_rights[i]);
		return 0;
	}
	return cap_table_insert(t, ctx->xfer_out[i], ctx->xfer_out_rights[i], id);
}

void call_result_unreserve(struct call_ctx *ctx)
{
	if (ctx->xfer_rsv.count)
		cap_table_rollback(ctx->caller->caps, &ctx->xfer_rsv);
}
