// SPDX-License-Identifier: MIT
/*
 * net-check's UdpSocket checks (netc.h, schema/net.capnp): datagrams
 * between two sockets of the service's own address (lwIP loops them
 * back), hostile params, the 16-datagram queue, 4 held recvFroms, close,
 * quotas, and sockets freed when their holder releases them or is killed
 * with a recvFrom pending.
 */
#include "netc.h"

#include "capos.capnp.h"
#include "check.h"
#include "client.h"
#include "net.capnp.h"
#include "process.h"
#include "rt.h"
#include "timer.h"
#include "ustring.h"

#define SELF NET_ADDR(10, 0, 2, 15)
#define DGRAM_MAX 1472u
#define QUEUE_MAX 16u
#define RECV_WAIT_NS (5000ull * 1000000u)
#define EXC(t) NETC_EXC(capos_CapException_Type_##t)

static struct ipc_call call;
static uint8_t out[DGRAM_MAX + 1], in[DGRAM_MAX + 1];

static int answer(struct ipc_call *c, int err)
{
	if (err == CAPOS_ERR_APPLICATION_EXCEPTION) {
		check_note(c->exc_reason, c->exc_type);
		return NETC_EXC(c->exc_type);
	}
	return err < 0 ? err : 0;
}

int netc_udp_bind(capos_cap_t mgr, uint16_t port, capos_cap_t *sock)
{
	int err;

	ipc_call_begin(&call);
	net_NetworkManager_udpBind_Params_set_port(
		net_NetworkManager_udpBind_Params_init_root(&call.msg), port);
	if ((err = answer(&call, ipc_call_run(&rt.ring, &call, mgr, net_NetworkManager_udpBind))))
		return err;
	return ipc_call_record(&call, net_NetworkManager_udpBind_Results_get_socketIndex(
		net_NetworkManager_udpBind_Results_root(&call.msg)), net_UdpSocket_TYPE_ID, sock);
}

/* sendTo without the client library's own checks: the service must make them. */
static int send_to(capos_cap_t sock, uint32_t addr, uint16_t port, const void *data, uint32_t len)
{
	struct net_UdpSocket_sendTo_Params_builder p;

	ipc_call_begin(&call);
	p = net_UdpSocket_sendTo_Params_init_root(&call.msg);
	net_UdpSocket_sendTo_Params_set_address(p, addr);
	net_UdpSocket_sendTo_Params_set_port(p, port);
	net_UdpSocket_sendTo_Params_set_data(p, data, len);
	return answer(&call, ipc_call_run(&rt.ring, &call, sock, net_UdpSocket_sendTo));
}

static void recv_submit(struct ipc_call *c, capos_cap_t sock, uint32_t max)
{
	ipc_call_begin(c);
	net_UdpSocket_recvFrom_Params_set_max(net_UdpSocket_recvFrom_Params_init_root(&c->msg), max);
	(void)ipc_call_submit(&rt.ring, c, sock, net_UdpSocket_recvFrom);
}

/* The answer of a submitted recvFrom within timeout_ns: its bytes into in[], *len, the sender. */
static int recv_answer_within(struct ipc_call *c, uint64_t timeout_ns, uint32_t *len,
			      uint32_t *addr, uint16_t *port)
{
	struct net_UdpSocket_recvFrom_Results r;
	struct capnp_data d;
	int err = answer(c, ipc_call_wait(&rt.ring, c, timeout_ns));

	if (err)
		return err;
	r = net_UdpSocket_recvFrom_Results_root(&c->msg);
	d = net_UdpSocket_recvFrom_Results_get_data(r);
	*len = d.len <= sizeof(in) ? d.len : 0;
	memcpy(in, d.ptr, *len);
	if (addr)
		*addr = net_UdpSocket_recvFrom_Results_get_address(r);
	if (port)
		*port = net_UdpSocket_recvFrom_Results_get_port(r);
	return capnp_msg_error(&c->msg) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

/* Bounded too: over loopback an answer due comes at once, and a broken service must not hang us. */
static int recv_answer(struct ipc_call *c, uint32_t *len, uint32_t *addr, uint16_t *port)
{
	return recv_answer_within(c, RECV_WAIT_NS, len, addr, port);
}

static int recv_from(capos_cap_t sock, uint32_t max, uint32_t *len, uint32_t *addr,
		     uint16_t *port)
{
	recv_submit(&call, sock, max);
	return recv_answer(&call, len, addr, port);
}

static uint32_t udp_sockets(void)
{
	struct netc_status st = { 0 };

	return netc_status(&st) ? 9999u : st.udp_sockets;
}

/* The service hears of released capabilities asynchronously: poll its count. */
static bool udp_sockets_become(uint32_t want)
{
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER);

	for (uint32_t i = 0; i < 100; i++) {
		if (udp_sockets() == want)
			return true;
		(void)timer_sleep(timer, 10u * 1000000u);
	}
	return false;
}

