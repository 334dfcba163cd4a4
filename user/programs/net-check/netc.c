// SPDX-License-Identifier: MIT
/* net-check's client calls (netc.h). */
#include "netc.h"

#include "capos.capnp.h"
#include "check.h"
#include "client.h"
#include "net.capnp.h"
#include "rt.h"
#include "ustring.h"

capos_cap_t netc_mgr;
static struct ipc_call call;
static bool have_nic;

static int result(struct ipc_call *c, int err)
{
	if (err == CAPOS_ERR_APPLICATION_EXCEPTION)
		return NETC_EXC(c->exc_type);
	return err < 0 ? err : 0;
}

static int run(struct ipc_call *c, capos_cap_t cap, uint16_t method)
{
	return result(c, ipc_call_run(&rt.ring, c, cap, method));
}

int netc_spawn_service(capos_cap_t *handle)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t nic = rt_cap("nic", CAPOS_IFACE_PCI_DEVICE);
	struct spawn_grant g[] = {
		{ "manager", net_NetworkManager_TYPE_ID, 0, SPAWN_NEW_ENDPOINT },
		{ "endpoints", CAPOS_IFACE_ENDPOINT_FACTORY,
		  rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY), CAPOS_XFER_COPY },
		{ "timer", CAPOS_IFACE_TIMER, rt_cap("timer", CAPOS_IFACE_TIMER), CAPOS_XFER_COPY },
		{ "entropy", CAPOS_IFACE_ENTROPY_SOURCE,
		  rt_cap("entropy", CAPOS_IFACE_ENTROPY_SOURCE), CAPOS_XFER_COPY },
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "nic", CAPOS_IFACE_PCI_DEVICE, nic, CAPOS_XFER_COPY },
	};

	have_nic = nic != CAPOS_CAP_INVALID;
	return spawner_spawn_ep(sp, "net", "net", g, have_nic ? 6 : 5, handle, &netc_mgr);
}

int netc_status(struct netc_status *st)
{
	struct net_NetStatus s;
	int err;

	ipc_call_begin(&call);
	(void)net_NetworkManager_status_Params_init_root(&call.msg);
	if ((err = run(&call, netc_mgr, net_NetworkManager_status)))
		return err;
	s = net_NetworkManager_status_Results_get_status(
		net_NetworkManager_status_Results_root(&call.msg));
	*st = (struct netc_status){
		.up = net_NetStatus_get_up(s),
		.address = net_NetStatus_get_address(s),
		.netmask = net_NetStatus_get_netmask(s),
		.tcp_sockets = net_NetStatus_get_tcpSockets(s),
		.tcp_listeners = net_NetStatus_get_tcpListeners(s),
		.rx_packets = net_NetStatus_get_rxPackets(s),
		.tx_packets = net_NetStatus_get_txPackets(s),
	};
	return 0;
}

int netc_ping(capos_cap_t mgr, uint32_t addr, uint16_t size, uint32_t timeout_ms, uint64_t *rtt,
	      uint8_t *ttl)
{
	struct net_NetworkManager_ping_Params_builder p;
	struct net_NetworkManager_ping_Results r;
	int err;

	ipc_call_begin(&call);
	p = net_NetworkManager_ping_Params_init_root(&call.msg);
	net_NetworkManager_ping_Params_set_address(p, addr);
	net_NetworkManager_ping_Params_set_size(p, size);
	net_NetworkManager_ping_Params_set_timeoutMs(p, timeout_ms);
	if ((err = run(&call, mgr, net_NetworkManager_ping)))
		return err;
	r = net_NetworkManager_ping_Results_root(&call.msg);
	*rtt = net_NetworkManager_ping_Results_get_rttNs(r);
	*ttl = net_NetworkManager_ping_Results_get_ttl(r);
	return 0;
}

int netc_listen(capos_cap_t mgr, uint16_t port, uint16_t backlog, capos_cap_t *listener)
{
	struct net_NetworkManager_tcpListen_Params_builder p;
	int err;

	ipc_call_begin(&call);
	p = net_NetworkManager_tcpListen_Params_init_root(&call.msg);
	net_NetworkManager_tcpListen_Params_set_port(p, port);
	net_NetworkManager_tcpListen_Params_set_backlog(p, backlog);
	if ((err = run(&call, mgr, net_NetworkManager_tcpListen)))
		return err;
	return ipc_call_record(&call, net_NetworkManager_tcpListen_Results_get_listenerIndex(
		net_NetworkManager_tcpListen_Results_root(&call.msg)), net_TcpListener_TYPE_ID,
		listener);
}

