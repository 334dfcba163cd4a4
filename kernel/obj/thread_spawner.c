// SPDX-License-Identifier: MIT
/*
 * ThreadSpawner: spawn(entry, stack, arg, tp) starts a thread in the
 * caller's own process (proc_thread_spawn). One stateless object serves
 * every holder: it acts on whoever calls, so passing it on gives the
 * receiver the right to run threads in itself, never in the giver
 * (docs/threads.md). Decode, then invoke: the addresses, the result room
 * (the answer is built first with a placeholder id, as VirtualMemory.map
 * does) and a slot for the handle are checked before the thread exists.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>
#include <capos/layout.h>

#include "capos.capnp.h"
#include "obj/thread_handle.h"
#include "obj/thread_spawner.h"
#include "proc/proc.h"
#include "ring/call.h"

static int spawn_result(struct call_ctx *ctx, uint16_t handle_index, uint32_t tid)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	struct capos_ThreadSpawner_spawn_Results_builder r =
		capos_ThreadSpawner_spawn_Results_init_root(&out);
	capos_ThreadSpawner_spawn_Results_set_handleIndex(r, handle_index);
	capos_ThreadSpawner_spawn_Results_set_threadId(r, tid);
	return call_result_end(ctx, &out);
}

static bool user_addr(uint64_t va)
{
	return va >= CAPOS_USER_MIN && va < CAPOS_USER_END;
}

static int spawn_refused(struct call_ctx *ctx, int err)
{
	if (err == CAPOS_ERR_QUOTA_EXCEEDED || err == CAPOS_ERR_NO_MEMORY)
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "spawn: thread quota, kernel-memory quota or memory exhausted");
	return call_raise(ctx, capos_CapException_Type_disconnected,
			  "spawn: the process is exiting");
}

static int spawner_spawn(struct call_ctx *ctx)
{
	struct thread_handle *handle;
	struct thread_start st;
	struct capnp_msg in;
	uint32_t tid;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	struct capos_ThreadSpawner_spawn_Params a = capos_ThreadSpawner_spawn_Params_root(&in);
	st.entry = capos_ThreadSpawner_spawn_Params_get_entry(a);
	st.stack = capos_ThreadSpawner_spawn_Params_get_stack(a);
	st.arg = capos_ThreadSpawner_spawn_Params_get_arg(a);
	st.tp = capos_ThreadSpawner_spawn_Params_get_tp(a);
	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (!user_addr(st.entry) || !user_addr(st.stack - 1) || st.stack % 16 ||
	    (st.tp && !user_addr(st.tp)))
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "spawn: entry, stack or tp is not a user address, or the stack is misaligned");
	uint16_t index = (uint16_t)ctx->xfer_out_count;
	err = spawn_result(ctx, index, 0);	/* the room for the real answer */
	if (!err)
		err = call_result_reserve(ctx, 1);
	if (err)
		return err;
	err = proc_thread_spawn(ctx->caller->proc, &st, &handle, &tid);
	if (err)
		return spawn_refused(ctx, err);
	int first = call_result_cap(ctx, &handle->obj);	/* takes over the reference */
	assert(first == index);	/* call_result_reserve made room */
	err = spawn_result(ctx, index, tid);
	assert(err == 0);	/* the same size as the placeholder answer */
	return 0;
}

static int spawner_call(struct kobj *obj, struct call_ctx *ctx)
{
	(void)obj;
	return ctx->method_id == 0 ? spawner_spawn(ctx) : CAPOS_ERR_UNKNOWN_METHOD;
}

static const struct kobj_ops thread_spawner_ops = {
	.iface_id = CAPOS_IFACE_THREAD_SPAWNER,
	.name = "ThreadSpawner",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = spawner_call,
	.destroy = kobj_destroy_static,
};

static struct kobj thread_spawner_obj;

struct kobj *thread_spawner_object(void)
{
	return kobj_singleton(&thread_spawner_obj, &thread_spawner_ops);
}