/* a sends to b: small, full-size and cut datagrams, and where they came from. */
static void check_datagrams(capos_cap_t a, capos_cap_t b)
{
	uint32_t len = 0, addr = 0;
	uint16_t port = 0;

	check_err(send_to(a, SELF, 7301, "hello", 5), 0, "udp_send_to_self");
	check_err(recv_from(b, 100, &len, &addr, &port), 0, "udp_recv_from");
	check(len == 5 && memcmp(in, "hello", 5) == 0, "udp_datagram_bytes_the_same", len);
	check(addr == SELF && port == 7300, "udp_recv_from_names_the_sender", port);
	for (uint32_t i = 0; i < DGRAM_MAX; i++)
		out[i] = (uint8_t)(i * 7u + 3u);
	check_err(send_to(a, SELF, 7301, out, DGRAM_MAX), 0, "udp_send_1472_bytes");
	check(recv_from(b, DGRAM_MAX, &len, NULL, NULL) == 0 && len == DGRAM_MAX &&
	      memcmp(in, out, DGRAM_MAX) == 0, "udp_1472_bytes_the_same", len);
	check_err(send_to(a, SELF, 7301, out, 100), 0, "udp_send_100_bytes");
	check(recv_from(b, 10, &len, NULL, NULL) == 0 && len == 10 && memcmp(in, out, 10) == 0,
	      "udp_recv_cut_to_max", len);
	check_err(send_to(a, SELF, 7301, "", 0), 0, "udp_send_empty");
	check(recv_from(b, 10, &len, NULL, NULL) == 0 && len == 0, "udp_recv_empty_datagram", len);
}

static void check_hostile(capos_cap_t a)
{
	static struct ipc_call bad[2];
	uint32_t len;

	check_err(send_to(a, SELF, 7301, out, DGRAM_MAX + 1), EXC(invalidArgument),
		  "udp_send_1473_invalid");
	check_err(send_to(a, SELF, 0, out, 10), EXC(invalidArgument), "udp_send_port_0_invalid");
	/* Bounded: a service that took them would hold them (nothing arrives for a). */
	recv_submit(&bad[0], a, 0);
	check_err(recv_answer(&bad[0], &len, NULL, NULL), EXC(invalidArgument),
		  "udp_recv_max_0_invalid");
	recv_submit(&bad[1], a, 65508);
	check_err(recv_answer(&bad[1], &len, NULL, NULL), EXC(invalidArgument),
		  "udp_recv_max_65508_invalid");
}

/* 17 datagrams while nobody reads: 16 kept in order, the 17th dropped. */
static void check_queue(capos_cap_t a, capos_cap_t b)
{
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER);
	static struct ipc_call late;
	uint32_t len = 0, in_order = 0;

	for (uint32_t i = 0; i <= QUEUE_MAX; i++) {
		out[0] = (uint8_t)i;
		if (send_to(a, SELF, 7301, out, 1))
			break;
	}
	(void)timer_sleep(timer, 100u * 1000000u);	/* every one looped back by now */
	for (uint32_t i = 0; i < QUEUE_MAX; i++) {
		if (recv_from(b, 10, &len, NULL, NULL))
			break;
		in_order += len == 1 && in[0] == i;
	}
	check(in_order == QUEUE_MAX, "udp_16_unread_kept_in_order", in_order);
	recv_submit(&late, b, 10);
	(void)timer_sleep(timer, 100u * 1000000u);
	check(ipc_call_wait(&rt.ring, &late, 0) == CAPOS_ERR_TIMED_OUT, "udp_17th_dropped", 0);
	check_err(send_to(a, SELF, 7301, "late", 4), 0, "udp_send_late");
	check(recv_answer(&late, &len, NULL, NULL) == 0 && len == 4 && memcmp(in, "late", 4) == 0,
	      "udp_held_recv_answered_on_arrival", len);
}

