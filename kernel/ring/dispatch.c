// SPDX-License-Identifier: MIT
/*
 * One SQE, from the kernel's copy to its CQE (docs/ring.md, "SQE validation"
 * and "Opcodes"). Decode, then invoke: ring_sqe_check() and the capability
 * lookup find the precise error with no side effect; only then does an
 * opcode act. Every path ends in exactly one ring_post(), which gives back
 * the CQ credit the SQE took in ring_consume, either here or later (an
 * operation that returns KOBJ_CALL_PENDING posts when it completes).
 *
 * CALL on a kernel object copies the params into a kernel buffer (never
 * parsed in place: user code could change them under the parser), takes a
 * reference to each capability sent (copy only), checks that the result
 * buffer is writable before the object acts, lets the object's handler build
 * its answer in a kernel result buffer (ring/call.h), installs the result
 * capabilities and copies the answer out, all or nothing; or the handler
 * queues the call to answer it later (KOBJ_CALL_PENDING, ipc/kcall.h). An object that
 * takes ring operations itself (an IPC endpoint: struct kobj_ring_ops in
 * cap/object.h) gets them through the same lookup and rights check;
 * RECV/RETURN on any other object is NOT_PERMITTED.
 */
#include <capos/endpoint.h>
#include <capos/errors.h>
#include <capos/layout.h>

#include "cap/forward.h"
#include "cap/table.h"
#include "cap/xfer.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/account.h"
#include "mm/kmalloc.h"
#include "ring/call.h"
#include "ring/dispatch.h"
#include "ring/seam.h"
#include "ring/sqe_check.h"

int ring_sqe_check(const struct capos_sqe *s)
{
	uint64_t w[8];

	__builtin_memcpy(w, s, sizeof(w));
	return sqe_check_op(w, s->opcode, s->flags, false);
}

/*
 * The heap a CALL's kernel buffers take beyond the small size classes:
 * what the caller's payer is charged while the handler runs. Small
 * buffers go uncharged (a handler never blocks, so a CPU holds one pair at
 * a time), so a process at its quota can still unmap and release.
 */
static uint64_t ring_call_charge(uint32_t params_len, uint32_t result_len)
{
	uint64_t bytes = 0;

	if (params_len > KMALLOC_MAX_SMALL)
		bytes += kmalloc_footprint(params_len);
	if (result_len > KMALLOC_MAX_SMALL)
		bytes += kmalloc_footprint(result_len);
	return bytes;
}

/*
 * Allocates the kernel buffers of a CALL and copies the params in, after
 * charging the caller for them (ctx->charged, given back by ring_call_kernel).
 */
static int ring_call_buffers(struct call_ctx *ctx, struct kobj *obj, const struct ring_caller *c,
			     const struct capos_sqe *s)
{
	uint32_t max = obj->ops->result_max;
	uint32_t result_len = max && s->result_len > max ? max : s->result_len;
	uint64_t charge = ring_call_charge(s->params_len, result_len);

	ctx->params_len = s->params_len;
	ctx->result_cap = result_len;
	if (charge) {
		int err = mem_account_charge_kmem(c->kmem, charge);

		if (err)
			return err;
		ctx->charged = charge;
	}
	if (s->params_len) {
		ctx->params = kmalloc(s->params_len);
		if (!ctx->params)
			return CAPOS_ERR_NO_MEMORY;
		if (as_copy_in(c->as, (void *)ctx->params, s->params_addr, s->params_len))
			return CAPOS_ERR_BAD_ADDRESS;
	}
	if (result_len) {
		ctx->result = kmalloc(result_len);
		if (!ctx->result)
			return CAPOS_ERR_NO_MEMORY;
	}
	return 0;
}

/*
 * Inserts the result capabilities into the caller's table and appends their
 * transfer result records after the payload (8-byte aligned). All or nothing:
 * if one insert fails, the ones before are removed again.
 */
static int ring_call_xfer_out(struct call_ctx *ctx, const struct ring_caller *c,
			      struct capos_cqe *cqe)
{
	uint32_t off = (ctx->result_written + 7u) & ~7u;
	struct capos_xfer_result *rec;
	uint32_t n = ctx->xfer_out_count;

	if (n == 0)
		return 0;
	/* Checked before forming rec: result is NULL when result_len is 0. */
	if ((uint64_t)off + n * sizeof(*rec) > ctx->result_cap)
		return CAPOS_ERR_RESULT_TOO_SMALL;
	rec = (struct capos_xfer_result *)(ctx->result + off);
	for (uint32_t i = 0; i < n; i++) {
		capos_cap_t id;
		int err = call_result_install(ctx, i, &id);	/* cannot fail if reserved */

		if (err) {
			/* Take back the references inserted so far; ring_call_xfer_put drops them all. */
			while (i--) {
				/*
				 * A sibling thread may have released the id it
				 * guessed: its reference went with the release.
				 */
				if (cap_table_take(c->caps, rec[i].cap_id, &ctx->xfer_out[i]))
					ctx->xfer_out[i] = NULL;
			}
			return err;
		}
		rec[i] = (struct capos_xfer_result){ .cap_id = id,
						     .interface_id = ctx->xfer_out[i]->iface_id };
	}
	ctx->xfer_out_count = 0;	/* the table took over every reference */
	memset(ctx->result + ctx->result_written, 0, off - ctx->result_written);
	cqe->flags |= CAPOS_CQE_F_XFER;
	cqe->xfer_count = (uint8_t)n;
	return (int)(off + n * sizeof(*rec));
}

