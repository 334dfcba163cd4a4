/* SPDX-License-Identifier: MIT */
/*
 * What a kernel object's call handler (struct kobj_ops.call) receives, and the
 * helpers it uses to read params and write results. Dispatch (ring/dispatch.c)
 * validates the SQE, copies the params message into a kernel buffer, and
 * gives the handler a kernel result buffer of the SQE's result_len bytes;
 * after the handler returns it copies result_written bytes out to the user's
 * result buffer and posts the CQE. Handlers never touch user memory.
 *
 * A handler typically:
 *	struct capnp_msg in, out;
 *	int err = call_params_open(ctx, &in);          // MALFORMED_MESSAGE
 *	if (err) return err;
 *	struct capos_Console_write_Params p = capos_Console_write_Params_root(&in);
 *	... read fields; if (capnp_msg_error(&in)) return CAPOS_ERR_MALFORMED_MESSAGE;
 *	if (bad) return call_raise(ctx, capos_CapException_Type_invalidArgument, "too long");
 *	call_result_begin(ctx, &out);
 *	capos_Console_write_Results_init_root(&out);
 *	return call_result_end(ctx, &out);             // 0 or RESULT_TOO_SMALL
 *
 * A handler whose answer waits for an event never blocks: it queues the
 * call (ipc/kcall.h) and returns KOBJ_CALL_PENDING; dispatch then leaves
 * the result buffer alone and the CQE to the object.
 */
#ifndef CAPOS_KERNEL_RING_CALL_H
#define CAPOS_KERNEL_RING_CALL_H

#include <capnp/capnp.h>
#include <capos/endpoint.h>
#include <capos/ring.h>

#include "cap/object.h"
#include "cap/table.h"

#include "lib/types.h"

struct ring_caller;

struct call_ctx {
	uint16_t method_id;			/* SQE method_id (ordinal) */
	const struct ring_caller *caller;	/* the calling process */
	const struct capos_sqe *sqe;		/* the kernel's copy of the SQE (ipc/kcall.h) */
	const void *params;			/* kernel copy of the params, 8-aligned */
	uint32_t params_len;			/* bytes at params */
	uint8_t *result;			/* kernel result buffer, 8-aligned */
	uint32_t result_cap;			/* bytes available at result */
	uint32_t result_written;		/* bytes of result set by the helpers */
	uint64_t charged;			/* bytes charged to the caller for the buffers */
	/*
	 * Capabilities the caller sent (copy), one reference each, owned by
	 * dispatch, and the rights of the caller's slots: whatever the handler
	 * makes of one (a spawn grant, a revocable copy) gets no more.
	 */
	struct kobj *xfer_in[CAPOS_XFER_MAX];
	uint8_t xfer_in_rights[CAPOS_XFER_MAX];
	uint32_t xfer_in_count;
	/* Result capabilities for the caller (call_result_cap), one reference each. */
	struct kobj *xfer_out[CAPOS_XFER_MAX];
	uint8_t xfer_out_rights[CAPOS_XFER_MAX];	/* CAP_RIGHT_* of each */
	uint32_t xfer_out_count;
	/* Caller's table slots for result caps 0..count-1 (call_result_reserve), or none. */
	struct cap_reservation xfer_rsv;
};

/*
 * Hands `obj` (and the caller's reference to it) back to the calling process
 * as a result capability. Returns its transfer result record index, which the
 * result payload names, or CAPOS_ERR_INVALID_ARGUMENT (too many, or more than
 * call_result_reserve made room for; the reference is dropped). Indices are
 * handed out in order from 0, so a handler may name them in its result before
 * it has the objects.
 */
int call_result_cap(struct call_ctx *ctx, struct kobj *obj);

/*
 * call_result_cap with the rights the caller's slot gets (CAP_RIGHT_*):
 * for a capability made from one the caller sent, never more than that
 * one's (ctx->xfer_in_rights). call_result_cap gives CAP_RIGHTS_ALL, for
 * objects the handler creates.
 */
int call_result_cap_rights(struct call_ctx *ctx, struct kobj *obj, uint32_t rights);

/*
 * Decode, then invoke, for a handler whose action cannot be undone (spawn):
 * called after the result is built and before acting, it makes sure the
 * answer with `ncaps` more result capabilities will reach the caller.
 * Checks that they fit a call (CAPOS_XFER_MAX in all), that the result buffer
 * holds their transfer records after the result, and reserves a slot in the
 * caller's table for every result capability (those added before too), so
 * that installing them afterwards cannot fail. Dispatch commits the slots as
 * it installs the capabilities, or frees them if the call fails
 * (call_result_unreserve). The result must not grow afterwards. At most once
 * per call. Returns 0, CAPOS_ERR_INVALID_ARGUMENT (too many),
 * CAPOS_ERR_RESULT_TOO_SMALL or CAPOS_ERR_CAP_TABLE_FULL; nothing reserved
 * on error.
 */
int __must_check call_result_reserve(struct call_ctx *ctx, uint32_t ncaps);

/*
 * For dispatch: installs result capability i in the caller's table (its
 * reserved slot if there is one: cannot fail), taking over its reference, and
 * returns the id in *id. Returns 0 or CAPOS_ERR_CAP_TABLE_FULL (unreserved).
 */
int __must_check call_result_install(struct call_ctx *ctx, uint32_t i, capos_cap_t *id);

/* For dispatch, when the call is done: frees the reserved slots not installed. */
void call_result_unreserve(struct call_ctx *ctx);

/*
 * Opens the params as a framed Cap'n Proto message (segments point into the
 * kernel copy). Returns 0 or CAPOS_ERR_MALFORMED_MESSAGE. The handler must
 * still check capnp_msg_error() after reading fields.
 */
int __must_check call_params_open(struct call_ctx *ctx, struct capnp_msg *msg);

/*
 * Starts building the result message directly in the result buffer (one
 * segment, after room for its segment table). Returns 0 or
 * CAPOS_ERR_RESULT_TOO_SMALL if the buffer cannot hold even an empty message.
 */
int __must_check call_result_begin(struct call_ctx *ctx, struct capnp_msg *msg);

/*
 * Finishes the result message: writes its segment table, sets
 * result_written. Returns 0, or CAPOS_ERR_RESULT_TOO_SMALL if building ran out
 * of room (result_written stays 0).
 */
int __must_check call_result_end(struct call_ctx *ctx, struct capnp_msg *msg);

/*
 * Replaces any result with a serialised CapException {type, reason} (reason
 * cut to 256 bytes). Returns CAPOS_ERR_APPLICATION_EXCEPTION (result_written
 * = its size), or CAPOS_ERR_APPLICATION_EXCEPTION_TRUNCATED when it does not
 * fit (result_written 0). Handlers return its value.
 */
int call_raise(struct call_ctx *ctx, uint16_t type, const char *reason);

/*
 * call_raise of `overloaded` for a refused allocation: "WHO: over the
 * caller's memory quota" when err is CAPOS_ERR_QUOTA_EXCEEDED (a charge,
 * mm/account.h), else "WHO: out of kernel memory".
 */
int call_raise_no_memory(struct call_ctx *ctx, int err, const char *who);

#endif
