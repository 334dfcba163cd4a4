// SPDX-License-Identifier: MIT
/*
 * ProcessSpawner: starts a binary of the boot package as a new process with
 * exactly the capabilities the caller lists in `grants`, each one a
 * capability the caller sends with the CALL (a transfer descriptor index).
 * Nothing else reaches the child: no ambient authority. The result carries a
 * ProcessHandle for the child as a result capability (handleIndex).
 *
 * A grant may instead ask for a new endpoint: the child owns it under the
 * grant's name and the caller gets a client facet (results.endpoints); or
 * for the child's own VirtualMemory, whose page quota the caller gives from
 * its own (mm/account.h).
 *
 * The caller's `args` become the child's arguments on its CapSet page.
 *
 * Decode, then invoke: the names, every grant, every transfer descriptor
 * (each used by exactly one grant, so that no capability sent is dropped
 * unseen), the args and the binary's ELF image are checked, and the answer built and
 * its result capabilities reserved, before proc_spawn acts.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "cap/table.h"
#include "ipc/endpoint.h"
#include "elf/elf64.h"
#include "fmt/fmt.h"
#include "lib/kprintf.h"
#include "lib/string.h"
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
	/* newEndpoint grants: the request owns one reference to each side until it is done */
	struct kobj *owners[CAPOS_XFER_MAX];
	struct kobj *clients[CAPOS_XFER_MAX];
	uint32_t client_grant[CAPOS_XFER_MAX];	/* grant index of clients[i] */
	uint32_t nendpoints;
	uint32_t xfer_used;			/* bit i: descriptor i is granted already */
	bool vm_granted;			/* the child's own VirtualMemory is granted */
	struct proc_args args;			/* pointing into the (copied-in) params */
};

/*
 * Names a caller chooses (the process's and each grant's) are 1..31 bytes of
 * [A-Za-z0-9_.-]: no NUL that would cut them short in the child's CapSet, and
 * nothing that could forge a line of the kernel's log, which prints them.
 */
