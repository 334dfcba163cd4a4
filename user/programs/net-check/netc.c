// SPDX-License-Identifier: MIT
/* net-check's client calls (netc.h). */
#include "netc.h"

#include "capos.capnp.h"
#include "check.h"
#include "client.h"
#include "net.capnp.h"
#include "pci.h"
#include "virtio_pci.h"
#include "rt.h"
#include "timer.h"
#include "ustring.h"

#define NETC_SERVICE_PAGES 4096u	/* 16 MiB: lwIP's buffers, 64 KiB each way per socket */

capos_cap_t netc_mgr;
static struct ipc_call call;
static bool have_nic;

static void netc_check_echo(void);

static int result(struct ipc_call *c, int err)
{
	if (err == CAPOS_ERR_APPLICATION_EXCEPTION) {
		check_note(c->exc_reason, c->exc_type);
		return NETC_EXC(c->exc_type);
	}
	return err < 0 ? err : 0;
}

static int run(struct ipc_call *c, capos_cap_t cap, uint16_t method)
{
	return result(c, ipc_call_run(&rt.ring, c, cap, method));
}

int netc_spawn_service(capos_cap_t *handle)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t devices = rt_cap("devices", CAPOS_IFACE_DEVICE_MANAGER);
	capos_cap_t nic = CAPOS_CAP_INVALID;
	struct spawn_grant g[] = {
		{ "manager", net_NetworkManager_TYPE_ID, 0, SPAWN_NEW_ENDPOINT },
		{ "endpoints", CAPOS_IFACE_ENDPOINT_FACTORY,
		  rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY), CAPOS_XFER_COPY },
		{ "timer", CAPOS_IFACE_TIMER, rt_cap("timer", CAPOS_IFACE_TIMER), CAPOS_XFER_COPY },
		{ "entropy", CAPOS_IFACE_ENTROPY_SOURCE,
		  rt_cap("entropy", CAPOS_IFACE_ENTROPY_SOURCE), CAPOS_XFER_COPY },
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "vm", CAPOS_IFACE_VIRTUAL_MEMORY, (capos_cap_t)NETC_SERVICE_PAGES,
		  SPAWN_VIRTUAL_MEMORY },
		{ "nic", CAPOS_IFACE_PCI_DEVICE, CAPOS_CAP_INVALID, CAPOS_XFER_MOVE },
	};

	/* The virtio-net device, when QEMU has one: the service drives it. */
	have_nic = devices != CAPOS_CAP_INVALID &&
		   pci_open(devices, VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_NET_MODERN, 0, &nic) == 0;
	g[6].cap = nic;
	return spawner_spawn_ep(sp, "net", "net", g, have_nic ? 7 : 6, handle, &netc_mgr);
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
		.udp_sockets = net_NetStatus_get_udpSockets(s),
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

void netc_check_held_read_batch(capos_cap_t w, capos_cap_t r)
{
	static struct ipc_call held;
	static uint8_t bytes[NETC_BATCH_BYTES];
	struct capnp_data d = { NULL, 0 };
	int err;

	netc_read_submit(&held, r, sizeof(bytes));	/* reaches the service first: held */
	memset(bytes, 0x5a, sizeof(bytes));
	err = netc_write(w, bytes, sizeof(bytes));
	if (!err)
		err = result(&held, ipc_call_wait(&rt.ring, &held, CAPOS_TIMEOUT_INFINITE));
	if (!err)
		d = net_TcpSocket_read_Results_get_data(net_TcpSocket_read_Results_root(&held.msg));
	check(!err && d.len == sizeof(bytes), "held_read_answered_with_the_whole_batch",
	      err ? err : (long long)d.len);
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

/*
 * The service times a ping from its send to its reply, both inside our
 * call, so its rtt can never exceed the call as we time it. Each ping
 * follows a sleep, so the service's loop has waited a while before the
 * call comes: a service that stamped the send with the clock it read
 * before that wait (its turn's) reports the wait too.
 */
void netc_check_ping_rtt(uint32_t addr, const char *name)
{
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER);
	uint64_t rtt = 0, before = 0, after = 0, worst = 0;
	uint8_t ttl = 0;
	int err = 0;

	for (uint32_t i = 0; i < NETC_RTT_PINGS && !err; i++) {
		if ((err = timer_sleep(timer, 300u * 1000000u)) != 0 ||
		    (err = timer_now(timer, &before)) != 0 ||
		    (err = netc_ping(netc_mgr, addr, 56, 5000, &rtt, &ttl)) != 0 ||
		    (err = timer_now(timer, &after)) != 0)
			break;
		if (rtt > after - before && rtt - (after - before) > worst)
			worst = rtt - (after - before);
	}
	check(err == 0 && worst == 0, name, err ? (long long)err : (long long)worst);
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
	netc_check_ping_rtt(NET_ADDR(10, 0, 2, 2), "ping_gateway_rtt_within_the_call");
	netc_check_echo();
}

/* 1 MiB through QEMU's guestfwd to a host `cat` at 10.0.2.100:7, 8 KiB at a time. */
static void netc_check_echo(void)
{
	static struct ipc_call conn;
	static uint8_t out[8192], in[8192];
	capos_cap_t s;
	uint32_t moved = 0, bad = 0, got, len;

	netc_connect_submit(&conn, netc_mgr, NET_ADDR(10, 0, 2, 100), 7);
	if (!check_err(netc_cap_answer(&conn, &s), 0, "tcp_connect_to_host_echo"))
		return;
	for (uint32_t off = 0; off < (1u << 20); off += sizeof(out)) {
		for (uint32_t i = 0; i < sizeof(out); i++)
			out[i] = (uint8_t)((off + i) * 13u + (off >> 13));
		if (netc_write(s, out, sizeof(out)))
			break;
		for (got = 0; got < sizeof(in); got += len)
			if (netc_read(s, sizeof(in) - got, in + got, &len) || !len)
				break;
		if (got < sizeof(in))
			break;
		bad += memcmp(out, in, sizeof(in)) != 0;
		moved += sizeof(out);
	}
	check(moved == 1u << 20, "tcp_1MiB_echoed_by_the_host", moved);
	check(bad == 0, "tcp_host_echo_bytes_the_same", bad);
	check_err(netc_simple(s, net_TcpSocket_TYPE_ID, net_TcpSocket_close), 0, "host_echo_closed");
	(void)cap_release(s);
}
