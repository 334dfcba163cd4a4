// SPDX-License-Identifier: MIT
/*
 * NetworkManager (schema/net.capnp; docs/network.md): the exported one is
 * port 0 of the loop, with NET_QUOTA_DEFAULT sockets; `restrict` makes
 * narrower ones, each its own endpoint. A restricted manager's quota is
 * in its object, which its sockets and children point at: the object
 * stays (not served) until the last of those is gone.
 */
#include "net.h"

#include "capos.capnp.h"
#include "client.h"
#include "netif_glue.h"
#include "ping.h"
#include "rt.h"
#include "ustring.h"

static struct net_obj *root;

static struct net_obj *manager_of(struct server_call *c)
{
	return c->port_ctx ? c->port_ctx : root;
}

static int do_status(void *ctx, struct net_NetworkManager_status_Params p,
		     struct net_NetworkManager_status_Results_builder r)
{
	struct net_NetStatus_builder s = net_NetworkManager_status_Results_init_status(r);
	uint8_t mac[6];

	(void)ctx;
	(void)p;
	netif_glue_mac(mac);
	net_NetStatus_set_up(s, netif_glue_up());
	net_NetStatus_set_mac(s, mac, sizeof(mac));
	net_NetStatus_set_address(s, NET_ADDR(10, 0, 2, 15));
	net_NetStatus_set_netmask(s, NET_ADDR(255, 255, 255, 0));
	net_NetStatus_set_gateway(s, NET_ADDR(10, 0, 2, 2));
	net_NetStatus_set_mtu(s, netif_glue_mtu());
	net_NetStatus_set_rxPackets(s, net_stats.rx_packets);
	net_NetStatus_set_rxBytes(s, net_stats.rx_bytes);
	net_NetStatus_set_txPackets(s, net_stats.tx_packets);
	net_NetStatus_set_txBytes(s, net_stats.tx_bytes);
	net_NetStatus_set_rxDropped(s, net_stats.rx_dropped);
	net_NetStatus_set_txDropped(s, net_stats.tx_dropped);
	net_NetStatus_set_tcpSockets(s, obj_count(NET_TCP));
	net_NetStatus_set_tcpListeners(s, obj_count(NET_LISTENER));
	net_NetStatus_set_udpSockets(s, obj_count(NET_UDP));
	return 0;
}

/* Sends facet as the answer's first capability (its index 0 in the results). */
static int send_cap(struct server_call *c, capos_cap_t facet)
{
	int idx = server_call_send(c, facet, CAPOS_XFER_MOVE);

	if (idx < 0) {
		(void)cap_release(facet);
		return server_raise(c, capos_CapException_Type_overloaded, "too many capabilities");
	}
	return idx;
}

static int do_tcp_listen(void *ctx, struct net_NetworkManager_tcpListen_Params p,
			 struct net_NetworkManager_tcpListen_Results_builder r)
{
	struct server_call *c = ctx;
	uint16_t port = net_NetworkManager_tcpListen_Params_get_port(p);
	uint16_t backlog = net_NetworkManager_tcpListen_Params_get_backlog(p);
	const char *why;
	capos_cap_t facet;
	int err, idx;

	if (port == 0)
		return server_raise(c, capos_CapException_Type_invalidArgument, "port 0");
	if (backlog > NET_BACKLOG_MAX)
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    "backlog must be 0..64");
	if (backlog == 0)
		backlog = NET_BACKLOG_DEFAULT;
	err = listener_open(&manager_of(c)->quota, port, backlog, &facet, &why);
	if (err)
		return server_raise(c, err == CAPOS_ERR_BUSY ? capos_CapException_Type_failed :
				    capos_CapException_Type_overloaded, why);
	if ((idx = send_cap(c, facet)) < 0)
		return idx;
	net_NetworkManager_tcpListen_Results_set_listenerIndex(r, (uint16_t)idx);
	return 0;
}

/* lwIP's connected callback: the held tcpConnect gets its socket. */
static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct net_obj *o = arg;
	capos_cap_t facet;

	(void)pcb;
	(void)err;
	o->connecting = false;
	if (tcp_sock_open(o, &facet)) {
		answer_raise(o->connect_port, o->connect_call, capos_CapException_Type_overloaded,
			     "the service has no room for another socket");
		tcp_sock_close(o, true);
		return ERR_ABRT;
	}
	if (!answer_socket(o->connect_port, o->connect_call, facet, 0, 0, false)) {
		(void)cap_release(facet);	/* the caller is gone */
		tcp_sock_close(o, true);
		return ERR_ABRT;
	}
	return ERR_OK;
}

void tcp_sock_connect_failed(struct net_obj *o)
{
	o->connecting = false;
	answer_raise(o->connect_port, o->connect_call, capos_CapException_Type_failed,
		     "the peer refused or did not answer");
	tcp_sock_close(o, true);
}

static int do_tcp_connect(void *ctx, struct net_NetworkManager_tcpConnect_Params p,
			  struct net_NetworkManager_tcpConnect_Results_builder r)
{
	struct server_call *c = ctx;
	struct net_quota *q = &manager_of(c)->quota;
	uint16_t port = net_NetworkManager_tcpConnect_Params_get_port(p);
	ip4_addr_t addr;
	struct net_obj *o;
	struct tcp_pcb *pcb;

