// SPDX-License-Identifier: MIT
/*
 * Network client (net.h): the blocking calls, one at a time, through
 * client_ring. Their buffers come from the heap on the first call, so a
 * program that links the runtime and never uses the network pays nothing.
 */
#include <capos/errors.h>

#include "client.h"
#include "heap.h"
#include "ipc_call.h"
#include "net.capnp.h"
#include "net.h"
#include "net_internal.h"
#include "ustring.h"

#define SMALL_WORDS (NET_UDP_SEND_MAX / 8 + 16)	/* params of any call but a write */

struct net_bufs {
	uint64_t params[SMALL_WORDS];
	uint64_t result[NET_ANSWER_SLACK_WORDS + 16];	/* the largest small answer: status */
};

static struct net_bufs *bufs;

static int bufs_ready(void)
{
	if (!client_ring)
		return CAPOS_ERR_INVALID_ARGUMENT;
	if (!bufs)
		bufs = malloc(sizeof(*bufs));
	return bufs ? 0 : CAPOS_ERR_NO_MEMORY;
}

/*
 * Frames *m, CALLs method of cap with room result[0..rsize) and opens the
 * answer in *m; *cqe is its completion (for capability records).
 */
static int call(capos_cap_t cap, uint16_t method, struct capnp_msg *m, uint64_t *result,
		size_t rsize, struct capos_cqe *cqe)
{
	size_t plen;
	int ret;

	*cqe = (struct capos_cqe){ .result = CAPOS_ERR_INVALID_ARGUMENT };
	if (capnp_msg_error(m) || capnp_msg_write(m, bufs->params, sizeof(bufs->params), &plen))
		return CAPOS_ERR_INVALID_ARGUMENT;
	ret = uring_call(client_ring, cap, method, bufs->params, (uint32_t)plen, result,
			 (uint32_t)rsize, NULL, 0, cqe);
	cqe->result = ret;	/* also a failure before any CQE (no SQE free) */
	return client_open_answer(cqe, result, rsize, m);
}

/* Starts a small call: the buffers, and params being built in *m. */
static int begin(struct capnp_msg *m)
{
	int err = bufs_ready();

	return err ? err : net_begin(m);
}

static int call_small(capos_cap_t cap, uint16_t method, struct capnp_msg *m,
		      struct capos_cqe *cqe)
{
	return call(cap, method, m, bufs->result, sizeof(bufs->result), cqe);
}

/* A call whose answer is a capability at the index its reader gives. */
static int call_for_cap(capos_cap_t cap, uint16_t method, struct capnp_msg *m,
			uint16_t (*index_of)(struct capnp_msg *m), uint64_t iface,
			capos_cap_t *out)
{
	struct capos_cqe cqe;
	uint16_t idx;
	int err = call_small(cap, method, m, &cqe);

	if (err)
		return err;
	idx = index_of(m);
	if (capnp_msg_error(m))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	return net_record(&cqe, bufs->result, sizeof(bufs->result), idx, iface, out);
}

static void read_status(struct net_NetStatus s, struct net_status *st)
{
	struct capnp_data mac = net_NetStatus_get_mac(s);

	memset(st, 0, sizeof(*st));
	if (mac.len == sizeof(st->mac))
		memcpy(st->mac, mac.ptr, sizeof(st->mac));
	st->up = net_NetStatus_get_up(s);
	st->address = net_NetStatus_get_address(s);
	st->netmask = net_NetStatus_get_netmask(s);
	st->gateway = net_NetStatus_get_gateway(s);
	st->mtu = net_NetStatus_get_mtu(s);
	st->rx_packets = net_NetStatus_get_rxPackets(s);
	st->rx_bytes = net_NetStatus_get_rxBytes(s);
	st->tx_packets = net_NetStatus_get_txPackets(s);
	st->tx_bytes = net_NetStatus_get_txBytes(s);
	st->rx_dropped = net_NetStatus_get_rxDropped(s);
	st->tx_dropped = net_NetStatus_get_txDropped(s);
	st->tcp_sockets = net_NetStatus_get_tcpSockets(s);
	st->tcp_listeners = net_NetStatus_get_tcpListeners(s);
	st->udp_sockets = net_NetStatus_get_udpSockets(s);
}