/*
 * The answer could not be delivered (the result buffer was unmapped after it
 * was checked): releases the result capabilities ring_call_xfer_out inserted,
 * since the caller never learns their ids.
 */
static void ring_call_xfer_undo(struct call_ctx *ctx, const struct ring_caller *c,
				struct capos_cqe *cqe)
{
	uint32_t off = (ctx->result_written + 7u) & ~7u;
	const struct capos_xfer_result *rec;
	uint32_t i;

	if (!(cqe->flags & CAPOS_CQE_F_XFER))
		return;
	rec = (const struct capos_xfer_result *)(ctx->result + off);
	for (i = 0; i < cqe->xfer_count; i++) {
		/* Fails only if another thread guessed the id and released it first. */
		if (cap_table_remove(c->caps, rec[i].cap_id))
			continue;
	}
	cqe->flags &= ~CAPOS_CQE_F_XFER;
	cqe->xfer_count = 0;
}

/* Drops every reference a call still holds on transferred capabilities. */
static void ring_call_xfer_put(struct call_ctx *ctx)
{
	for (uint32_t i = 0; i < ctx->xfer_in_count; i++)
		kobj_put(ctx->xfer_in[i]);
	for (uint32_t i = 0; i < ctx->xfer_out_count; i++)
		if (ctx->xfer_out[i])	/* NULL: released by a sibling (ring_call_xfer_out) */
			kobj_put(ctx->xfer_out[i]);
	call_result_unreserve(ctx);
}

/* Runs the handler and turns its outcome into the CQE; returns the CQE result. */
static int ring_call_invoke(struct kobj *obj, struct call_ctx *ctx, const struct ring_caller *c,
			    const struct capos_sqe *s, struct capos_cqe *cqe)
{
	int ret = obj->ops->call(obj, ctx);

	if (ret == KOBJ_CALL_PENDING)
		return ret;	/* queued: the object answers later (ipc/kcall.h) */
	if (ret != 0 && ret != CAPOS_ERR_APPLICATION_EXCEPTION) {
		assert(ret < 0);
		return ret;
	}
	assert(ctx->result_written <= ctx->result_cap);
	uint32_t copy_len = ctx->result_written;
	if (ret == 0) {
		int with_records = ring_call_xfer_out(ctx, c, cqe);

		if (with_records < 0)
			return with_records;
		if ((uint32_t)with_records > copy_len)
			copy_len = (uint32_t)with_records;
	}
	if (copy_len && as_copy_out(c->as, s->result_addr, ctx->result, copy_len)) {
		ring_call_xfer_undo(ctx, c, cqe);
		return CAPOS_ERR_BAD_ADDRESS;
	}
	cqe->written = ctx->result_written;
	return ret ? ret : (int)ctx->result_written;
}

/*
 * CALL on a kernel object: the handler runs now, in the caller's thread.
 * Capabilities sent to a kernel object are copies whatever their mode: it
 * keeps what it needs through its own references, so a move is a copy plus
 * the sender's slot freed once the call succeeded.
 */
static int ring_call_object(struct kobj *obj, const struct ring_caller *c,
			    const struct capos_sqe *s, struct capos_cqe *cqe)
{
	struct call_ctx ctx = { .method_id = s->method_id, .caller = c, .sqe = s };
	struct cap_xfer x[CAPOS_XFER_MAX];
	struct kobj_defer moved = { .n = 0 };
	uint32_t nx = 0;
	int err;

	if (s->xfer_count &&
	    (err = cap_xfer_collect(c->caps, c->as, s->xfer_addr, s->xfer_count, x, &nx)) != 0)
		return err;
	for (uint32_t i = 0; i < nx; i++) {
		ctx.xfer_in[i] = x[i].obj;
		ctx.xfer_in_rights[i] = x[i].rights;
	}
	ctx.xfer_in_count = nx;
	if (s->result_len && as_check_access(c->as, s->result_addr, s->result_len, AS_PROT_WRITE)) {
		err = CAPOS_ERR_BAD_ADDRESS;
		goto out_xfer;
	}
	err = ring_call_buffers(&ctx, obj, c, s);
	if (!err)
		err = ring_call_invoke(obj, &ctx, c, s, cqe);
	if (err >= 0)
		cap_xfer_finish_moves(c->caps, x, nx, &moved);
	kfree(ctx.result);
	kfree((void *)ctx.params);
	if (ctx.charged)
		mem_account_uncharge_kmem(c->kmem, ctx.charged);
	kobj_defer_flush(&moved);
out_xfer:
	ring_call_xfer_put(&ctx);
	return err;
}