	(void)r;
	ip4_addr_set_u32(&addr, lwip_htonl(net_NetworkManager_tcpConnect_Params_get_address(p)));
	if (port == 0)
		return server_raise(c, capos_CapException_Type_invalidArgument, "port 0");
	if (!quota_take(q))
		return server_raise(c, capos_CapException_Type_overloaded,
				    "the manager's quota is used up");
	if (!(o = obj_alloc(NET_TCP)) || !(pcb = tcp_new())) {
		if (o)
			obj_free(o);
		quota_give(q);
		return server_raise(c, capos_CapException_Type_overloaded,
				    "the service has no room for another socket");
	}
	o->charged = q;
	tcp_sock_attach(o, pcb);
	o->connecting = true;
	o->connect_call = c->call_id;
	o->connect_port = c->port;
	if (tcp_connect(pcb, &addr, port, on_connected) != ERR_OK) {
		o->connecting = false;
		tcp_sock_close(o, true);
		return server_raise(c, capos_CapException_Type_failed, "no route to the address");
	}
	return SERVER_HELD;
}

static int do_udp_bind(void *ctx, struct net_NetworkManager_udpBind_Params p,
		       struct net_NetworkManager_udpBind_Results_builder r)
{
	struct server_call *c = ctx;
	const char *why;
	capos_cap_t facet;
	int err, idx;

	err = udp_sock_open(&manager_of(c)->quota, net_NetworkManager_udpBind_Params_get_port(p),
			    &facet, &why);
	if (err)
		return server_raise(c, err == CAPOS_ERR_BUSY ? capos_CapException_Type_failed :
				    capos_CapException_Type_overloaded, why);
	if ((idx = send_cap(c, facet)) < 0)
		return idx;
	net_NetworkManager_udpBind_Results_set_socketIndex(r, (uint16_t)idx);
	return 0;
}

static int do_ping(void *ctx, struct net_NetworkManager_ping_Params p,
		   struct net_NetworkManager_ping_Results_builder r)
{
	struct server_call *c = ctx;
	uint16_t size = net_NetworkManager_ping_Params_get_size(p);
	uint32_t timeout = net_NetworkManager_ping_Params_get_timeoutMs(p);

	(void)r;
	if (size > PING_SIZE_MAX || timeout == 0 || timeout > PING_TIMEOUT_MAX_MS)
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    "size 0..1472, timeout 1..60000 ms");
	return ping_start(c, net_NetworkManager_ping_Params_get_address(p), size, timeout);
}

static int do_restrict(void *ctx, struct net_NetworkManager_restrict_Params p,
		       struct net_NetworkManager_restrict_Results_builder r);

static const struct net_NetworkManager_server manager_impl = {
	.status = do_status,
	.tcpListen = do_tcp_listen,
	.tcpConnect = do_tcp_connect,
	.udpBind = do_udp_bind,
	.ping = do_ping,
	.restrict_ = do_restrict,
};

static int do_restrict(void *ctx, struct net_NetworkManager_restrict_Params p,
		       struct net_NetworkManager_restrict_Results_builder r)
{
	struct server_call *c = ctx;
	struct net_obj *parent = manager_of(c), *m;
	uint16_t max = net_NetworkManager_restrict_Params_get_maxSockets(p);
	capos_cap_t facet;
	int idx;

	if (max == 0 || max > parent->quota.max)
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    "maxSockets must be 1..this manager's quota");
	if (!(m = obj_alloc(NET_MANAGER)))
		return server_raise(c, capos_CapException_Type_overloaded, "out of objects");
	if (!quota_init_child(&m->quota, &parent->quota, max)) {
		obj_free(m);
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    "managers restricted too many times over");
	}
	if (obj_serve(m, net_NetworkManager_TYPE_ID, net_NetworkManager_dispatch_any,
		      &manager_impl, &facet)) {
		quota_fini_child(&m->quota);
		obj_free(m);
		return server_raise(c, capos_CapException_Type_overloaded, "out of endpoints");
	}
	if ((idx = send_cap(c, facet)) < 0)
		return idx;
	net_NetworkManager_restrict_Results_set_managerIndex(r, (uint16_t)idx);
	return 0;
}

int manager_serve_root(capos_cap_t owner)
{
	root = obj_alloc(NET_MANAGER);
	quota_init_root(&root->quota, NET_QUOTA_DEFAULT);
	root->port = 0;
	root->owner = owner;
	return server_init(&net_srv, &rt.ring, owner, net_NetworkManager_TYPE_ID,
			   net_NetworkManager_dispatch_any, &manager_impl);
}

/* A restricted manager no client holds: its object goes once nothing points at its quota. */
void manager_orphaned(struct net_obj *m)
{
	obj_stop_serving(m);
	if (!m->quota.used && !m->quota.children) {
		quota_fini_child(&m->quota);
		obj_free(m);
	}
}
