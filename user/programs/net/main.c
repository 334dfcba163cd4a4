// SPDX-License-Identifier: MIT
/*
 * net: the network service (docs/network.md). Grants: `manager` (the
 * NetworkManager endpoint it exports), `endpoints` (EndpointFactory, one
 * endpoint per listener and socket), `timer`, `entropy`, and `nic` (the
 * virtio-net PciDevice; without it the service runs on its loopback only).
 * One event loop: each turn reads the Timer once (lwIP's clock), runs
 * lwIP's timers, delivers looped-back packets, and waits in cap_enter for
 * the next call, the NIC's interrupt, or lwIP's next timeout, whichever
 * comes first: an idle service sleeps.
 */
#include "capos.capnp.h"
#include "entropy.h"
#include "lwip/timeouts.h"
#include "net.h"
#include "netif_glue.h"
#include "ping.h"
#include "print.h"
#include "rt.h"
#include "timer.h"

struct server net_srv;
struct net_counters net_stats;
capos_cap_t net_endpoints;

static capos_cap_t timer_cap, entropy_cap;
static uint64_t now_ns;

uint64_t net_now_ns(void)
{
	return now_ns;
}

static void read_clock(void)
{
	uint64_t t;

	if (timer_now(timer_cap, &t) == 0 && t > now_ns)
		now_ns = t;
}

/*
 * The clock read now: a turn's reading is as old as the loop's wait, which
 * can be most of a second (lwIP's next timeout), so what times an event
 * inside a turn (a ping's send and its reply) reads it afresh.
 */
uint64_t net_clock_now(void)
{
	read_clock();
	return now_ns;
}

/* lwIP's clock (NO_SYS): milliseconds, as read at the start of this turn. */
u32_t sys_now(void)
{
	return (u32_t)(now_ns / 1000000u);
}

/*
 * TCP initial sequence numbers and ephemeral ports: bytes from the
 * EntropySource, 256 at a time, so they are not predictable.
 */
uint32_t net_lwip_rand(void)
{
	static uint32_t pool[ENTROPY_GET_MAX / 4];
	static uint32_t left;

	if (!left) {
		if (entropy_get(entropy_cap, pool, sizeof(pool)))
			net_lwip_assert("the EntropySource failed", __FILE__, __LINE__);
		left = ENTROPY_GET_MAX / 4;
	}
	return pool[--left];
}

void net_lwip_assert(const char *msg, const char *file, int line)
{
	rt_assert_fail(msg, file, line);
}

int net_lwip_atoi(const char *s)
{
	int n = 0;

	for (uint32_t i = 0; i < 8 && s[i] >= '0' && s[i] <= '9'; i++)
		n = n * 10 + (s[i] - '0');
	return n;
}

static void on_other(void *arg, const struct capos_cqe *cqe)
{
	(void)arg;
	if (netif_glue_completion(cqe))
		tcp_sock_serve_received();
	else
		printf("net: unexpected completion\n");
}

/*
 * Every client capability of a port's endpoint is gone (released, or its
 * holders exited): close what it stood for, as `close` would.
 */
static struct net_obj *orphans[NET_OBJS_MAX];
static uint32_t norphans;

static void on_orphan(void *arg, int port, void *port_ctx)
{
	(void)arg;
	(void)port;
	/* Closed after server_serve_one returns, outside the loop's own reaping. */
	if (port_ctx && norphans < NET_OBJS_MAX)
		orphans[norphans++] = port_ctx;
}

static void close_orphans(void)
{
	while (norphans) {
		struct net_obj *o = orphans[--norphans];

		if (o->port <= 0)	/* closed meanwhile */
			continue;
		if (o->kind == NET_TCP)
			tcp_sock_close(o, false);
		else if (o->kind == NET_LISTENER)
			listener_close(o);
		else if (o->kind == NET_UDP)
			udp_sock_close(o);
		else if (o->kind == NET_MANAGER)
			manager_orphaned(o);
	}
}

/*
 * The NIC's transmit watchdog, every NETIF_WATCHDOG_NS at most; the loop
 * wakes for it only while transmit buffers are in flight (an idle service
 * still sleeps). How long until it is due, or UINT64_MAX.
 */
static uint64_t watchdog(void)
{
	static uint64_t due;
	static bool watching;

	if (now_ns >= due) {
		watching = netif_glue_watchdog();
		due = now_ns + NETIF_WATCHDOG_NS;
	}
	return watching ? due - now_ns : UINT64_MAX;
}

/* How long the loop may wait: until lwIP's next timeout or a ping's deadline. */
static uint64_t wait_ns(void)
{
	uint32_t ms = sys_timeouts_sleeptime();
	uint64_t ns = ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE ? UINT64_MAX : (uint64_t)ms * 1000000u;
	uint64_t ping = ping_expire(now_ns), dog = watchdog();

	if (dog < ns)
		ns = dog;
	return ping < ns ? ping : ns;
}

int main(void)
{
	capos_cap_t owner = rt_cap("manager", CAPOS_IFACE_ENDPOINT);
	capos_cap_t nic = rt_cap("nic", CAPOS_IFACE_PCI_DEVICE);
	int err;

	net_endpoints = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	timer_cap = rt_cap("timer", CAPOS_IFACE_TIMER);
	entropy_cap = rt_cap("entropy", CAPOS_IFACE_ENTROPY_SOURCE);
	if (owner == CAPOS_CAP_INVALID || net_endpoints == CAPOS_CAP_INVALID ||
	    timer_cap == CAPOS_CAP_INVALID || entropy_cap == CAPOS_CAP_INVALID) {
		printf("net: needs manager, endpoints, timer and entropy\n");
		return 1;
	}
	read_clock();
	if ((err = manager_serve_root(owner)) != 0 || (err = netif_glue_init(nic)) != 0) {
		printf("net: start-up failed (%d)\n", err);
		return 1;
	}
	ping_init();
	server_set_other(&net_srv, on_other, NULL);
	server_set_orphan(&net_srv, on_orphan, NULL);
	for (;;) {
		read_clock();
		sys_check_timeouts();
		netif_glue_poll();
		tcp_sock_serve_received();
		err = server_serve_one(&net_srv, norphans ? 0 : wait_ns());
		close_orphans();
		if (err && err != CAPOS_ERR_TIMED_OUT && err != SERVER_STOP && err != SERVER_HELD &&
		    err != SERVER_RAISED) {
			printf("net: the loop failed (%d)\n", err);
			return 1;
		}
	}
}
