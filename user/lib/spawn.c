// SPDX-License-Identifier: MIT
/*
 * ProcessSpawner.spawn for programs (client.h): the grants as transfer
 * descriptors, the child's own VirtualMemory added unless asked otherwise,
 * the program arguments, and the handle and client facets of the answer.
 * Built on the shared call buffers of client.c (client_internal.h).
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "client.h"
#include "client_internal.h"
#include "vm.h"
#include "ustring.h"

/*
 * Fills the grants list and the transfer descriptors x[0..*nx); 0 or
 * CAPOS_ERR_*.
 */
capos_cap_t client_vm = CAPOS_CAP_INVALID;

/* True if the grants give the child its VirtualMemory already. */
static bool spawn_has_vm(const struct spawn_grant *g, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (g[i].mode == SPAWN_VIRTUAL_MEMORY)
			return true;
	return false;
}

/*
 * The quota a child gets when the grants name none: SPAWN_VM_DEFAULT_PAGES,
 * or half of what the caller has left if that is less, so that children of
 * children still get some (quotas are handed down: mm/account.h).
 */
static uint64_t spawn_default_quota(void)
{
	uint64_t quota, used;

	if (vm_usage(client_vm, &quota, &used) || used >= quota)
		return 0;
	return (quota - used) / 2 < SPAWN_VM_DEFAULT_PAGES ? (quota - used) / 2
							    : SPAWN_VM_DEFAULT_PAGES;
}

/*
 * The grants, plus (when they do not name one and there is room) the
 * child's own VirtualMemory as "vm" with spawn_default_quota() pages, which
 * the caller pays from its own quota: a child gets a heap unless asked not to.
 */
static int spawn_fill_grants(struct capos_ProcessSpawner_spawn_Params_builder p,
			     const struct spawn_grant *g, uint32_t n, struct capos_xfer *x,
			     uint8_t *nx)
{
	bool add_vm = n < CAPOS_XFER_MAX && !spawn_has_vm(g, n) && client_vm != CAPOS_CAP_INVALID;
	struct capos_CapGrant__list_builder l =
		capos_ProcessSpawner_spawn_Params_init_grants(p, n + add_vm);
	struct capos_CapGrant_source_builder src;
	struct capos_CapGrant_builder gb;
	uint32_t i;

	*nx = 0;
	for (i = 0; i < n; i++) {
		gb = capos_CapGrant__list_build(l, i);
		capos_CapGrant_set_name(gb, g[i].name, (uint32_t)strlen(g[i].name));
		capos_CapGrant_set_interfaceId(gb, g[i].iface);
		src = capos_CapGrant_init_source(gb);
		if (g[i].mode == SPAWN_NEW_ENDPOINT) {
			capos_CapGrant_source_set_newEndpoint(src);
			continue;
		}
		if (g[i].mode == SPAWN_VIRTUAL_MEMORY) {
			capos_CapGrant_source_set_virtualMemory(src, g[i].cap);	/* the quota */
			continue;
		}
		capos_CapGrant_source_set_transfer(src, *nx);
		x[(*nx)++] = (struct capos_xfer){
			.cap_id = g[i].cap,
			.mode = (g[i].mode & ~SPAWN_DROP_TRANSFER) ? g[i].mode & ~SPAWN_DROP_TRANSFER
								   : CAPOS_XFER_COPY,
			.flags = (g[i].mode & SPAWN_DROP_TRANSFER) ? CAPOS_XFER_F_DROP_TRANSFER : 0,
		};
	}
	if (add_vm) {
		gb = capos_CapGrant__list_build(l, n);
		capos_CapGrant_set_name(gb, "vm", 2);
		capos_CapGrant_set_interfaceId(gb, CAPOS_IFACE_VIRTUAL_MEMORY);
		capos_CapGrant_source_set_virtualMemory(capos_CapGrant_init_source(gb),
							spawn_default_quota());
	}
	return capnp_msg_error(&client_msg) ? CAPOS_ERR_TOO_LARGE : 0;
}

