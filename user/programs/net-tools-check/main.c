// SPDX-License-Identifier: MIT
/*
 * net-tools-check (QEMU scenario net-tools): the client library net.h and
 * httpd against the real network service, without a NIC (lwIP loops the
 * service's own address 10.0.2.15 back). As init it spawns `net`, then
 * through net.h only: status, ping, a listener, an accept kept in flight
 * while connecting, tcp_info, 48 KiB carried by one write call and taken
 * with four reads in flight (in order, the same bytes), shutdown seen as
 * the end, a reply the other way, close; then it spawns httpd (with a copy
 * of the NetworkManager) and asks it over TCP for /, /nope, a malformed
 * head, HEAD /blob and the first 256 KiB of /blob (the pattern), leaving
 * mid-body; 50 connections one after the other. Both children are killed
 * at the end and the kernel's leak check judges the run.
 */
#include "capos.capnp.h"
#include "check.h"
#include "net.capnp.h"
#include "net.h"
#include "rt.h"

#define SELF 0x0a00020fu	/* 10.0.2.15 */
#define BULK (48u * 1024u)	/* within the send buffer: the write completes unread */

static capos_cap_t mgr;
static struct tcp_read_req reads[NET_PENDING_MAX];
static struct tcp_accept_req acc;
static uint8_t out[BULK], in[BULK + NET_TCP_IO_MAX];

static int spawn(const char *name, const struct spawn_grant *g, uint32_t n,
		 capos_cap_t *handle, capos_cap_t *facet)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);

	return facet ? spawner_spawn_ep(sp, name, name, g, n, handle, facet) :
		       spawner_spawn(sp, name, name, g, n, handle);
}

static int spawn_net(capos_cap_t *handle)
{
	struct spawn_grant g[] = {
		{ "manager", net_NetworkManager_TYPE_ID, 0, SPAWN_NEW_ENDPOINT },
		{ "endpoints", CAPOS_IFACE_ENDPOINT_FACTORY,
		  rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY), CAPOS_XFER_COPY },
		{ "timer", CAPOS_IFACE_TIMER, rt_cap("timer", CAPOS_IFACE_TIMER), CAPOS_XFER_COPY },
		{ "entropy", CAPOS_IFACE_ENTROPY_SOURCE,
		  rt_cap("entropy", CAPOS_IFACE_ENTROPY_SOURCE), CAPOS_XFER_COPY },
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
	};

	return spawn("net", g, 5, handle, &mgr);
}

static void check_status_and_ping(void)
{
	struct net_status st;
	uint64_t rtt = 0;
	uint8_t ttl = 0;

	check_err(net_status(mgr, &st), 0, "status_answers");
	check(st.address == SELF, "status_address_10_0_2_15", st.address);
	check_err(net_ping(mgr, SELF, 56, 1000, &rtt, &ttl), 0, "ping_own_address");
	check(ttl > 0, "ping_ttl_nonzero", ttl);
}

/* Puts four reads in flight on sock. */
static bool reads_start(capos_cap_t sock)
{
	for (uint32_t i = 0; i < NET_PENDING_MAX; i++)
		if (tcp_read_submit(client_ring, sock, NET_IO_CHUNK, &reads[i]))
			return false;
	return true;
}

/* Takes len bytes from sock with the four reads of reads_start, answered in order. */
static uint32_t read_all(capos_cap_t sock, uint32_t len)
{
	uint32_t got = 0, next = 0, pending = NET_PENDING_MAX;

	while (pending) {
		int n = tcp_read_wait(client_ring, &reads[next], CAPOS_TIMEOUT_INFINITE);

		pending--;
		if (n > 0) {
			memcpy(in + got, reads[next].data, (uint32_t)n);
			got += (uint32_t)n;
		}
		if (n > 0 && got < len &&
		    !tcp_read_submit(client_ring, sock, NET_IO_CHUNK, &reads[next]))
			pending++;
		next = (next + 1) % NET_PENDING_MAX;
		if (got >= len && pending)
			break;
	}
	/* Reads still in flight end with the close below (disconnected). */
	return got;
}

/*
 * One TcpSocket.write of the schema's largest data (32 KiB) is taken by the
 * service (its server loop receives messages that big) and arrives whole.
 */
