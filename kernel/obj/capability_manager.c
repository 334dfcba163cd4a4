// SPDX-License-Identifier: MIT
/*
 * CapabilityManager: what a process may ask about its own capability table.
 * usage() reports the caller's used slots and quota. Every call acts on the
 * calling process's table (ctx->caller), never on a table the object names,
 * so one stateless object serves every holder and copying it to another
 * process gives that process only a view of its own table. newRevoker()
 * makes a Revoker (obj/revoker.c), the authority to make revocable copies
 * and to revoke them.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "cap/table.h"
#include "capos.capnp.h"
#include "obj/capability_manager.h"
#include "obj/revoker.h"
#include "ring/call.h"
#include "ring/ring.h"

static int manager_usage(struct call_ctx *ctx)
{
	uint32_t used, quota;
	struct capnp_msg out;
	int err;

	cap_table_usage(ctx->caller->caps, &used, &quota);
	err = call_result_begin(ctx, &out);
	if (err)
		return err;
	struct capos_CapabilityManager_usage_Results_builder r =
		capos_CapabilityManager_usage_Results_init_root(&out);
	capos_CapabilityManager_usage_Results_set_used(r, used);
	capos_CapabilityManager_usage_Results_set_quota(r, quota);
	return call_result_end(ctx, &out);
}

/* Decode, then invoke: the answer and the caller's slot first, then the Revoker. */
static int manager_new_revoker(struct call_ctx *ctx)
{
	struct capnp_msg out;
	struct kobj *rv;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	capos_CapabilityManager_newRevoker_Results_set_revokerIndex(
		capos_CapabilityManager_newRevoker_Results_init_root(&out),
		(uint16_t)ctx->xfer_out_count);
	err = call_result_end(ctx, &out);
	if (!err)
		err = call_result_reserve(ctx, 1);
	if (err)
		return err;
	err = revoker_create(ctx->caller->kmem, &rv);
	if (err)
		return call_raise_no_memory(ctx, err, "CapabilityManager.newRevoker");
	return call_result_cap(ctx, rv) < 0 ? CAPOS_ERR_INVALID_ARGUMENT : 0;
}

static int manager_call(struct kobj *obj, struct call_ctx *ctx)
{
	(void)obj;
	switch (ctx->method_id) {
	case 0:
		return manager_usage(ctx);
	case 1:
		return manager_new_revoker(ctx);
	default:
		return CAPOS_ERR_UNKNOWN_METHOD;
	}
}

static const struct kobj_ops capability_manager_ops = {
	.iface_id = CAPOS_IFACE_CAPABILITY_MANAGER,
	.name = "CapabilityManager",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = manager_call,
	.destroy = kobj_destroy_static,
};

static struct kobj capability_manager_obj;

struct kobj *capability_manager_object(void)
{
	return kobj_singleton(&capability_manager_obj, &capability_manager_ops);
}
