// SPDX-License-Identifier: MIT
/*
 * net-check (tests/qemu/net-loopback, tests/qemu/net): runs as init,
 * spawns the network service `net` and checks schema/net.capnp through the
 * service's own address (lwIP loops traffic to 10.0.2.15 back inside the
 * service, so this needs no NIC): status, ping, a listener and a
 * connection to it carrying 1 MiB each way, a held read answered with a
 * whole batch of segments, hostile params, quotas and restricted
 * managers, held calls failing on close, UdpSocket (udp_checks.c); then the
 * service is killed and the kernel's leak check runs at init's exit.
 * With the `nic` argument (a PciDevice granted as "nic"), also the gateway.
 */
#include "capos.capnp.h"
#include "check.h"
#include "client.h"
#include "ipc_call.h"
#include "net.capnp.h"
#include "netc.h"
#include "process.h"
#include "rt.h"
#include "ustring.h"

#define SELF NET_ADDR(10, 0, 2, 15)
#define BULK (1024u * 1024u)
#define CHUNK 8192u

static uint8_t out_buf[CHUNK], in_buf[CHUNK];

static void check_status(void)
{
	struct netc_status st;

	if (!check_err(netc_status(&st), 0, "status_answers"))
		return;
	check(st.address == SELF, "status_address_10_0_2_15", st.address);
	check(st.netmask == NET_ADDR(255, 255, 255, 0), "status_netmask", st.netmask);
	check(st.tcp_sockets == 0 && st.tcp_listeners == 0, "status_no_sockets_at_start",
	      st.tcp_sockets);
}

static void check_ping(void)
{
	uint64_t rtt = 0;
	uint8_t ttl = 0;

	check_err(netc_ping(netc_mgr, SELF, 56, 2000, &rtt, &ttl), 0, "ping_own_address");
	check(ttl > 0, "ping_reply_has_ttl", ttl);
	netc_check_ping_rtt(SELF, "ping_own_rtt_within_the_call");
	check_err(netc_ping(netc_mgr, SELF, 1473, 2000, &rtt, &ttl), NETC_EXC(capos_CapException_Type_invalidArgument),
		  "ping_size_1473_invalid");
	check_err(netc_ping(netc_mgr, SELF, 8, 0, &rtt, &ttl), NETC_EXC(capos_CapException_Type_invalidArgument),
		  "ping_timeout_0_invalid");
	/* Nobody at .77 answers ARP: no reply within the timeout. */
	check_err(netc_ping(netc_mgr, NET_ADDR(10, 0, 2, 77), 8, 300, &rtt, &ttl),
		  NETC_EXC(capos_CapException_Type_failed), "ping_unanswered_fails_after_timeout");
}

/* A connection to ourselves: *a the connecting side, *b the accepted one. */
static bool pair(capos_cap_t mgr, capos_cap_t listener, uint16_t port, capos_cap_t *a,
		 capos_cap_t *b)
{
	static struct ipc_call conn, acc;
	int e1, e2;

	netc_connect_submit(&conn, mgr, SELF, port);
	netc_accept_submit(&acc, listener);
	e1 = netc_cap_answer(&conn, a);
	e2 = netc_cap_answer(&acc, b);
	return e1 == 0 && e2 == 0;
}

/* Sends n bytes through w, reads them all from r into dst. */
static bool through(capos_cap_t w, capos_cap_t r, const uint8_t *src, uint8_t *dst, uint32_t n)
{
	uint32_t got = 0, len;

	if (netc_write(w, src, n))
		return false;
	while (got < n) {
		if (netc_read(r, n - got, dst + got, &len) || len == 0)
			return false;
		got += len;
	}
	return true;
}

static void check_bulk(capos_cap_t a, capos_cap_t b)
{
	uint32_t moved = 0, bad = 0;

	for (uint32_t off = 0; off < BULK; off += CHUNK) {
		for (uint32_t i = 0; i < CHUNK; i++)
			out_buf[i] = (uint8_t)((off + i) * 7u + (off >> 13));
		/* a -> b, then echoed b -> a */
		if (!through(a, b, out_buf, in_buf, CHUNK) || !through(b, a, in_buf, in_buf, CHUNK))
			break;
		bad += memcmp(out_buf, in_buf, CHUNK) != 0;
		moved += CHUNK;
	}
	check(moved == BULK, "tcp_1MiB_echoed_through_a_connection", moved);
	check(bad == 0, "tcp_bytes_come_back_the_same", bad);
}

