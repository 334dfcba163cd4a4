/* SPDX-License-Identifier: MIT */
/*
 * The network service (docs/network.md): lwIP over the virtio-net device,
 * serving schema/net.capnp. One event loop (main.c); every manager,
 * listener and socket is an object of a fixed table and its own endpoint,
 * served as a port of the loop's server (port_ctx: the object).
 */
#ifndef CAPOS_NET_H
#define CAPOS_NET_H

#include <stdbool.h>
#include <stdint.h>

#include <capos/errors.h>

#include "lwip/pbuf.h"
#include "net.capnp.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "quota.h"
#include "server.h"

#define NET_OBJS_MAX 128u		/* managers, listeners and sockets at once */
#define NET_QUOTA_DEFAULT 64u		/* the exported manager's sockets + listeners */
#define NET_RX_MAX (64u * 1024u)	/* received, not yet read, per connection */
#define NET_READ_MAX 32768u		/* TcpSocket.read's max (schema) */
#define NET_WRITE_MAX 32768u		/* TcpSocket.write's data (schema) */
#define NET_HELD_MAX 4u			/* reads, writes pending per socket (schema) */
#define NET_ACCEPTS_MAX 16u		/* accepts pending per listener (schema) */
#define NET_BACKLOG_MAX 64u		/* TcpListener backlog (schema) */
#define NET_BACKLOG_DEFAULT 8u
#define NET_UDP_SEND_MAX 1472u		/* UdpSocket.sendTo's data (schema) */
#define NET_UDP_RECV_MAX 65507u		/* UdpSocket.recvFrom's max (schema) */
#define NET_UDP_QUEUE_MAX 16u		/* unread datagrams kept per UdpSocket (schema) */
#define NET_UDP_QUEUE_BYTES (64u * 1024u)	/* and their bytes (reassembled ones are big) */
/* What one answer can carry: the loop's message buffer, less framing and the Data pointer. */
#define NET_ANSWER_DATA_MAX (SERVER_MSG_MAX - 64u)

#define NET_ADDR(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
			      ((uint32_t)(c) << 8) | (uint32_t)(d))

enum net_kind { NET_FREE, NET_MANAGER, NET_LISTENER, NET_TCP, NET_UDP };

struct net_write {
	uint32_t call_id;
	uint8_t *data;			/* the bytes lwIP has not taken yet (heap) */
	uint32_t len, off;
};

/* A datagram received and not yet read (NET_UDP). */
struct net_datagram {
	struct pbuf *p;
	uint32_t address;		/* the sender, host order */
	uint16_t port;
};

struct net_obj {
	enum net_kind kind;
	int port;			/* server port, or -1 (not served, or closed) */
	capos_cap_t owner;		/* the endpoint's owner side */
	struct net_quota *charged;	/* the manager quota this object counts against */
	struct net_quota quota;		/* NET_MANAGER: its own */
	struct tcp_pcb *pcb;		/* NET_LISTENER, NET_TCP */
	/* NET_UDP: its pcb, unread datagrams (FIFO); held recvFroms are reads[] */
	struct udp_pcb *upcb;
	struct net_datagram *dgrams;	/* NET_UDP_QUEUE_MAX, from the heap: TCP objects pay nothing */
	uint8_t ndgrams;
	uint32_t dgram_bytes;
	/* NET_TCP */
	struct pbuf *rx;		/* received, not yet read (a chain) */
	uint32_t rx_len;
	bool rx_fin;			/* the peer finished sending */
	bool rx_new;			/* received since held reads were last answered */
	bool dead;			/* reset or closed: calls raise disconnected */
	bool shut;			/* shutdown: no more writes */
	uint32_t reads[NET_HELD_MAX], read_max[NET_HELD_MAX];	/* and NET_UDP's recvFroms */
	uint8_t nreads;
	struct net_write writes[NET_HELD_MAX];
	uint8_t nwrites;
	bool connecting;		/* tcpConnect held: connect_call on connect_port */
	uint32_t connect_call;
	int connect_port;
	struct net_obj *listener;	/* accepted by lwIP, not yet by a client */
	/* NET_LISTENER */
	uint16_t lport;
	uint8_t backlog;
	struct net_obj *conns[NET_BACKLOG_MAX];	/* established, not yet accepted (FIFO) */
	uint8_t nconns;
	uint32_t accepts[NET_ACCEPTS_MAX];
	uint8_t naccepts;
};

struct net_counters {
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes, rx_dropped, tx_dropped;
};

extern struct server net_srv;
extern struct net_obj net_objs[NET_OBJS_MAX];
extern struct net_counters net_stats;
extern capos_cap_t net_endpoints;	/* EndpointFactory */

/* main.c */
uint64_t net_now_ns(void);		/* the Timer, read once per loop turn */
uint64_t net_clock_now(void);		/* the Timer, read now (and the turn's reading moved on) */

/* obj.c: the table and endpoints */
struct net_obj *obj_alloc(enum net_kind kind);
/* Serves o on a new endpoint of iface; *facet is the client side to send. 0 or CAPOS_ERR_*. */
int obj_serve(struct net_obj *o, uint64_t iface, server_dispatch_fn dispatch, const void *impl,
	      capos_cap_t *facet);
void obj_stop_serving(struct net_obj *o);
void obj_free(struct net_obj *o);
uint32_t obj_count(enum net_kind kind);

/* answer.c: answers of held calls */
void answer_raise(int port, uint32_t call_id, uint16_t type, const char *reason);
void answer_empty(int port, uint32_t call_id);
void answer_bytes(int port, uint32_t call_id, const struct pbuf *p, uint32_t off, uint32_t len);
/* Answers with a new socket (index 0) and the results the caller fills; false: the caller is gone. */
bool answer_socket(int port, uint32_t call_id, capos_cap_t facet, uint32_t remote, uint16_t rport,
		   bool with_remote);

/* tcp_sock.c */
extern const struct net_TcpSocket_server tcp_sock_impl;
void tcp_sock_attach(struct net_obj *o, struct tcp_pcb *pcb);
void tcp_sock_close(struct net_obj *o, bool abort);
/* Answers held reads with what arrived since (after each batch of frames, each loop turn). */
void tcp_sock_serve_received(void);
int tcp_sock_open(struct net_obj *o, capos_cap_t *facet);
void tcp_sock_connect_failed(struct net_obj *o);

/* udp_sock.c */
/* A UdpSocket on port (0: any) charged to q; *why says what failed. */
int udp_sock_open(struct net_quota *q, uint16_t port, capos_cap_t *facet, const char **why);
void udp_sock_close(struct net_obj *o);
/* Answers a recvFrom with datagram d cut to max bytes. */
void answer_datagram(int port, uint32_t call_id, const struct net_datagram *d, uint32_t max);

/* listener.c */
int listener_open(struct net_quota *q, uint16_t port, uint16_t backlog, capos_cap_t *facet,
		  const char **why);
void listener_close(struct net_obj *l);
void listener_drop_conn(struct net_obj *l, struct net_obj *conn);
extern const struct net_TcpListener_server listener_impl;

/* manager.c */
int manager_serve_root(capos_cap_t owner);
void manager_orphaned(struct net_obj *m);

#endif
