// SPDX-License-Identifier: MIT
/* MemoryObject calls on static buffers (memobj.h). Not reentrant: one at a time. */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "client.h"
#include "memobj.h"
#include "vm.h"

static uint64_t mo_arena[16], mo_params[16], mo_result[48];
static struct capnp_msg mo_msg, mo_reply;
static struct capos_cqe mo_cqe;

static void mo_begin(void)
{
	capnp_msg_init_build(&mo_msg, mo_arena, sizeof(mo_arena));
}

/* Calls method of cap with the params in mo_msg and caps[0..n) copied; the answer opens in mo_reply. */
static int mo_call(capos_cap_t cap, uint16_t method, const capos_cap_t *caps, uint8_t n)
{
	struct capos_xfer x[CAPOS_XFER_MAX];
	size_t len;
	int ret;

	if (!client_ring || n > CAPOS_XFER_MAX ||
	    capnp_msg_write(&mo_msg, mo_params, sizeof(mo_params), &len))
		return CAPOS_ERR_INVALID_ARGUMENT;
	for (uint8_t i = 0; i < n; i++)
		x[i] = (struct capos_xfer){ .cap_id = caps[i], .mode = CAPOS_XFER_COPY };
	ret = uring_call(client_ring, cap, method, mo_params, (uint32_t)len, mo_result,
			 sizeof(mo_result), n ? x : NULL, n, &mo_cqe);
	if (ret == CAPOS_ERR_APPLICATION_EXCEPTION)
		return vm_exception_code(mo_result, mo_cqe.written);
	if (ret < 0)
		return ret;
	if (mo_cqe.written > sizeof(mo_result) ||
	    capnp_msg_init_read(&mo_reply, mo_result, mo_cqe.written))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	return 0;
}

/* Result capability `index` of the last answer, a MemoryObject. */
static int mo_record(uint16_t index, capos_cap_t *cap)
{
	uint32_t off = (mo_cqe.written + 7u) & ~7u;
	const struct capos_xfer_result *rec;

	if (!(mo_cqe.flags & CAPOS_CQE_F_XFER) || index >= mo_cqe.xfer_count ||
	    off + (uint64_t)(index + 1) * sizeof(*rec) > sizeof(mo_result))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	rec = (const struct capos_xfer_result *)((const uint8_t *)mo_result + off) + index;
	if (rec->interface_id != CAPOS_IFACE_MEMORY_OBJECT)
		return CAPOS_ERR_WRONG_INTERFACE;
	*cap = rec->cap_id;
	return 0;
}

int memobj_create(capos_cap_t factory, uint64_t size, capos_cap_t *obj)
{
	mo_begin();
	capos_MemoryObjectFactory_create_Params_set_size(
		capos_MemoryObjectFactory_create_Params_init_root(&mo_msg), size);
	int err = mo_call(factory, capos_MemoryObjectFactory_create, NULL, 0);

	if (err)
		return err;
	uint16_t i = capos_MemoryObjectFactory_create_Results_get_objectIndex(
		capos_MemoryObjectFactory_create_Results_root(&mo_reply));
	return capnp_msg_error(&mo_reply) ? CAPOS_ERR_MALFORMED_MESSAGE : mo_record(i, obj);
}

int memobj_map_raw(capos_cap_t obj, uint16_t vm_index, const capos_cap_t *caps, uint8_t n,
		   uint64_t hint, uint32_t prot, uint64_t *addr)
{
	mo_begin();
	struct capos_MemoryObject_map_Params_builder p =
		capos_MemoryObject_map_Params_init_root(&mo_msg);
	capos_MemoryObject_map_Params_set_vm(p, vm_index);
	capos_MemoryObject_map_Params_set_hint(p, hint);
	capos_MemoryObject_map_Params_set_prot(p, prot);
	int err = mo_call(obj, capos_MemoryObject_map, caps, n);

	if (err)
		return err;
	uint64_t a = capos_MemoryObject_map_Results_get_addr(
		capos_MemoryObject_map_Results_root(&mo_reply));
	if (capnp_msg_error(&mo_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*addr = a;
	return 0;
}

int memobj_map(capos_cap_t obj, capos_cap_t vm, uint64_t hint, uint32_t prot, uint64_t *addr)
{
	return memobj_map_raw(obj, 0, &vm, 1, hint, prot, addr);
}

int memobj_size(capos_cap_t obj, uint64_t *size)
{
	mo_begin();
	(void)capos_MemoryObject_size_Params_init_root(&mo_msg);
	int err = mo_call(obj, capos_MemoryObject_size, NULL, 0);

	if (err)
		return err;
	uint64_t s = capos_MemoryObject_size_Results_get_size(
		capos_MemoryObject_size_Results_root(&mo_reply));
	if (capnp_msg_error(&mo_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*size = s;
	return 0;
}

int memobj_read_only(capos_cap_t obj, capos_cap_t *ro)
{
	mo_begin();
	(void)capos_MemoryObject_readOnly_Params_init_root(&mo_msg);
	int err = mo_call(obj, capos_MemoryObject_readOnly, NULL, 0);

	if (err)
		return err;
	uint16_t i = capos_MemoryObject_readOnly_Results_get_objectIndex(
		capos_MemoryObject_readOnly_Results_root(&mo_reply));
	return capnp_msg_error(&mo_reply) ? CAPOS_ERR_MALFORMED_MESSAGE : mo_record(i, ro);
}
