/* SPDX-License-Identifier: MIT */
/*
 * net-check's small client of schema/net.capnp (the runtime's net client
 * library is user/lib/net.h, m7-tools; this one keeps the check
 * independent of it). Each returns 0, NETC_EXC(type) for a CapException
 * the service raised, or a negative CAPOS_ERR_*.
 */
#ifndef NET_CHECK_NETC_H
#define NET_CHECK_NETC_H

#include <stdbool.h>
#include <stdint.h>

#include "ipc_call.h"

#define NETC_EXC(type) (-1000 - (int)(type))
#define NET_ADDR(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
			      ((uint32_t)(c) << 8) | (uint32_t)(d))

struct netc_status {
	bool up;
	uint32_t address, netmask;
	uint32_t tcp_sockets, tcp_listeners, udp_sockets;
	uint64_t rx_packets, tx_packets;
};

extern capos_cap_t netc_mgr;

int netc_spawn_service(capos_cap_t *handle);
int netc_status(struct netc_status *st);
int netc_ping(capos_cap_t mgr, uint32_t addr, uint16_t size, uint32_t timeout_ms, uint64_t *rtt,
	      uint8_t *ttl);
int netc_listen(capos_cap_t mgr, uint16_t port, uint16_t backlog, capos_cap_t *listener);
int netc_restrict(capos_cap_t mgr, uint16_t max, capos_cap_t *sub);
void netc_connect_submit(struct ipc_call *c, capos_cap_t mgr, uint32_t addr, uint16_t port);
void netc_accept_submit(struct ipc_call *c, capos_cap_t listener);
/* Waits for a submitted connect or accept; *cap the socket. */
int netc_cap_answer(struct ipc_call *c, capos_cap_t *cap);
int netc_write(capos_cap_t sock, const void *data, uint32_t len);
int netc_read(capos_cap_t sock, uint32_t max, void *dst, uint32_t *len);
void netc_read_submit(struct ipc_call *c, capos_cap_t sock, uint32_t max);
/* A method with empty params and results (close, shutdown). */
int netc_simple(capos_cap_t cap, uint64_t iface, uint16_t method);
/*
 * A read held on r, then NETC_BATCH_BYTES written on w (r's peer, looped
 * back): the read is answered with all of them, not the first segment's.
 */
#define NETC_BATCH_BYTES 8192u
void netc_check_held_read_batch(capos_cap_t w, capos_cap_t r);
/* 4 reads held, a 5th refused, close: the 4 raise disconnected. */
void netc_check_held_reads(capos_cap_t sock);
#define NETC_RTT_PINGS 4u
/* Pings addr after pauses: the service's rtt never exceeds the call's own duration. */
void netc_check_ping_rtt(uint32_t addr, const char *name);
/* udpBind: *sock a UdpSocket on port (0: any). */
int netc_udp_bind(capos_cap_t mgr, uint16_t port, capos_cap_t *sock);
/* UdpSocket through the service's own address (udp_checks.c). */
void netc_check_udp(void);
/* With a NIC: ping the gateway (10.0.2.2); nothing without. */
void netc_check_gateway(void);

#endif