int netc_restrict(capos_cap_t mgr, uint16_t max, capos_cap_t *sub)
{
	int err;

	ipc_call_begin(&call);
	net_NetworkManager_restrict_Params_set_maxSockets(
		net_NetworkManager_restrict_Params_init_root(&call.msg), max);
	if ((err = run(&call, mgr, net_NetworkManager_restrict)))
		return err;
	return ipc_call_record(&call, net_NetworkManager_restrict_Results_get_managerIndex(
		net_NetworkManager_restrict_Results_root(&call.msg)), net_NetworkManager_TYPE_ID,
		sub);
}

void netc_connect_submit(struct ipc_call *c, capos_cap_t mgr, uint32_t addr, uint16_t port)
{
	struct net_NetworkManager_tcpConnect_Params_builder p;

	ipc_call_begin(c);
	p = net_NetworkManager_tcpConnect_Params_init_root(&c->msg);
	net_NetworkManager_tcpConnect_Params_set_address(p, addr);
	net_NetworkManager_tcpConnect_Params_set_port(p, port);
	(void)ipc_call_submit(&rt.ring, c, mgr, net_NetworkManager_tcpConnect);
}

void netc_accept_submit(struct ipc_call *c, capos_cap_t listener)
{
	ipc_call_begin(c);
	(void)net_TcpListener_accept_Params_init_root(&c->msg);
	(void)ipc_call_submit(&rt.ring, c, listener, net_TcpListener_accept);
}

int netc_cap_answer(struct ipc_call *c, capos_cap_t *cap)
{
	int err = result(c, ipc_call_wait(&rt.ring, c, CAPOS_TIMEOUT_INFINITE));

	/* Both answers carry the socket as record 0 (socketIndex is 0 in each). */
	return err ? err : ipc_call_record(c, 0, net_TcpSocket_TYPE_ID, cap);
}

int netc_write(capos_cap_t sock, const void *data, uint32_t len)
{
	ipc_call_begin(&call);
	net_TcpSocket_write_Params_set_data(net_TcpSocket_write_Params_init_root(&call.msg), data,
					    len);
	return run(&call, sock, net_TcpSocket_write);
}

void netc_read_submit(struct ipc_call *c, capos_cap_t sock, uint32_t max)
{
	ipc_call_begin(c);
	net_TcpSocket_read_Params_set_max(net_TcpSocket_read_Params_init_root(&c->msg), max);
	(void)ipc_call_submit(&rt.ring, c, sock, net_TcpSocket_read);
}

int netc_read(capos_cap_t sock, uint32_t max, void *dst, uint32_t *len)
{
	struct capnp_data d;
	int err;

	netc_read_submit(&call, sock, max);
	if ((err = result(&call, ipc_call_wait(&rt.ring, &call, CAPOS_TIMEOUT_INFINITE))))
		return err;
	d = net_TcpSocket_read_Results_get_data(net_TcpSocket_read_Results_root(&call.msg));
	*len = d.len <= max ? d.len : 0;
	if (*len)
		memcpy(dst, d.ptr, *len);
	return 0;
}

int netc_simple(capos_cap_t cap, uint64_t iface, uint16_t method)
{
	(void)iface;
	ipc_call_begin(&call);
	(void)capnp_ptr_init_struct(capnp_msg_root_builder(&call.msg), 0, 0);
	return run(&call, cap, method);
}

void netc_check_held_reads(capos_cap_t sock)
{
	static struct ipc_call held[5];
	uint32_t disc = 0;

	for (uint32_t i = 0; i < 5; i++)
		netc_read_submit(&held[i], sock, 100);
	check_err(result(&held[4], ipc_call_wait(&rt.ring, &held[4], CAPOS_TIMEOUT_INFINITE)),
		  NETC_EXC(capos_CapException_Type_overloaded), "fifth_pending_read_overloaded");
	check(ipc_call_wait(&rt.ring, &held[0], 0) == CAPOS_ERR_TIMED_OUT, "four_reads_held", 0);
	check_err(netc_simple(sock, net_TcpSocket_TYPE_ID, net_TcpSocket_close), 0,
		  "close_with_reads_held");
	for (uint32_t i = 0; i < 4; i++)
		disc += result(&held[i], ipc_call_wait(&rt.ring, &held[i], CAPOS_TIMEOUT_INFINITE)) ==
			NETC_EXC(capos_CapException_Type_disconnected);
	check(disc == 4, "held_reads_disconnected_on_close", disc);
}

void netc_check_gateway(void)
{
	struct netc_status st = { 0 };
	uint64_t rtt = 0;
	uint8_t ttl = 0;

	if (!have_nic)
		return;
	check(netc_status(&st) == 0 && st.up, "status_up_with_the_nic", st.up);
	check_err(netc_ping(netc_mgr, NET_ADDR(10, 0, 2, 2), 56, 5000, &rtt, &ttl), 0,
		  "ping_gateway_10_0_2_2");
	check(rtt > 0, "ping_gateway_rtt_measured", (long long)rtt);
}