int net_status(capos_cap_t net, struct net_status *st)
{
	struct capos_cqe cqe;
	struct capnp_msg m;
	struct net_NetStatus s;
	int err = begin(&m);

	if (err)
		return err;
	net_NetworkManager_status_Params_init_root(&m);
	err = call_small(net, net_NetworkManager_status, &m, &cqe);
	if (err)
		return err;
	s = net_NetworkManager_status_Results_get_status(net_NetworkManager_status_Results_root(&m));
	read_status(s, st);
	return capnp_msg_error(&m) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

static uint16_t listener_index(struct capnp_msg *m)
{
	return net_NetworkManager_tcpListen_Results_get_listenerIndex(
		net_NetworkManager_tcpListen_Results_root(m));
}

int net_tcp_listen(capos_cap_t net, uint16_t port, uint16_t backlog, capos_cap_t *listener)
{
	struct net_NetworkManager_tcpListen_Params_builder p;
	struct capnp_msg m;
	int err = begin(&m);

	if (err)
		return err;
	p = net_NetworkManager_tcpListen_Params_init_root(&m);
	net_NetworkManager_tcpListen_Params_set_port(p, port);
	net_NetworkManager_tcpListen_Params_set_backlog(p, backlog);
	return call_for_cap(net, net_NetworkManager_tcpListen, &m, listener_index,
			    net_TcpListener_TYPE_ID, listener);
}

static uint16_t connect_index(struct capnp_msg *m)
{
	return net_NetworkManager_tcpConnect_Results_get_socketIndex(
		net_NetworkManager_tcpConnect_Results_root(m));
}

int net_tcp_connect(capos_cap_t net, uint32_t address, uint16_t port, capos_cap_t *sock)
{
	struct net_NetworkManager_tcpConnect_Params_builder p;
	struct capnp_msg m;
	int err = begin(&m);

	if (err)
		return err;
	p = net_NetworkManager_tcpConnect_Params_init_root(&m);
	net_NetworkManager_tcpConnect_Params_set_address(p, address);
	net_NetworkManager_tcpConnect_Params_set_port(p, port);
	return call_for_cap(net, net_NetworkManager_tcpConnect, &m, connect_index,
			    net_TcpSocket_TYPE_ID, sock);
}

static uint16_t udp_index(struct capnp_msg *m)
{
	return net_NetworkManager_udpBind_Results_get_socketIndex(
		net_NetworkManager_udpBind_Results_root(m));
}

int net_udp_bind(capos_cap_t net, uint16_t port, capos_cap_t *sock)
{
	struct capnp_msg m;
	int err = begin(&m);

	if (err)
		return err;
	net_NetworkManager_udpBind_Params_set_port(net_NetworkManager_udpBind_Params_init_root(&m),
						   port);
	return call_for_cap(net, net_NetworkManager_udpBind, &m, udp_index, net_UdpSocket_TYPE_ID,
			    sock);
}

static uint16_t manager_index(struct capnp_msg *m)
{
	return net_NetworkManager_restrict_Results_get_managerIndex(
		net_NetworkManager_restrict_Results_root(m));
}

int net_restrict(capos_cap_t net, uint16_t max_sockets, capos_cap_t *mgr)
{
	struct capnp_msg m;
	int err = begin(&m);

	if (err)
		return err;
	net_NetworkManager_restrict_Params_set_maxSockets(
		net_NetworkManager_restrict_Params_init_root(&m), max_sockets);
	return call_for_cap(net, net_NetworkManager_restrict, &m, manager_index,
			    net_NetworkManager_TYPE_ID, mgr);
}

int net_ping(capos_cap_t net, uint32_t address, uint16_t size, uint32_t timeout_ms,
	     uint64_t *rtt_ns, uint8_t *ttl)
{
	struct net_NetworkManager_ping_Params_builder p;
	struct net_NetworkManager_ping_Results res;
	struct capos_cqe cqe;
	struct capnp_msg m;
	int err = begin(&m);

	if (err)
		return err;
	p = net_NetworkManager_ping_Params_init_root(&m);
	net_NetworkManager_ping_Params_set_address(p, address);
	net_NetworkManager_ping_Params_set_size(p, size);
	net_NetworkManager_ping_Params_set_timeoutMs(p, timeout_ms);
	err = call_small(net, net_NetworkManager_ping, &m, &cqe);
	if (err)
		return err;
	res = net_NetworkManager_ping_Results_root(&m);
	*rtt_ns = net_NetworkManager_ping_Results_get_rttNs(res);
	*ttl = net_NetworkManager_ping_Results_get_ttl(res);
	return capnp_msg_error(&m) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}
