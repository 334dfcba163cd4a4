// SPDX-License-Identifier: MIT
/*
 * Revoker: the authority over one revoke set (cap/forward.h,
 * docs/revocation.md). wrap() makes a revocable copy (a forwarder) of a
 * capability the caller sends, with the rights the caller's slot had, or
 * fewer; revoke() ends every copy. Made by CapabilityManager.newRevoker.
 * The Revoker is itself transferable (a broker may hand a session's
 * revoker to whoever ends sessions). When its last reference goes, its set
 * is revoked: nobody could revoke it any more, and a bundle must not
 * outlive the authority that ends it (a broker that dies ends its
 * sessions).
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "cap/forward.h"
#include "capos.capnp.h"
#include "mm/kmalloc.h"
#include "mm/account.h"
#include "obj/revoker.h"
#include "ring/call.h"

struct revoker {
	struct kobj obj;
	struct revoke_set *set;		/* one reference; never changes */
	struct kmem_charge charge;	/* its creator's: itself, its set, the set's copies */
};

static const struct kobj_ops revoker_ops;

/* The CapException for each reason a set refuses a new member. */
static int wrap_refused(struct call_ctx *ctx, enum fwd_error err)
{
	switch (err) {
	case FWD_ERR_TARGET_REVOKED:
		return CAPOS_ERR_DISCONNECTED;	/* as any use of a revoked capability */
	case FWD_ERR_TOO_DEEP:
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "Revoker.wrap: revocable copies nest at most 4 deep");
	case FWD_ERR_SET_FULL:
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "Revoker.wrap: 64 live copies under this revoker already");
	case FWD_ERR_SET_REVOKED:
		return call_raise(ctx, capos_CapException_Type_failed,
				  "Revoker.wrap: this revoker has revoked its copies");
	default:
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "Revoker.wrap: out of kernel memory");
	}
}

/* Decodes wrap's params: the one descriptor sent, and the rights its copy gets. */
static int wrap_decode(struct call_ctx *ctx, uint32_t *rights)
{
	struct capnp_msg in;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	struct capos_Revoker_wrap_Params p = capos_Revoker_wrap_Params_root(&in);
	uint16_t idx = capos_Revoker_wrap_Params_get_cap(p);
	bool drop = capos_Revoker_wrap_Params_get_dropTransfer(p);

	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (ctx->xfer_in_count != 1 || idx != 0)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "Revoker.wrap: send exactly one capability, index 0");
	/*
	 * A Revoker's destroy() revokes, which drops its copies' targets: if a
	 * target could be another Revoker whose only reference that is, one
	 * release would destroy a chain of Revokers as deep as user space made
	 * it, one nested destroy() per link, on the kernel stack.
	 */
	if (ctx->xfer_in[0]->ops == &revoker_ops)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "Revoker.wrap: a Revoker cannot be made revocable");
	*rights = ctx->xfer_in_rights[0];
	if (drop)
		*rights &= ~CAP_RIGHT_TRANSFER;
	return 0;
}

/*
 * Decode, then invoke: the result (one capability) is built and its slot
 * reserved before the forwarder exists, so a failure leaves the set as it was.
 */
static int revoker_wrap(struct revoker *rv, struct call_ctx *ctx)
{
	struct capnp_msg out;
	struct kobj *fwd;
	uint32_t rights = 0;
	int err = wrap_decode(ctx, &rights);

	if (!err)
		err = call_result_begin(ctx, &out);
	if (err)
		return err;
	capos_Revoker_wrap_Results_set_capIndex(capos_Revoker_wrap_Results_init_root(&out),
						(uint16_t)ctx->xfer_out_count);
	err = call_result_end(ctx, &out);
	if (!err)
		err = call_result_reserve(ctx, 1);
	if (err)
		return err;
	enum fwd_error ferr = fwd_create(rv->set, ctx->xfer_in[0], &fwd);

	if (ferr)
		return wrap_refused(ctx, ferr);
	return call_result_cap_rights(ctx, fwd, rights) < 0 ? CAPOS_ERR_INVALID_ARGUMENT : 0;
}

static int revoker_revoke(struct revoker *rv, struct call_ctx *ctx)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);	/* room for the answer first */

	if (err)
		return err;
	capos_Revoker_revoke_Results_init_root(&out);
	err = call_result_end(ctx, &out);
	if (!err)
		revoke_set_revoke(rv->set);
	return err;
}

static int revoker_call(struct kobj *obj, struct call_ctx *ctx)
{
	struct revoker *rv = (struct revoker *)obj;

	switch (ctx->method_id) {
	case 0:
		return revoker_wrap(rv, ctx);
	case 1:
		return revoker_revoke(rv, ctx);
	default:
		return CAPOS_ERR_UNKNOWN_METHOD;
	}
}

static void revoker_destroy(struct kobj *obj)
{
	struct revoker *rv = (struct revoker *)obj;

	revoke_set_revoke(rv->set);	/* nobody could revoke it any more */
	revoke_set_put(rv->set);
	kmem_charge_drop(&rv->charge);
	kfree(rv);
}

static const struct kobj_ops revoker_ops = {
	.iface_id = CAPOS_IFACE_REVOKER,
	.name = "Revoker",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = revoker_call,
	.destroy = revoker_destroy,
};

/*
 * Paid for by its creator, with room for every copy its set may hold: the
 * copies are made by whoever holds the Revoker, and live (revoked, holding
 * nothing) in their holders' tables until released, bounded by those tables.
 */
static uint64_t revoker_bytes(void)
{
	return kmalloc_footprint(sizeof(struct revoker)) + revoke_set_footprint();
}

int revoker_create(struct mem_account *payer, struct kobj **out)
{
	struct kmem_charge charge;
	int err = kmem_charge_take(&charge, payer, revoker_bytes());

	if (err)
		return err;
	struct revoker *rv = kzalloc(sizeof(*rv));

	if (!rv) {
		kmem_charge_drop(&charge);
		return CAPOS_ERR_NO_MEMORY;
	}
	rv->charge = charge;
	rv->set = revoke_set_create();
	if (!rv->set) {
		kmem_charge_drop(&rv->charge);
		kfree(rv);
		return CAPOS_ERR_NO_MEMORY;
	}
	kobj_init(&rv->obj, &revoker_ops);
	*out = &rv->obj;
	return 0;
}