static void check_tcp(void)
{
	capos_cap_t l, l2, a, b;
	uint32_t len;
	struct netc_status st;

	if (!check_err(netc_listen(netc_mgr, 7000, 0, &l), 0, "tcp_listen_7000"))
		return;
	check_err(netc_listen(netc_mgr, 7000, 0, &l2), NETC_EXC(capos_CapException_Type_failed),
		  "tcp_listen_port_taken_fails");
	check_err(netc_listen(netc_mgr, 0, 0, &l2), NETC_EXC(capos_CapException_Type_invalidArgument),
		  "tcp_listen_port_0_invalid");
	check_err(netc_listen(netc_mgr, 7001, 65, &l2), NETC_EXC(capos_CapException_Type_invalidArgument),
		  "tcp_listen_backlog_65_invalid");
	if (!check(pair(netc_mgr, l, 7000, &a, &b), "tcp_connect_and_accept", 0))
		return;
	check(netc_status(&st) == 0 && st.tcp_sockets == 2 && st.tcp_listeners == 1,
	      "status_counts_2_sockets_1_listener", st.tcp_sockets);
	check_bulk(a, b);
	netc_check_held_read_batch(a, b);
	check_err(netc_read(a, 0, in_buf, &len), NETC_EXC(capos_CapException_Type_invalidArgument),
		  "read_max_0_invalid");
	check_err(netc_read(a, 40000, in_buf, &len), NETC_EXC(capos_CapException_Type_invalidArgument),
		  "read_max_40000_invalid");
	netc_check_held_reads(a);
	/* b's peer closed: b reads the end, then its writes fail too after shutdown */
	check_err(netc_read(b, 100, in_buf, &len), 0, "read_after_peer_close_answers");
	check(len == 0, "read_after_peer_close_is_empty", len);
	check_err(netc_simple(b, net_TcpSocket_TYPE_ID, net_TcpSocket_shutdown), 0, "shutdown");
	check_err(netc_write(b, out_buf, 10), NETC_EXC(capos_CapException_Type_disconnected),
		  "write_after_shutdown_disconnected");
	check_err(netc_simple(b, net_TcpSocket_TYPE_ID, net_TcpSocket_close), 0, "close");
	check_err(netc_simple(l, net_TcpListener_TYPE_ID, net_TcpListener_close), 0,
		  "listener_close");
	(void)cap_release(a);
	(void)cap_release(b);
	(void)cap_release(l);
	check(netc_status(&st) == 0 && st.tcp_sockets == 0 && st.tcp_listeners == 0,
	      "status_back_to_0_sockets", st.tcp_sockets);
}

/*
 * A connection whose capabilities are released with bytes in flight (as
 * when their holder exits): the service closes both ends.
 */
static void check_release(void)
{
	capos_cap_t l, a, b;
	struct netc_status st = { 0 };

	if (!check_err(netc_listen(netc_mgr, 7200, 0, &l), 0, "release_listen"))
		return;
	if (!check(pair(netc_mgr, l, 7200, &a, &b), "release_pair", 0))
		return;
	check_err(netc_write(a, out_buf, CHUNK), 0, "release_write_in_flight");
	(void)cap_release(a);
	(void)cap_release(b);
	(void)cap_release(l);
	/* The service hears of it asynchronously: a few status calls at most. */
	for (uint32_t i = 0; i < 100; i++)
		if (netc_status(&st) || (st.tcp_sockets == 0 && st.tcp_listeners == 0))
			break;
	check(st.tcp_sockets == 0 && st.tcp_listeners == 0, "released_sockets_closed",
	      st.tcp_sockets);
}

static void check_quota(void)
{
	capos_cap_t sub, sub2, l[3];

	check_err(netc_restrict(netc_mgr, 0, &sub), NETC_EXC(capos_CapException_Type_invalidArgument),
		  "restrict_0_invalid");
	check_err(netc_restrict(netc_mgr, 65, &sub), NETC_EXC(capos_CapException_Type_invalidArgument),
		  "restrict_above_quota_invalid");
	if (!check_err(netc_restrict(netc_mgr, 2, &sub), 0, "restrict_2"))
		return;
	check_err(netc_restrict(sub, 3, &sub2), NETC_EXC(capos_CapException_Type_invalidArgument),
		  "restrict_wider_than_parent_invalid");
	check_err(netc_listen(sub, 7100, 1, &l[0]), 0, "quota_first_listener");
	check_err(netc_listen(sub, 7101, 1, &l[1]), 0, "quota_second_listener");
	check_err(netc_listen(sub, 7102, 1, &l[2]), NETC_EXC(capos_CapException_Type_overloaded),
		  "quota_third_overloaded");
	check_err(netc_simple(l[0], net_TcpListener_TYPE_ID, net_TcpListener_close), 0,
		  "quota_close_one");
	check_err(netc_listen(sub, 7102, 1, &l[2]), 0, "quota_room_again_after_close");
	for (uint32_t i = 0; i < 3; i++)
		(void)cap_release(l[i]);
	(void)cap_release(sub);
}

int main(void)
{
	capos_cap_t handle;
	int64_t code = -1;

	check_init("net-check");
	if (!check_err(netc_spawn_service(&handle), 0, "service_spawned"))
		return check_done();
	check_status();
	check_ping();
	check_tcp();
	check_release();
	check_quota();
	netc_check_udp();
	netc_check_gateway();
	(void)cap_release(netc_mgr);
	check(process_kill(handle) == 0 && process_wait(handle, &code) == 0,
	      "service_stopped", code);
	(void)cap_release(handle);
	return check_done();
}
