// SPDX-License-Identifier: MIT
/*
 * MemoryObjectFactory.create and MemoryObject's map, size and readOnly
 * (memory_object.h). Every method builds its result (and reserves the
 * caller's table slot for a result capability) before it acts, so a call
 * either happens and is reported or nothing happened.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "mm/addrspace.h"
#include "mm/kmalloc.h"
#include "mm/shared_pages.h"
#include "obj/memory_object.h"
#include "obj/virtual_memory.h"
#include "ring/call.h"
#include "ring/ring.h"

struct memory_object {
	struct kobj obj;
	struct shared_pages *pages;	/* one reference */
	bool writable;			/* false: a read-only facet */
};

static int memobj_call(struct kobj *obj, struct call_ctx *ctx);

static void memobj_destroy(struct kobj *obj)
{
	struct memory_object *mo = (struct memory_object *)obj;

	shared_pages_put(mo->pages);	/* kobj_put runs with no lock the put may take */
	(void)kfree(mo);
}

static const struct kobj_ops memobj_ops = {
	.iface_id = CAPOS_IFACE_MEMORY_OBJECT,
	.name = "MemoryObject",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = memobj_call,
	.destroy = memobj_destroy,
};

/* A facet of sp, taking over the caller's reference to it; NULL if out of memory. */
static struct memory_object *facet_new(struct shared_pages *sp, bool writable)
{
	struct memory_object *mo = kzalloc(sizeof(*mo));

	if (mo) {
		kobj_init(&mo->obj, &memobj_ops);
		mo->pages = sp;
		mo->writable = writable;
	}
	return mo;
}

/*
 * The {objectIndex} result of create (readOnly == false) or readOnly, with
 * the caller's table slot reserved for its capability. Result capabilities
 * are numbered from 0 in order: this call's one is 0.
 */
static int index_result(struct call_ctx *ctx, bool read_only)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	if (read_only)
		capos_MemoryObject_readOnly_Results_set_objectIndex(
			capos_MemoryObject_readOnly_Results_init_root(&out), 0);
	else
		capos_MemoryObjectFactory_create_Results_set_objectIndex(
			capos_MemoryObjectFactory_create_Results_init_root(&out), 0);
	err = call_result_end(ctx, &out);
	return err ? err : call_result_reserve(ctx, 1);
}

/* Hands the new facet to the caller as result capability 0 (reserved: cannot fail). */
static int facet_result(struct call_ctx *ctx, struct memory_object *mo)
{
	return call_result_cap(ctx, &mo->obj) == 0 ? 0 : CAPOS_ERR_INVALID_ARGUMENT;
}

static int overloaded(struct call_ctx *ctx, const char *reason)
{
	return call_raise(ctx, capos_CapException_Type_overloaded, reason);
}

static int factory_create(struct call_ctx *ctx)
{
	struct mem_account *payer = ctx->caller->as->account;	/* the caller's own quota */
	struct shared_pages *sp;
	struct capnp_msg in;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	uint64_t size = capos_MemoryObjectFactory_create_Params_get_size(
		capos_MemoryObjectFactory_create_Params_root(&in));
	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (size == 0 || size % PAGE_SIZE || size / PAGE_SIZE > SHARED_PAGES_MAX)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "MemoryObjectFactory: size must be 1..16384 pages, in bytes");
	err = index_result(ctx, false);
	if (err)
		return err;
	if (!payer)
		return overloaded(ctx, "MemoryObjectFactory: the caller has no memory quota");
	err = shared_pages_create(payer, size / PAGE_SIZE, &sp);
	if (err)
		return overloaded(ctx, "MemoryObjectFactory: quota or memory exhausted");
	struct memory_object *mo = facet_new(sp, true);

	if (!mo) {
		shared_pages_put(sp);
		return overloaded(ctx, "MemoryObjectFactory: out of kernel memory");
	}
	return facet_result(ctx, mo);
}

