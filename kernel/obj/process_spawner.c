// SPDX-License-Identifier: MIT
/*
 * ProcessSpawner: starts a binary of the boot package as a new process with
 * exactly the capabilities the caller lists in `grants`, each one a
 * capability the caller sends with the CALL (a transfer descriptor index).
 * Nothing else reaches the child: no ambient authority. The result carries a
 * ProcessHandle for the child as a result capability (handleIndex).
 *
 * A grant asking for a new endpoint owned by the child needs endpoints (M4)
 * and is refused as unimplemented until then.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "cap/table.h"
#include "obj/process_handle.h"
#include "obj/process_spawner.h"
#include "proc/bootpkg.h"
#include "proc/proc.h"
#include "ring/call.h"

struct spawn_request {
	struct capnp_text name;
	struct capnp_text binary;
	struct proc_grant grants[CAPOS_XFER_MAX];
	char names[CAPOS_XFER_MAX][PROC_NAME_MAX];
	uint32_t ngrants;
};

/* Decodes one grant; returns 0, a transport error, or a CapException already raised. */
static int decode_grant(struct call_ctx *ctx, struct capos_CapGrant g, struct spawn_request *rq)
{
	struct capos_CapGrant_source src = capos_CapGrant_get_source(g);
	struct capnp_text name = capos_CapGrant_get_name(g);
	uint32_t i = rq->ngrants;

	if (capos_CapGrant_source_which(src) != capos_CapGrant_source_which_transfer)
		return call_raise(ctx, capos_CapException_Type_unimplemented,
				  "spawn: new endpoints arrive with IPC (M4)");
	uint16_t idx = capos_CapGrant_source_get_transfer(src);
	if (idx >= ctx->xfer_in_count || !ctx->xfer_in[idx])
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: grant names a transfer descriptor that was not sent");
	if (ctx->xfer_in[idx]->ops->iface_id != capos_CapGrant_get_interfaceId(g))
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: granted capability has another interface");
	if (name.len == 0 || name.len >= PROC_NAME_MAX)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: grant names must be 1..31 bytes");
	for (uint32_t c = 0; c < name.len; c++)
		rq->names[i][c] = name.str[c];
	rq->names[i][name.len] = 0;
	rq->grants[i] = (struct proc_grant){ rq->names[i], ctx->xfer_in[idx], CAP_RIGHTS_ALL };
	rq->ngrants++;
	return 0;
}

static int decode_request(struct call_ctx *ctx, struct capnp_msg *in, struct spawn_request *rq)
{
	struct capos_ProcessSpawner_spawn_Params p = capos_ProcessSpawner_spawn_Params_root(in);
	struct capos_CapGrant__list grants = capos_ProcessSpawner_spawn_Params_get_grants(p);
	uint32_t n = capos_CapGrant__list_len(grants);

	rq->name = capos_ProcessSpawner_spawn_Params_get_name(p);
	rq->binary = capos_ProcessSpawner_spawn_Params_get_binary(p);
	if (capnp_msg_error(in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (n > CAPOS_XFER_MAX)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: at most 16 grants");
	for (uint32_t i = 0; i < n; i++) {
		int err = decode_grant(ctx, capos_CapGrant__list_get(grants, i), rq);

		if (capnp_msg_error(in))
			return CAPOS_ERR_MALFORMED_MESSAGE;
		if (err)
			return err;
	}
	return 0;
}

static int spawner_spawn(struct call_ctx *ctx)
{
	struct spawn_request rq = { 0 };
	struct proc_handle *handle;
	struct bootpkg_binary bin;
	struct capnp_msg in, out;
	int err = call_params_open(ctx, &in);

	if (!err)
		err = decode_request(ctx, &in, &rq);
	if (err)
		return err;
	if (!bootpkg_find(rq.binary.str, rq.binary.len, &bin))
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: no such binary in the boot package");
	err = proc_spawn(rq.name.len ? rq.name.str : rq.binary.str, bin.data, bin.size, rq.grants,
			 rq.ngrants, &handle);
	if (err)
		return call_raise(ctx, capos_CapException_Type_failed,
				  "spawn: the binary could not be loaded");
	int index = call_result_cap(ctx, &handle->obj);	/* takes over the reference */
	if (index < 0)
		return index;
	err = call_result_begin(ctx, &out);
	if (err)
		return err;
	struct capos_ProcessSpawner_spawn_Results_builder r =
		capos_ProcessSpawner_spawn_Results_init_root(&out);
	capos_ProcessSpawner_spawn_Results_set_handleIndex(r, (uint16_t)index);
	return call_result_end(ctx, &out);
}

static int spawner_call(struct kobj *obj, struct call_ctx *ctx)
{
	(void)obj;
	if (ctx->method_id == 0)
		return spawner_spawn(ctx);
	return CAPOS_ERR_UNKNOWN_METHOD;
}

static void spawner_destroy(struct kobj *obj)
{
	(void)obj;	/* static object */
}

static const struct kobj_ops process_spawner_ops = {
	.iface_id = CAPOS_IFACE_PROCESS_SPAWNER,
	.name = "ProcessSpawner",
	.flags = KOBJ_F_TRANSFERABLE,
	.call = spawner_call,
	.destroy = spawner_destroy,
};

static struct kobj process_spawner_obj;

struct kobj *process_spawner_object(void)
{
	if (!process_spawner_obj.ops)
		kobj_init(&process_spawner_obj, &process_spawner_ops);
	return &process_spawner_obj;
}