static void check_one_call_write(capos_cap_t from, capos_cap_t to)
{
	static struct tcp_write_req w;
	uint32_t got = 0;
	int n = 1, err = tcp_write_submit(client_ring, from, out, NET_TCP_IO_MAX, &w);

	if (!err)
		err = tcp_write_wait(client_ring, &w, CAPOS_TIMEOUT_INFINITE);
	check_err(err, 0, "write_32KiB_in_one_call");
	while (got < NET_TCP_IO_MAX && n > 0)
		if ((n = tcp_read(to, in + got, NET_TCP_IO_MAX - got)) > 0)
			got += (uint32_t)n;
	check(got == NET_TCP_IO_MAX && memcmp(in, out, NET_TCP_IO_MAX) == 0,
	      "write_32KiB_arrives_whole", got);
}

static void check_tcp(void)
{
	capos_cap_t listener, client, server;
	struct tcp_info info;
	uint32_t raddr = 0;
	uint16_t port = 0;
	char buf[16];

	if (!check_err(net_tcp_listen(mgr, 8080, 4, &listener), 0, "listen_8080"))
		return;
	check(tcp_listener_port(listener, &port) == 0 && port == 8080, "listener_port_8080", port);
	check_err(tcp_accept_submit(client_ring, listener, &acc), 0, "accept_in_flight");
	check_err(net_tcp_connect(mgr, SELF, 8080, &client), 0, "connect_while_accept_pending");
	check_err(tcp_accept_wait(client_ring, &acc, CAPOS_TIMEOUT_INFINITE, &server, &raddr, NULL),
		  0, "accept_completes");
	check(raddr == SELF, "accepted_from_10_0_2_15", raddr);
	check(tcp_info(client, &info) == 0 && info.remote_port == 8080 &&
	      info.remote_address == SELF, "tcp_info_remote_8080", info.remote_port);
	for (uint32_t i = 0; i < BULK; i++)
		out[i] = (uint8_t)(i * 7 + (i >> 10));
	/*
	 * The reads go first, then one blocking write of 48 KiB (within the
	 * service's 64 KiB send buffer, so it completes before any read is
	 * taken again); the reads answer in order as the bytes arrive.
	 */
	check(reads_start(server), "four_reads_submitted", 0);
	check_err(tcp_write(client, out, BULK), 0, "write_48KiB_in_pieces");
	check(read_all(server, BULK) == BULK && memcmp(in, out, BULK) == 0,
	      "four_reads_in_flight_same_bytes_in_order", 0);
	check_err(tcp_shutdown(client), 0, "shutdown");
	check(tcp_read(server, buf, sizeof(buf)) == 0, "shutdown_read_as_end", 0);
	check(tcp_write(server, "reply", 5) == 0 && tcp_read(client, buf, sizeof(buf)) == 5 &&
	      memcmp(buf, "reply", 5) == 0, "reply_after_shutdown", 0);
	check_one_call_write(server, client);
	check_err(tcp_close(server), 0, "close_server_side");
	check_err(tcp_close(client), 0, "close_client_side");
	check(tcp_read(client, buf, sizeof(buf)) == CAPOS_ERR_APPLICATION_EXCEPTION &&
	      client_exception()->type == capos_CapException_Type_disconnected,
	      "read_after_close_disconnected", 0);
	check_err(tcp_listener_close(listener), 0, "listener_close");
	cap_release(client);
	cap_release(server);
	cap_release(listener);
}

#include "httpd_checks.h"

int main(void)
{
	capos_cap_t net, httpd = CAPOS_CAP_INVALID;
	int64_t code = -1;

	check_init("net-tools-check");
	if (!check_err(spawn_net(&net), 0, "service_spawned"))
		return check_done();
	check_status_and_ping();
	check_tcp();
	struct spawn_grant g[] = {
		{ "net", net_NetworkManager_TYPE_ID, mgr, CAPOS_XFER_COPY },
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
	};
	if (check_err(spawn("httpd", g, 2, &httpd, NULL), 0, "httpd_spawned")) {
		check_httpd(mgr);
		check(process_kill(httpd) == 0 && process_wait(httpd, &code) == 0,
		      "httpd_stopped", code);
		cap_release(httpd);
	}
	cap_release(mgr);
	check(process_kill(net) == 0 && process_wait(net, &code) == 0, "service_stopped", code);
	cap_release(net);
	return check_done();
}