static int factory_call(struct kobj *obj, struct call_ctx *ctx)
{
	(void)obj;
	return ctx->method_id == 0 ? factory_create(ctx) : CAPOS_ERR_UNKNOWN_METHOD;
}

static const struct kobj_ops factory_ops = {
	.iface_id = CAPOS_IFACE_MEMORY_OBJECT_FACTORY,
	.name = "MemoryObjectFactory",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = factory_call,
	.destroy = kobj_destroy_static,
};

static struct kobj factory_obj;

struct kobj *memory_object_factory(void)
{
	return kobj_singleton(&factory_obj, &factory_ops);
}

static int map_result(struct call_ctx *ctx, uint64_t addr)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	capos_MemoryObject_map_Results_set_addr(capos_MemoryObject_map_Results_init_root(&out),
						addr);
	return call_result_end(ctx, &out);
}

/* The CapException for vm_object_map_shared's error. */
static int map_fail(struct call_ctx *ctx, int err)
{
	uint16_t type = capos_CapException_Type_invalidArgument;
	const char *why = "MemoryObject.map: bad prot or hint";

	if (err == CAPOS_ERR_WRONG_INTERFACE) {
		why = "MemoryObject.map: vm is not a VirtualMemory";
	} else if (err == CAPOS_ERR_DISCONNECTED) {
		type = capos_CapException_Type_disconnected;
		why = "MemoryObject.map: the VirtualMemory's process has exited";
	} else if (err != CAPOS_ERR_INVALID_ARGUMENT) {
		type = capos_CapException_Type_overloaded;
		why = "MemoryObject.map: region limit, area or memory exhausted";
	}
	return call_raise(ctx, type, why);
}

static int memobj_map(struct memory_object *mo, struct call_ctx *ctx)
{
	uint32_t max_prot = AS_PROT_READ | (mo->writable ? AS_PROT_WRITE : 0);
	struct capnp_msg in;
	uint64_t addr;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	struct capos_MemoryObject_map_Params a = capos_MemoryObject_map_Params_root(&in);
	uint16_t vm = capos_MemoryObject_map_Params_get_vm(a);
	uint64_t hint = capos_MemoryObject_map_Params_get_hint(a);
	uint32_t prot = capos_MemoryObject_map_Params_get_prot(a);

	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (ctx->xfer_in_count != 1 || vm != 0 || !ctx->xfer_in[0])
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "MemoryObject.map: vm must name the one descriptor sent");
	err = map_result(ctx, 0);	/* the same size as the real one: room is checked */
	if (err)
		return err;
	err = vm_object_map_shared(ctx->xfer_in[0], mo->pages, hint, prot, max_prot, &addr);
	return err ? map_fail(ctx, err) : map_result(ctx, addr);
}

static int memobj_size(struct memory_object *mo, struct call_ctx *ctx)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	capos_MemoryObject_size_Results_set_size(capos_MemoryObject_size_Results_init_root(&out),
						 mo->pages->npages * PAGE_SIZE);
	return call_result_end(ctx, &out);
}

static int memobj_read_only(struct memory_object *mo, struct call_ctx *ctx)
{
	int err = index_result(ctx, true);

	if (err)
		return err;
	shared_pages_get(mo->pages);	/* the facet's; ours keeps it above zero */
	struct memory_object *ro = facet_new(mo->pages, false);

	if (!ro) {
		shared_pages_put(mo->pages);	/* not the last: this facet holds one */
		return overloaded(ctx, "MemoryObject.readOnly: out of kernel memory");
	}
	return facet_result(ctx, ro);
}

static int memobj_call(struct kobj *obj, struct call_ctx *ctx)
{
	struct memory_object *mo = (struct memory_object *)obj;

	switch (ctx->method_id) {
	case 0:
		return memobj_map(mo, ctx);
	case 1:
		return memobj_size(mo, ctx);
	case 2:
		return memobj_read_only(mo, ctx);
	default:
		return CAPOS_ERR_UNKNOWN_METHOD;
	}
}
