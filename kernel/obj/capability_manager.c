// SPDX-License-Identifier: MIT
/*
 * CapabilityManager: what a process may ask about its own capability table.
 * usage() reports the caller's used slots and quota. Every call acts on the
 * calling process's table (ctx->caller), never on a table the object names,
 * so one stateless object serves every holder and copying it to another
 * process gives that process only a view of its own table. M5 adds
 * revocation here.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "cap/table.h"
#include "capos.capnp.h"
#include "obj/capability_manager.h"
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

static int manager_call(struct kobj *obj, struct call_ctx *ctx)
{
	(void)obj;
	return ctx->method_id == 0 ? manager_usage(ctx) : CAPOS_ERR_UNKNOWN_METHOD;
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