/* 4 recvFroms held, a 5th refused; close: the 4 raise disconnected. */
static void check_held(capos_cap_t b)
{
	static struct ipc_call held[5];
	uint32_t disc = 0, len;

	for (uint32_t i = 0; i < 5; i++)
		recv_submit(&held[i], b, 100);
	check_err(recv_answer(&held[4], &len, NULL, NULL), EXC(overloaded),
		  "udp_fifth_pending_recv_overloaded");
	check(ipc_call_wait(&rt.ring, &held[0], 0) == CAPOS_ERR_TIMED_OUT, "udp_four_recvs_held", 0);
	check_err(netc_simple(b, net_UdpSocket_TYPE_ID, net_UdpSocket_close), 0,
		  "udp_close_with_recvs_held");
	/* The service's own answer, not the kernel's for a call its server dropped. */
	for (uint32_t i = 0; i < 4; i++)
		disc += recv_answer(&held[i], &len, NULL, NULL) == EXC(disconnected) &&
			strcmp(held[i].exc_reason, "the socket was closed") == 0;
	check(disc == 4, "udp_held_recvs_disconnected_on_close", disc);
	check_err(send_to(b, SELF, 7300, "x", 1), EXC(disconnected),
		  "udp_closed_socket_disconnected");
}

static void check_quota(void)
{
	capos_cap_t sub, s[3] = { 0 };

	if (!check_err(netc_restrict(netc_mgr, 2, &sub), 0, "udp_restrict_2"))
		return;
	check_err(netc_udp_bind(sub, 0, &s[0]), 0, "udp_quota_first_any_port");
	check_err(netc_udp_bind(sub, 7310, &s[1]), 0, "udp_quota_second");
	check_err(netc_udp_bind(sub, 7311, &s[2]), EXC(overloaded), "udp_quota_third_overloaded");
	check_err(netc_simple(s[1], net_UdpSocket_TYPE_ID, net_UdpSocket_close), 0,
		  "udp_quota_close_one");
	check_err(netc_udp_bind(sub, 7310, &s[2]), 0, "udp_quota_room_again_after_close");
	for (uint32_t i = 0; i < 3; i++)
		(void)cap_release(s[i]);
	(void)cap_release(sub);
	check(udp_sockets_become(0), "udp_released_sockets_freed", udp_sockets());
}

/*
 * `udp echo` (user/programs/udp) waits in a recvFrom on its socket; killed
 * there, its capability goes with it and the service frees the socket.
 */
static void check_killed_client(void)
{
	const char *argv[] = { "echo", "7320" };
	struct spawn_args args = { argv, 2 };
	struct spawn_grant g[] = {
		{ "net", net_NetworkManager_TYPE_ID, netc_mgr, CAPOS_XFER_COPY },
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
	};
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER), handle;
	int64_t code = 0;

	if (!check_err(spawner_spawn_args(rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER), "udp",
					  "udp", &args, g, 2, &handle, NULL), 0, "udp_client_spawned"))
		return;
	check(udp_sockets_become(1), "udp_client_bound", udp_sockets());
	(void)timer_sleep(timer, 200u * 1000000u);	/* its recvFrom is held by now */
	check(process_kill(handle) == 0 && process_wait(handle, &code) == 0, "udp_client_killed",
	      code);
	(void)cap_release(handle);
	check(udp_sockets_become(0), "udp_killed_clients_socket_freed", udp_sockets());
}

void netc_check_udp(void)
{
	static struct ipc_call pending;
	capos_cap_t a, b, c;
	uint32_t len;
	int err;

	if (!check_err(netc_udp_bind(netc_mgr, 7300, &a), 0, "udp_bind_7300"))
		return;
	check_err(netc_udp_bind(netc_mgr, 7300, &c), EXC(failed), "udp_bind_port_taken_fails");
	if (!check_err(netc_udp_bind(netc_mgr, 7301, &b), 0, "udp_bind_7301"))
		return;
	check(udp_sockets() == 2, "status_counts_2_udp_sockets", udp_sockets());
	check_datagrams(a, b);
	check_hostile(a);
	check_queue(a, b);
	check_held(b);
	(void)cap_release(b);
	/* released with a recvFrom pending: freed as close would */
	recv_submit(&pending, a, 100);
	(void)cap_release(a);
	err = recv_answer(&pending, &len, NULL, NULL);
	check(err != 0 && err != CAPOS_ERR_TIMED_OUT, "udp_released_pending_recv_ends", err);
	check(udp_sockets_become(0), "udp_released_socket_freed", udp_sockets());
	check_quota();
	check_killed_client();
	check(udp_sockets() == 0, "status_back_to_0_udp_sockets", udp_sockets());
}