/*
 * An SQE refused before its object acted. For a RECV | REPLY that means its
 * answer did not go out either: CAPOS_CQE_F_REPLY_FAILED (docs/ipc.md).
 */
static int ring_refuse(const struct capos_sqe *s, struct capos_cqe *cqe, int err)
{
	if (s->opcode == CAPOS_OP_RECV && (s->flags & CAPOS_SQE_F_REPLY))
		cqe->flags |= CAPOS_CQE_F_REPLY_FAILED;
	return err;
}

int ring_invoke(struct kobj *obj, uint32_t rights, const struct ring_caller *c,
		const struct capos_sqe *s, struct capos_cqe *cqe)
{
	const struct kobj_ring_ops *ring = obj->ops->ring;

	switch (s->opcode) {
	case CAPOS_OP_CALL:
		if (!(rights & CAP_RIGHT_CALL))
			return CAPOS_ERR_NOT_PERMITTED;
		return ring && ring->call ? ring->call(obj, c, s, cqe)
					  : ring_call_object(obj, c, s, cqe);
	case CAPOS_OP_RECV:
		if (ring && ring->recv)
			return ring->recv(obj, c, s, cqe);
		return ring_refuse(s, cqe, CAPOS_ERR_NOT_PERMITTED);
	default:
		return ring && ring->ret ? ring->ret(obj, c, s, cqe) : CAPOS_ERR_NOT_PERMITTED;
	}
}

/*
 * CALL, RECV and RETURN: the capability is held for the operation. A
 * revocable capability (a forwarder, cap/forward.h) is resolved to what it
 * stands for first, or is DISCONNECTED; the IPC fast path never sees one
 * (its lookup wants an endpoint side's own ops) and declines to here. The
 * rights are the slot's, forwarder or not. A RECV | REPLY that fails here,
 * before its object acted, did not answer.
 */
static int ring_cap_op(const struct ring_caller *c, const struct capos_sqe *s,
		       struct capos_cqe *cqe)
{
	struct kobj *obj;
	uint32_t rights;
	int err;

	err = cap_table_lookup(c->caps, s->cap_id, &obj, &rights);
	if (!err && kobj_is_forwarder(obj))
		err = fwd_resolve(&obj);
	if (err)
		return ring_refuse(s, cqe, err);
	err = ring_invoke(obj, rights, c, s, cqe);
	kobj_put(obj);
	return err;
}

static int ring_do(const struct ring_caller *c, const struct capos_sqe *s, struct capos_cqe *cqe)
{
	int err = ring_sqe_check(s);

	if (err)
		return ring_refuse(s, cqe, err);
	switch (s->opcode) {
	case CAPOS_OP_CALL:
	case CAPOS_OP_RECV:
	case CAPOS_OP_RETURN:
		return ring_cap_op(c, s, cqe);
	case CAPOS_OP_RELEASE:
		return cap_table_remove(c->caps, s->cap_id);
	case CAPOS_OP_PARK:
		return ring_park(c, s);
	case CAPOS_OP_UNPARK:
		return ring_unpark(c, s);
	default:
		return 0;	/* NOP: ring_sqe_check found nothing wrong */
	}
}

void ring_cqe_prepare(struct capos_cqe *cqe)
{
	cqe->written = 0;	/* handlers may set these four; the rest when posting */
	cqe->flags = 0;
	cqe->xfer_count = 0;
	cqe->call_id = 0;
}

uint32_t ring_complete(struct ring *r, const struct capos_sqe *sqe, int ret, struct capos_cqe *cqe)
{
	if (ret == KOBJ_CALL_PENDING)
		return 0;	/* the credit stays taken until ring_post completes it */
	if (ret >= 0 && (sqe->flags & CAPOS_SQE_F_SKIP_SUCCESS))
		return 1;	/* no CQE: the caller gives the credit back */
	cqe->user_data = sqe->user_data;
	cqe->result = ret;
	cqe->opcode = sqe->opcode;
	cqe->_pad = 0;
	cqe->reserved = 0;
	/* A CQE that finds the CQ full is counted in cq_overflow by ring_post. */
	(void)ring_post(r, cqe);
	return 0;
}

bool ring_dispatch(struct ring *r, const struct ring_caller *caller, const struct capos_sqe *sqe)
{
	struct capos_cqe cqe;
	int ret;

	ring_cqe_prepare(&cqe);
	ret = ring_do(caller, sqe, &cqe);
	return ring_complete(r, sqe, ret, &cqe) != 0;
}