static bool name_is_valid(struct capnp_text t)
{
	if (t.len == 0 || t.len >= PROC_NAME_MAX)
		return false;
	for (uint32_t i = 0; i < t.len; i++) {
		char c = t.str[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* Whether an earlier grant of the request has this name (valid, so shorter than a slot). */
static bool name_is_taken(const struct spawn_request *rq, struct capnp_text t)
{
	for (uint32_t i = 0; i < rq->ngrants; i++)
		if (strncmp(rq->names[i], t.str, t.len) == 0 && rq->names[i][t.len] == 0)
			return true;
	return false;
}

static void request_drop_endpoints(struct spawn_request *rq)
{
	for (uint32_t i = 0; i < rq->nendpoints; i++) {
		kobj_put(rq->owners[i]);
		if (rq->clients[i])
			kobj_put(rq->clients[i]);
	}
	rq->nendpoints = 0;
}

/* A newEndpoint grant: the child will own a new endpoint, the caller gets a client facet. */
static int new_endpoint(struct call_ctx *ctx, uint64_t iface, struct spawn_request *rq,
			struct kobj **owner)
{
	uint32_t e = rq->nendpoints;

	/* Each facet is a result capability, and so is the ProcessHandle. */
	if (e + 1 >= CAPOS_XFER_MAX)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: at most 15 newEndpoint grants (16 result caps with the handle)");
	/* The spawner pays for it: the child's account does not exist yet. */
	int err = ipc_endpoint_create(iface, ctx->caller->kmem, &rq->owners[e], &rq->clients[e]);

	if (err)
		return call_raise_no_memory(ctx, err, "spawn: a newEndpoint grant");
	rq->client_grant[e] = rq->ngrants;
	rq->nendpoints++;
	*owner = rq->owners[e];
	return 0;
}

/* Decodes one grant; returns 0, a transport error, or a CapException already raised. */
static int decode_grant(struct call_ctx *ctx, struct capos_CapGrant g, struct spawn_request *rq)
{
	struct capos_CapGrant_source src = capos_CapGrant_get_source(g);
	struct capnp_text name = capos_CapGrant_get_name(g);
	uint64_t iface = capos_CapGrant_get_interfaceId(g);
	uint16_t which = capos_CapGrant_source_which(src);
	uint32_t i = rq->ngrants;
	struct kobj *obj = NULL;
	uint32_t rights = CAP_RIGHTS_ALL;	/* what the spawn creates (vm, endpoint owner) */

	if (!name_is_valid(name))
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: grant names must be 1..31 bytes of [A-Za-z0-9_.-]");
	if (name_is_taken(rq, name))
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: two grants have the same name");
	uint64_t vm_quota = 0;

	if (which == capos_CapGrant_source_which_virtualMemory) {
		if (rq->vm_granted || (iface != 0 && iface != CAPOS_IFACE_VIRTUAL_MEMORY))
			return call_raise(ctx, capos_CapException_Type_invalidArgument,
					  "spawn: at most one virtualMemory grant, of VirtualMemory");
		rq->vm_granted = true;
		vm_quota = capos_CapGrant_source_get_virtualMemory(src);	/* obj NULL */
	} else if (which == capos_CapGrant_source_which_newEndpoint) {
		int err = new_endpoint(ctx, iface, rq, &obj);

		if (err)
			return err;
	} else if (which != capos_CapGrant_source_which_transfer) {
		/* A source a later schema adds must not be read as one of these. */
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: unknown grant source");
	} else {
		uint16_t idx = capos_CapGrant_source_get_transfer(src);

		if (idx >= ctx->xfer_in_count || !ctx->xfer_in[idx])
			return call_raise(ctx, capos_CapException_Type_invalidArgument,
					  "spawn: grant names a transfer descriptor that was not sent");
		if (rq->xfer_used & (1u << idx))
			return call_raise(ctx, capos_CapException_Type_invalidArgument,
					  "spawn: a transfer descriptor is granted twice");
		rq->xfer_used |= 1u << idx;
		obj = ctx->xfer_in[idx];
		rights = ctx->xfer_in_rights[idx];	/* the caller's own: never widened */
		if (iface != 0 && obj->iface_id != iface)	/* schema: 0 accepts any */
			return call_raise(ctx, capos_CapException_Type_invalidArgument,
					  "spawn: granted capability has another interface");
	}
	for (uint32_t c = 0; c < name.len; c++)
		rq->names[i][c] = name.str[c];
	rq->names[i][name.len] = 0;
	rq->grants[i] = (struct proc_grant){ rq->names[i], obj, rights, vm_quota };
	rq->ngrants++;
	return 0;
}

/* The program's arguments: at most 16, 896 bytes with their NULs, none holding a NUL. */
static int decode_args(struct call_ctx *ctx, struct capnp_msg *in, struct capnp_list l,
		       struct proc_args *args)
{
	uint32_t n = capnp_list_len(l);

	if (n > CAPOS_ARGS_MAX)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: at most 16 args");
	for (uint32_t i = 0; i < n; i++) {
		struct capnp_text t = capnp_list_text(l, i);

		args->arg[i] = (struct proc_arg){ t.str, t.len };
	}
	if (capnp_msg_error(in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	args->argc = n;
	if (proc_args_check(args))
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: args take at most 896 bytes with a NUL after each, "
				  "and hold no NUL");
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
	if (!name_is_valid(rq->name))
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: the name must be 1..31 bytes of [A-Za-z0-9_.-]");
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
	/* A descriptor no grant uses would be dropped, and a moved one lost. */
	if (rq->xfer_used != (1u << ctx->xfer_in_count) - 1)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: a transfer descriptor is sent that no grant uses");
	return decode_args(ctx, in, capos_ProcessSpawner_spawn_Params_get_args(p), &rq->args);
}

/* The binary must be a valid capOS executable: a CapException naming the check it fails. */
static int check_image(struct call_ctx *ctx, const struct bootpkg_binary *bin)
{
	int err = proc_image_check(bin->data, bin->size);
	char reason[160];

	if (!err)
		return 0;
	fmt_snprintf(reason, sizeof(reason), "spawn: not a valid capOS executable: %s",
		     elf64_strerror(err));
	return call_raise(ctx, capos_CapException_Type_failed, reason);
}

/*
 * Builds the result before the spawn, naming the result capability indices
 * the spawn will hand out (call_result_cap counts from xfer_out_count: the
 * handle, then each client facet in grant order), so that a result buffer too
 * small fails while nothing has happened yet.
 */
static int spawn_result_build(struct call_ctx *ctx, const struct spawn_request *rq)
{
	uint32_t first = ctx->xfer_out_count;
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	struct capos_ProcessSpawner_spawn_Results_builder r =
		capos_ProcessSpawner_spawn_Results_init_root(&out);
	capos_ProcessSpawner_spawn_Results_set_handleIndex(r, (uint16_t)first);
	struct capos_ProcessSpawner_EndpointClient__list_builder l =
		capos_ProcessSpawner_spawn_Results_init_endpoints(r, rq->nendpoints);
	for (uint32_t e = 0; e < rq->nendpoints; e++) {
		struct capos_ProcessSpawner_EndpointClient_builder ec =
			capos_ProcessSpawner_EndpointClient__list_build(l, e);
		const char *gname = rq->names[rq->client_grant[e]];

		(void)capos_ProcessSpawner_EndpointClient_set_grantName(ec, gname, strlen(gname));
		capos_ProcessSpawner_EndpointClient_set_clientIndex(ec, (uint16_t)(first + 1 + e));
	}
	return call_result_end(ctx, &out);
}

/*
 * After the spawn: hands over the handle and the client facets as the result
 * capabilities the result names. Cannot fail: call_result_reserve made room.
 */
static void spawn_result_caps(struct call_ctx *ctx, struct spawn_request *rq,
			      struct proc_handle *handle)
{
	int first = call_result_cap(ctx, &handle->obj);	/* takes over the reference */

	assert(first >= 0);
	for (uint32_t e = 0; e < rq->nendpoints; e++) {
		int index = call_result_cap(ctx, rq->clients[e]);

		assert(index == first + 1 + (int)e);	/* the index the result names */
		rq->clients[e] = NULL;
	}
}

/* Starts the child; the only step that acts. A CapException if it cannot. */
static int spawn_start(struct call_ctx *ctx, const struct spawn_request *rq,
		       const struct bootpkg_binary *bin, struct proc_handle **handle)
{
	int err = proc_spawn(rq->name.str, bin->data, bin->size, rq->grants, rq->ngrants,
			     &rq->args, ctx->caller->as->account, ctx->caller->proc->kmem, handle);

	if (err == CAPOS_ERR_NO_MEMORY)
		return call_raise(ctx, capos_CapException_Type_overloaded, "spawn: out of memory");
	if (err == CAPOS_ERR_QUOTA_EXCEEDED)
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "spawn: the memory quota asked for is more than the caller has left");
	if (err)
		return call_raise(ctx, capos_CapException_Type_failed,
				  "spawn: the binary could not be loaded");
	return 0;
}

/*
 * Decode, then invoke: every check the answer needs (params, binary, result
 * room, result capability count, slots in the caller's table) comes before
 * proc_spawn, so a spawn either happens and is fully reported, or nothing
 * happened: no child, no capability for the caller, and (since the call
 * fails) no moved grant leaves the caller.
 */
static int spawner_spawn(struct call_ctx *ctx)
{
	struct spawn_request rq = { 0 };
	struct proc_handle *handle;
	struct bootpkg_binary bin;
	struct capnp_msg in;
	int err = call_params_open(ctx, &in);

	if (!err)
		err = decode_request(ctx, &in, &rq);
	if (!err && !bootpkg_find(rq.binary.str, rq.binary.len, &bin))
		err = call_raise(ctx, capos_CapException_Type_invalidArgument,
				 "spawn: no such binary in the boot package");
	if (!err)
		err = check_image(ctx, &bin);
	if (!err)
		err = spawn_result_build(ctx, &rq);
	if (!err)	/* the handle and each client facet */
		err = call_result_reserve(ctx, 1 + rq.nendpoints);
	if (!err)
		err = spawn_start(ctx, &rq, &bin, &handle);
	if (!err)
		spawn_result_caps(ctx, &rq, handle);
	request_drop_endpoints(&rq);	/* the child's table holds the owners now */
	return err;
}

static int spawner_call(struct kobj *obj, struct call_ctx *ctx)
{
	(void)obj;
	if (ctx->method_id == 0)
		return spawner_spawn(ctx);
	return CAPOS_ERR_UNKNOWN_METHOD;
}

static const struct kobj_ops process_spawner_ops = {
	.iface_id = CAPOS_IFACE_PROCESS_SPAWNER,
	.name = "ProcessSpawner",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = spawner_call,
	.destroy = kobj_destroy_static,
};

static struct kobj process_spawner_obj;

struct kobj *process_spawner_object(void)
{
	return kobj_singleton(&process_spawner_obj, &process_spawner_ops);
}