/* Stores the client facet of each SPAWN_NEW_ENDPOINT grant, matched by name. */
static int spawn_take_facets(const struct capos_cqe *cqe,
			     struct capos_ProcessSpawner_spawn_Results r,
			     const struct spawn_grant *g, uint32_t n, capos_cap_t *facets)
{
	struct capos_ProcessSpawner_EndpointClient__list l =
		capos_ProcessSpawner_spawn_Results_get_endpoints(r);
	struct capos_ProcessSpawner_EndpointClient e;
	struct capnp_text name;
	uint32_t i, j;
	int err;

	for (i = 0; i < capos_ProcessSpawner_EndpointClient__list_len(l); i++) {
		e = capos_ProcessSpawner_EndpointClient__list_get(l, i);
		name = capos_ProcessSpawner_EndpointClient_get_grantName(e);
		for (j = 0; j < n; j++) {
			if (g[j].mode != SPAWN_NEW_ENDPOINT || strlen(g[j].name) != name.len ||
			    memcmp(g[j].name, name.str, name.len))
				continue;
			err = client_record(cqe,
					    capos_ProcessSpawner_EndpointClient_get_clientIndex(e),
					    g[j].iface, &facets[j]);
			if (err)
				return err;
		}
	}
	return capnp_msg_error(&client_reply) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

int spawner_spawn(capos_cap_t sp, const char *name, const char *binary,
		  const struct spawn_grant *g, uint32_t n, capos_cap_t *handle)
{
	capos_cap_t facets[CAPOS_XFER_MAX];

	return spawner_spawn_ep(sp, name, binary, g, n, handle, facets);
}

int spawner_spawn_ep(capos_cap_t sp, const char *name, const char *binary,
		     const struct spawn_grant *g, uint32_t n, capos_cap_t *handle,
		     capos_cap_t *facets)
{
	return spawner_spawn_args(sp, name, binary, NULL, g, n, handle, facets);
}

/* The args list, left null when there are none (the kernel reads that as none). */
static int spawn_fill_args(struct capos_ProcessSpawner_spawn_Params_builder p,
			   const struct spawn_args *args)
{
	struct capnp_list_builder l;

	if (!args || args->argc == 0)
		return 0;
	l = capos_ProcessSpawner_spawn_Params_init_args(p, args->argc);
	for (uint32_t i = 0; i < args->argc; i++)
		capnp_ptr_set_text(capnp_list_build_ptr(l, i), args->argv[i],
				   (uint32_t)strlen(args->argv[i]));
	return capnp_msg_error(&client_msg) ? CAPOS_ERR_TOO_LARGE : 0;
}

int spawner_spawn_args(capos_cap_t sp, const char *name, const char *binary,
		       const struct spawn_args *args, const struct spawn_grant *g, uint32_t n,
		       capos_cap_t *handle, capos_cap_t *facets)
{
	capos_cap_t no_facets[CAPOS_XFER_MAX];
	struct capos_ProcessSpawner_spawn_Params_builder p;
	struct capos_ProcessSpawner_spawn_Results r;
	struct capos_xfer x[CAPOS_XFER_MAX];
	struct capos_cqe cqe;
	uint8_t nx;
	uint16_t idx;
	int err;

	if (n > CAPOS_XFER_MAX)
		return CAPOS_ERR_TOO_LARGE;
	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	p = capos_ProcessSpawner_spawn_Params_init_root(&client_msg);
	capos_ProcessSpawner_spawn_Params_set_name(p, name, (uint32_t)strlen(name));
	capos_ProcessSpawner_spawn_Params_set_binary(p, binary, (uint32_t)strlen(binary));
	err = spawn_fill_grants(p, g, n, x, &nx);
	if (!err)
		err = spawn_fill_args(p, args);
	if (err)
		return err;
	err = client_call(sp, capos_ProcessSpawner_spawn, x, nx, &cqe);
	if (err)
		return err;
	r = capos_ProcessSpawner_spawn_Results_root(&client_reply);
	idx = capos_ProcessSpawner_spawn_Results_get_handleIndex(r);
	if (capnp_msg_error(&client_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	err = spawn_take_facets(&cqe, r, g, n, facets ? facets : no_facets);
	if (err)
		return err;
	return client_record(&cqe, idx, CAPOS_IFACE_PROCESS_HANDLE, handle);
}
