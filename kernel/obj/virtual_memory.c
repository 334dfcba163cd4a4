// SPDX-License-Identifier: MIT
/*
 * VirtualMemory: map, unmap, protect and usage on one process's address
 * space (mm/addrspace.h does the work). Each method checks that its result
 * fits before it acts (map builds its result with a placeholder address
 * first), so a call either happens and is reported, or nothing happened.
 *
 * Unmapped frames are freed only after the process's IPC peer lock has been
 * taken once: an IPC delivery writes into a receive buffer through a window
 * under that lock, after checking the unmap epoch, which unmap has already
 * bumped; so no delivery that could still use an old window is running when
 * the frames go back.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "ipc/peer.h"
#include "mm/account.h"
#include "mm/addrspace.h"
#include "mm/kmalloc.h"
#include "obj/virtual_memory.h"
#include "proc/proc.h"
#include "ring/call.h"

/* The CapException for an addrspace error, or the transport error itself. */
static int vm_fail(struct call_ctx *ctx, int err)
{
	if (err == CAPOS_ERR_INVALID_ARGUMENT)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "VirtualMemory: bad address, size or protection");
	if (err == CAPOS_ERR_QUOTA_EXCEEDED || err == CAPOS_ERR_NO_MEMORY)
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "VirtualMemory: quota, region limit or memory exhausted");
	return err;
}

static int map_result(struct call_ctx *ctx, uint64_t addr)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	capos_VirtualMemory_map_Results_set_addr(capos_VirtualMemory_map_Results_init_root(&out),
						 addr);
	return call_result_end(ctx, &out);
}

static int empty_result(struct call_ctx *ctx)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	(void)capos_VirtualMemory_unmap_Results_init_root(&out);
	return call_result_end(ctx, &out);
}

static int vm_map(struct proc *p, struct call_ctx *ctx, struct capnp_msg *in)
{
	struct capos_VirtualMemory_map_Params a = capos_VirtualMemory_map_Params_root(in);
	uint64_t hint = capos_VirtualMemory_map_Params_get_hint(a);
	uint64_t size = capos_VirtualMemory_map_Params_get_size(a);
	uint32_t prot = capos_VirtualMemory_map_Params_get_prot(a);
	uint64_t addr;

	if (capnp_msg_error(in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	int err = map_result(ctx, 0);	/* the same size as the real one: room is checked */

	if (err)
		return err;
	err = as_vm_map(&p->as, hint, size, prot, &addr);
	if (err)
		return vm_fail(ctx, err);
	return map_result(ctx, addr);
}

static int vm_unmap(struct proc *p, struct call_ctx *ctx, struct capnp_msg *in)
{
	struct capos_VirtualMemory_unmap_Params a = capos_VirtualMemory_unmap_Params_root(in);
	uint64_t addr = capos_VirtualMemory_unmap_Params_get_addr(a);
	uint64_t size = capos_VirtualMemory_unmap_Params_get_size(a);
	struct as_freed freed;

	if (capnp_msg_error(in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	int err = empty_result(ctx);

	if (err)
		return err;
	err = as_vm_unmap(&p->as, addr, size, &freed);
	if (err)
		return vm_fail(ctx, err);
	proc_ipc_barrier(p);	/* the window barrier (file comment) */
	as_vm_release(&freed);
	return 0;
}

static int vm_protect(struct proc *p, struct call_ctx *ctx, struct capnp_msg *in)
{
	struct capos_VirtualMemory_protect_Params a = capos_VirtualMemory_protect_Params_root(in);
	uint64_t addr = capos_VirtualMemory_protect_Params_get_addr(a);
	uint64_t size = capos_VirtualMemory_protect_Params_get_size(a);
	uint32_t prot = capos_VirtualMemory_protect_Params_get_prot(a);

	if (capnp_msg_error(in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	int err = empty_result(ctx);

	if (err)
		return err;
	/*
	 * No barrier as in unmap: a delivery already writing through an old
	 * window writes a frame the process still owns; later ones see the
	 * bumped epoch and take the page walk, which honours the protection.
	 */
	err = as_vm_protect(&p->as, addr, size, prot);
	return err ? vm_fail(ctx, err) : 0;
}

static int vm_usage(struct proc *p, struct call_ctx *ctx)
{
	uint64_t quota = 0, used = 0;
	struct capnp_msg out;

	if (p->as.account)
		mem_account_usage(p->as.account, &quota, &used);
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	struct capos_VirtualMemory_usage_Results_builder r =
		capos_VirtualMemory_usage_Results_init_root(&out);
	capos_VirtualMemory_usage_Results_set_quotaPages(r, quota);
	capos_VirtualMemory_usage_Results_set_usedPages(r, used);
	return call_result_end(ctx, &out);
}

static int vm_dispatch(struct proc *p, struct call_ctx *ctx)
{
	struct capnp_msg in;
	int err;

	if (ctx->method_id == 3)
		return vm_usage(p, ctx);
	err = call_params_open(ctx, &in);
	if (err)
		return err;
	switch (ctx->method_id) {
	case 0:
		return vm_map(p, ctx, &in);
	case 1:
		return vm_unmap(p, ctx, &in);
	default:
		return vm_protect(p, ctx, &in);
	}
}

static int vm_call(struct kobj *obj, struct call_ctx *ctx)
{
	struct vm_object *vo = (struct vm_object *)obj;
	int err;

	if (ctx->method_id > 3)
		return CAPOS_ERR_UNKNOWN_METHOD;
	spin_lock(&vo->lock);
	if (vo->proc)
		err = vm_dispatch(vo->proc, ctx);
	else
		err = call_raise(ctx, capos_CapException_Type_disconnected,
				 "VirtualMemory: the process has exited");
	spin_unlock(&vo->lock);
	return err;
}

static void vm_destroy(struct kobj *obj)
{
	(void)kfree(obj);
}

static const struct kobj_ops vm_ops = {
	.iface_id = CAPOS_IFACE_VIRTUAL_MEMORY,
	.name = "VirtualMemory",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = vm_call,
	.destroy = vm_destroy,
};

struct vm_object *vm_object_create(struct proc *p)
{
	struct vm_object *vo = kzalloc(sizeof(*vo));

	if (vo) {
		kobj_init(&vo->obj, &vm_ops);
		spin_init_class(&vo->lock, LOCK_RANK_VM_OBJECT);
		vo->proc = p;
	}
	return vo;
}

void vm_object_detach(struct vm_object *vo)
{
	spin_lock(&vo->lock);
	vo->proc = NULL;
	spin_unlock(&vo->lock);
}

int vm_object_map_shared(struct kobj *vm, struct shared_pages *sp, uint64_t hint, uint32_t prot,
			 uint32_t max_prot, uint64_t *addr)
{
	struct vm_object *vo = (struct vm_object *)vm;
	int err = CAPOS_ERR_DISCONNECTED;

	if (vm->ops != &vm_ops)
		return CAPOS_ERR_WRONG_INTERFACE;	/* a facet may claim VirtualMemory's id */
	spin_lock(&vo->lock);
	if (vo->proc)
		err = as_vm_map_shared(&vo->proc->as, hint, sp, prot, max_prot, addr);
	spin_unlock(&vo->lock);
	return err;
}
