// SPDX-License-Identifier: MIT
/*
 * fake-net (fakenet.h): serves the NetworkManager exported as "net" on
 * port 0 (tcpListen only: one listener), the TcpListener on a port of its
 * own (accept held until the script connects a client) and each scripted
 * connection's TcpSocket (sock.c). When the script is done it ends the
 * listener (the held accept raises disconnected), so the gateway stops
 * accepting; the service itself is stopped by init once its client has
 * exited. Exits 2 without its endpoint or EndpointFactory.
 */
#include <capos/endpoint.h>
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "client.h"
#include "fakenet.h"
#include "rt.h"

struct server fsrv;
struct fn_conn fconns[FN_CONNS_MAX];
capos_cap_t fn_endpoints;
static int listener_port = -1;
static bool accept_held;
static uint32_t accept_call;

static int do_accept(void *ctx, struct net_TcpListener_accept_Params p,
		     struct net_TcpListener_accept_Results_builder r)
{
	struct server_call *c = ctx;

	(void)p;
	(void)r;
	if (accept_held)
		return server_raise(c, capos_CapException_Type_overloaded, "one accept at a time here");
	accept_held = true;
	accept_call = c->call_id;
	script_progress();
	return SERVER_HELD;
}

static const struct net_TcpListener_server listener_impl = { .accept = do_accept };

bool fn_accept_held(void)
{
	return accept_held;
}

int fn_answer_accept(capos_cap_t facet)
{
	uint64_t arena[16], out[16];
	struct capos_xfer x = { .cap_id = facet, .mode = CAPOS_XFER_MOVE };
	struct net_TcpListener_accept_Results_builder r;
	struct capnp_msg m;
	size_t len;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	r = net_TcpListener_accept_Results_init_root(&m);
	net_TcpListener_accept_Results_set_socketIndex(r, 0);
	net_TcpListener_accept_Results_set_remoteAddress(r, 0x0a000202u);
	net_TcpListener_accept_Results_set_remotePort(r, 40000);
	if (capnp_msg_write(&m, out, sizeof(out), &len))
		return CAPOS_ERR_TOO_LARGE;
	accept_held = false;
	return server_return_port(&fsrv, listener_port, accept_call, 0, out, (uint32_t)len, &x, 1);
}

/* The listener's end: the held accept raises disconnected. */
void fn_end_listener(void)
{
	static const char reason[] = "the listener is closed";
	uint64_t arena[32], out[32];
	struct capos_CapException_builder e;
	struct capnp_msg m;
	size_t len;

	if (!accept_held)
		return;
	capnp_msg_init_build(&m, arena, sizeof(arena));
	e = capos_CapException_init_root(&m);
	capos_CapException_set_type(e, capos_CapException_Type_disconnected);
	capos_CapException_set_reason(e, reason, sizeof(reason) - 1);
	accept_held = false;
	if (!capnp_msg_write(&m, out, sizeof(out), &len))
		(void)server_return_port(&fsrv, listener_port, accept_call, CAPOS_SQE_F_EXCEPTION,
					 out, (uint32_t)len, NULL, 0);
}

static int do_tcp_listen(void *ctx, struct net_NetworkManager_tcpListen_Params p,
			 struct net_NetworkManager_tcpListen_Results_builder r)
{
	struct server_call *c = ctx;
	capos_cap_t owner, facet;
	int err, idx;

	if (listener_port >= 0)
		return server_raise(c, capos_CapException_Type_failed, "the port is taken");
	if (net_NetworkManager_tcpListen_Params_get_port(p) != 23)
		return server_raise(c, capos_CapException_Type_invalidArgument, "port 23 only here");
	err = endpoint_create(fn_endpoints, net_TcpListener_TYPE_ID, &owner, &facet);
	if (err)
		return err;
	listener_port = server_add_port(&fsrv, owner, net_TcpListener_TYPE_ID,
					net_TcpListener_dispatch_any, &listener_impl, NULL);
	if (listener_port < 0)
		return listener_port;
	idx = server_call_send(c, facet, CAPOS_XFER_MOVE);
	if (idx < 0)
		return idx;
	net_NetworkManager_tcpListen_Results_set_listenerIndex(r, (uint16_t)idx);
	printf("fake-net: listening on 23\n");
	return 0;
}

int main(void)
{
	static const struct net_NetworkManager_server impl = { .tcpListen = do_tcp_listen };
	capos_cap_t ep = rt_cap("net", CAPOS_IFACE_ENDPOINT);
	int err;

	fn_endpoints = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	if (ep == CAPOS_CAP_INVALID || fn_endpoints == CAPOS_CAP_INVALID) {
		printf("fake-net: needs an endpoint \"net\" and \"endpoints\"\n");
		return 2;
	}
	err = server_init(&fsrv, &rt.ring, ep, net_NetworkManager_TYPE_ID,
			  net_NetworkManager_dispatch_any, &impl);
	if (!err) {
		script_start();
		err = server_run(&fsrv);
	}
	if (err)
		printf("fake-net: serving failed: %s\n", capos_strerror(err));
	return err ? 2 : 0;
}
