// SPDX-License-Identifier: MIT
/*
 * The service's objects (net.h): a fixed table, so a flood of clients meets
 * a bound (overloaded), never an out-of-memory in the middle of lwIP. Each
 * object a client holds is its own endpoint, created with EndpointFactory
 * and served as a port of the one loop; stopping it releases the endpoint,
 * so held calls on it end DISCONNECTED for their callers.
 */
#include "net.h"

#include "client.h"
#include "net.capnp.h"
#include "ustring.h"

struct net_obj net_objs[NET_OBJS_MAX];

struct net_obj *obj_alloc(enum net_kind kind)
{
	for (uint32_t i = 0; i < NET_OBJS_MAX; i++) {
		struct net_obj *o = &net_objs[i];

		if (o->kind == NET_FREE) {
			memset(o, 0, sizeof(*o));
			o->kind = kind;
			o->port = -1;
			o->owner = CAPOS_CAP_INVALID;
			return o;
		}
	}
	return NULL;
}

int obj_serve(struct net_obj *o, uint64_t iface, server_dispatch_fn dispatch, const void *impl,
	      capos_cap_t *facet)
{
	capos_cap_t owner;
	int err = endpoint_create(net_endpoints, iface, &owner, facet);

	if (err)
		return err;
	int port = server_add_port(&net_srv, owner, iface, dispatch, impl, o);
	if (port < 0) {
		(void)cap_release(owner);
		(void)cap_release(*facet);
		return port;
	}
	o->owner = owner;
	o->port = port;
	return 0;
}

void obj_stop_serving(struct net_obj *o)
{
	if (o->port > 0) {
		(void)server_remove_port(&net_srv, o->port);
		(void)cap_release(o->owner);
	}
	o->port = -1;
	o->owner = CAPOS_CAP_INVALID;
}

void obj_free(struct net_obj *o)
{
	obj_stop_serving(o);
	if (o->charged)
		quota_give(o->charged);
	o->charged = NULL;
	o->kind = NET_FREE;
}

uint32_t obj_count(enum net_kind kind)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < NET_OBJS_MAX; i++)
		n += net_objs[i].kind == kind;
	return n;
}
