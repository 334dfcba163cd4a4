// SPDX-License-Identifier: MIT
/* VirtualMemory calls on static buffers (vm.h). Not reentrant: one at a time. */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "client.h"
#include "vm.h"

static uint64_t vm_arena[16], vm_params[16], vm_result[48];
static struct capnp_msg vm_msg, vm_reply;

static void vm_begin(void)
{
	capnp_msg_init_build(&vm_msg, vm_arena, sizeof(vm_arena));
}

int vm_exception_code(const void *msg, uint32_t written)
{
	struct capnp_msg m;

	if (written > sizeof(vm_result) || capnp_msg_init_read(&m, msg, written))
		return CAPOS_ERR_APPLICATION_EXCEPTION;
	uint16_t type = capos_CapException_get_type(capos_CapException_root(&m));

	if (capnp_msg_error(&m))
		return CAPOS_ERR_APPLICATION_EXCEPTION;
	switch (type) {
	case capos_CapException_Type_invalidArgument:
		return CAPOS_ERR_INVALID_ARGUMENT;
	case capos_CapException_Type_overloaded:
		return CAPOS_ERR_QUOTA_EXCEEDED;
	case capos_CapException_Type_disconnected:
		return CAPOS_ERR_DISCONNECTED;
	default:
		return CAPOS_ERR_APPLICATION_EXCEPTION;
	}
}

/* Calls method of vm with the params built in vm_msg; the answer opens in vm_reply. */
static int vm_call(capos_cap_t vm, uint16_t method)
{
	struct capos_cqe cqe;
	size_t len;
	int ret;

	if (!client_ring || capnp_msg_write(&vm_msg, vm_params, sizeof(vm_params), &len))
		return CAPOS_ERR_INVALID_ARGUMENT;
	ret = uring_call(client_ring, vm, method, vm_params, (uint32_t)len, vm_result,
			 sizeof(vm_result), NULL, 0, &cqe);
	if (ret == CAPOS_ERR_APPLICATION_EXCEPTION)
		return vm_exception_code(vm_result, cqe.written);
	if (ret < 0)
		return ret;
	if (cqe.written > sizeof(vm_result) ||
	    capnp_msg_init_read(&vm_reply, vm_result, cqe.written))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	return 0;
}

int vm_map(capos_cap_t vm, uint64_t hint, uint64_t size, uint32_t prot, uint64_t *addr)
{
	vm_begin();
	struct capos_VirtualMemory_map_Params_builder p =
		capos_VirtualMemory_map_Params_init_root(&vm_msg);
	capos_VirtualMemory_map_Params_set_hint(p, hint);
	capos_VirtualMemory_map_Params_set_size(p, size);
	capos_VirtualMemory_map_Params_set_prot(p, prot);
	int err = vm_call(vm, capos_VirtualMemory_map);

	if (err)
		return err;
	uint64_t a = capos_VirtualMemory_map_Results_get_addr(
		capos_VirtualMemory_map_Results_root(&vm_reply));
	if (capnp_msg_error(&vm_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*addr = a;
	return 0;
}

int vm_unmap(capos_cap_t vm, uint64_t addr, uint64_t size)
{
	vm_begin();
	struct capos_VirtualMemory_unmap_Params_builder p =
		capos_VirtualMemory_unmap_Params_init_root(&vm_msg);
	capos_VirtualMemory_unmap_Params_set_addr(p, addr);
	capos_VirtualMemory_unmap_Params_set_size(p, size);
	return vm_call(vm, capos_VirtualMemory_unmap);
}

int vm_protect(capos_cap_t vm, uint64_t addr, uint64_t size, uint32_t prot)
{
	vm_begin();
	struct capos_VirtualMemory_protect_Params_builder p =
		capos_VirtualMemory_protect_Params_init_root(&vm_msg);
	capos_VirtualMemory_protect_Params_set_addr(p, addr);
	capos_VirtualMemory_protect_Params_set_size(p, size);
	capos_VirtualMemory_protect_Params_set_prot(p, prot);
	return vm_call(vm, capos_VirtualMemory_protect);
}

int vm_usage(capos_cap_t vm, uint64_t *quota_pages, uint64_t *used_pages)
{
	vm_begin();
	(void)capos_VirtualMemory_usage_Params_init_root(&vm_msg);
	int err = vm_call(vm, capos_VirtualMemory_usage);

	if (err)
		return err;
	struct capos_VirtualMemory_usage_Results r =
		capos_VirtualMemory_usage_Results_root(&vm_reply);
	uint64_t q = capos_VirtualMemory_usage_Results_get_quotaPages(r);
	uint64_t u = capos_VirtualMemory_usage_Results_get_usedPages(r);

	if (capnp_msg_error(&vm_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*quota_pages = q;
	*used_pages = u;
	return 0;
}
