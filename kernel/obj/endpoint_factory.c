// SPDX-License-Identifier: MIT
/*
 * EndpointFactory: creates endpoints for init, which wires services to their
 * clients. Each create() returns the owner side and a client facet as
 * result capabilities. Stateless, shared by every holder.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "ipc/endpoint.h"
#include "obj/endpoint_factory.h"
#include "ring/ring.h"
#include "ring/call.h"

static int factory_create(struct call_ctx *ctx)
{
	struct capnp_msg in, out;
	struct kobj *owner, *client;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	uint64_t iface = capos_EndpointFactory_create_Params_get_interfaceId(
		capos_EndpointFactory_create_Params_root(&in));
	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	err = ipc_endpoint_create(iface, ctx->caller->kmem, &owner, &client);
	if (err)
		return call_raise_no_memory(ctx, err, "EndpointFactory");
	int owner_index = call_result_cap(ctx, owner);
	int client_index = call_result_cap(ctx, client);
	if (owner_index < 0 || client_index < 0)
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = call_result_begin(ctx, &out);
	if (err)
		return err;
	struct capos_EndpointFactory_create_Results_builder r =
		capos_EndpointFactory_create_Results_init_root(&out);
	capos_EndpointFactory_create_Results_set_ownerIndex(r, (uint16_t)owner_index);
	capos_EndpointFactory_create_Results_set_clientIndex(r, (uint16_t)client_index);
	return call_result_end(ctx, &out);
}

static int factory_call(struct kobj *obj, struct call_ctx *ctx)
{
	(void)obj;
	return ctx->method_id == 0 ? factory_create(ctx) : CAPOS_ERR_UNKNOWN_METHOD;
}

static const struct kobj_ops endpoint_factory_ops = {
	.iface_id = CAPOS_IFACE_ENDPOINT_FACTORY,
	.name = "EndpointFactory",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = factory_call,
	.destroy = kobj_destroy_static,
};

static struct kobj endpoint_factory_obj;

struct kobj *endpoint_factory_object(void)
{
	return kobj_singleton(&endpoint_factory_obj, &endpoint_factory_ops);
}
