/* SPDX-License-Identifier: MIT */
/*
 * Network client (schema/net.capnp: NetworkManager, TcpListener, TcpSocket,
 * UdpSocket; docs/network.md). Blocking calls go through client_ring
 * (client.h) and share buffers taken from the heap on the first call (one
 * at a time, like terminal.h). Reads, writes and accepts also come as
 * submit/result pairs, each request owning its buffers, so a program keeps
 * several in flight on one ring (fetch keeps a few reads outstanding, httpd
 * an accept and a read per connection): *_submit queues the CALL (the next
 * cap_enter takes it; published but not entered), the request stays in
 * place until its completion, which carries req->user_data; the caller
 * reaps it (or *_wait does, stashing others) and hands it to *_result.
 *
 * Every function returns 0 (or a byte count) or a negative CAPOS_ERR_*.
 * CAPOS_ERR_APPLICATION_EXCEPTION means the service raised: the blocking
 * calls keep the exception for client_exception(); the requests keep its
 * type in req->exc_type (capos_CapException_Type_*: disconnected for a
 * reset or closed connection, overloaded for a quota used up, failed for a
 * refused connection or a ping without answer).
 *
 * Sockets and listeners arrive as capabilities in this process's table;
 * close (tcp_close, ...) ends the connection, cap_release then frees the
 * slot (releasing without close closes it too, as the schema says).
 * Addresses are host-order IPv4 ((a << 24) | (b << 16) | (c << 8) | d).
 */
#ifndef CAPOS_USER_NET_H
#define CAPOS_USER_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capos/cap.h>
#include <capos/endpoint.h>
#include <capos/ring.h>

#include "inet/ipv4.h"
#include "uring.h"

#define NET_TCP_IO_MAX 32768u	/* TcpSocket.read max and write data limit (schema) */
#define NET_UDP_SEND_MAX 1472u	/* UdpSocket.sendTo data limit (schema) */
#define NET_UDP_RECV_MAX 65507u	/* UdpSocket.recvFrom max limit (schema) */
#define NET_PING_SIZE_MAX 1472u	/* NetworkManager.ping size limit (schema) */
/*
 * The piece tcp_write cuts writes into, and the read size fetch and httpd
 * use: the schema's largest, since each call costs a round trip through
 * the kernel whatever its size (docs/performance.md "Network"). The
 * service's messages (SERVER_MSG_MAX) hold it with its framing.
 */
#define NET_IO_CHUNK 32768u
#define NET_PENDING_MAX 4u	/* reads (or writes) pending on one socket (schema) */
#define NET_ACCEPTS_MAX 16u	/* accepts pending on one listener (schema) */

/* Words of an answer's room beyond its data: framing, pointers, a CapException, a record. */
#define NET_ANSWER_SLACK_WORDS 48u

/* NetworkManager.status, decoded. */
struct net_status {
	bool up;
	uint8_t mac[6];
	uint32_t address, netmask, gateway;
	uint16_t mtu;
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes, rx_dropped, tx_dropped;
	uint32_t tcp_sockets, tcp_listeners, udp_sockets;
};

/* TcpSocket.info, decoded. */
struct tcp_info {
	uint32_t local_address, remote_address;
	uint16_t local_port, remote_port;
};

int net_status(capos_cap_t net, struct net_status *st);

/* tcpListen: *listener is a TcpListener on port (backlog 0: the service's 8). */
int net_tcp_listen(capos_cap_t net, uint16_t port, uint16_t backlog, capos_cap_t *listener);

/* tcpConnect: blocks until established (or failed, after about 20 s); *sock a TcpSocket. */
int net_tcp_connect(capos_cap_t net, uint32_t address, uint16_t port, capos_cap_t *sock);

/* udpBind: *sock a UdpSocket on local port (0: any). */
int net_udp_bind(capos_cap_t net, uint16_t port, capos_cap_t *sock);

/* ping: one echo of size payload bytes; *rtt_ns and *ttl of its reply. */
int net_ping(capos_cap_t net, uint32_t address, uint16_t size, uint32_t timeout_ms,
	     uint64_t *rtt_ns, uint8_t *ttl);

/* restrict: *mgr a NetworkManager with a quota of max_sockets within net's. */
int net_restrict(capos_cap_t net, uint16_t max_sockets, capos_cap_t *mgr);

/* TcpListener.accept, blocking: *sock the connection, from raddr:rport (either may be NULL). */
int tcp_accept(capos_cap_t listener, capos_cap_t *sock, uint32_t *raddr, uint16_t *rport);
int tcp_listener_close(capos_cap_t listener);
int tcp_listener_port(capos_cap_t listener, uint16_t *port);

/*
 * TcpSocket.read, blocking: 1..max bytes into buf (max 1..NET_TCP_IO_MAX);
 * returns the count, 0 when the peer has finished sending, or an error.
 */
int tcp_read(capos_cap_t sock, void *buf, uint32_t max);

/* TcpSocket.write of buf[0..len), in NET_IO_CHUNK pieces: 0 once all is taken. */
int tcp_write(capos_cap_t sock, const void *buf, size_t len);
int tcp_shutdown(capos_cap_t sock);
int tcp_close(capos_cap_t sock);
int tcp_info(capos_cap_t sock, struct tcp_info *info);

int udp_send_to(capos_cap_t sock, uint32_t address, uint16_t port, const void *data,
		uint32_t len);

/* UdpSocket.recvFrom: the datagram's (cut) bytes into buf[0..max); returns its length. */
int udp_recv_from(capos_cap_t sock, void *buf, uint32_t max, uint32_t *address, uint16_t *port);
int udp_close(capos_cap_t sock);

/* One read in flight. After tcp_read_result, data[0..len) points into result. */
struct tcp_read_req {
	uint64_t user_data;		/* of its CALL */
	struct capos_cqe cqe;		/* its completion */
	uint16_t exc_type;		/* after CAPOS_ERR_APPLICATION_EXCEPTION */
	uint32_t max;			/* asked for */
	const uint8_t *data;
	uint32_t len;
	uint64_t params[4];
	uint64_t result[NET_TCP_IO_MAX / 8 + NET_ANSWER_SLACK_WORDS];
};

/* One write in flight: its data is copied into params at submit. */
struct tcp_write_req {
	uint64_t user_data;
	struct capos_cqe cqe;
	uint16_t exc_type;
	uint64_t params[NET_TCP_IO_MAX / 8 + 8];
	uint64_t result[NET_ANSWER_SLACK_WORDS];
};

/* One accept in flight. */
struct tcp_accept_req {
	uint64_t user_data;
	struct capos_cqe cqe;
	uint16_t exc_type;
	uint64_t params[2];
	uint64_t result[NET_ANSWER_SLACK_WORDS + 4];
};

/* Queue read(max) on sock in ring r. 0, CAPOS_ERR_INVALID_ARGUMENT (bad max) or _CQ_FULL. */
int tcp_read_submit(struct uring *r, capos_cap_t sock, uint32_t max, struct tcp_read_req *req);
/* Its completion: the byte count (0: end of stream, req->data/len) or an error. */
int tcp_read_result(struct tcp_read_req *req, const struct capos_cqe *cqe);
/* Waits (at most timeout_ns; CAPOS_ERR_TIMED_OUT leaves it in flight), then _result. */
int tcp_read_wait(struct uring *r, struct tcp_read_req *req, uint64_t timeout_ns);

/* Queue write(data[0..len)), len <= NET_TCP_IO_MAX. */
int tcp_write_submit(struct uring *r, capos_cap_t sock, const void *data, uint32_t len,
		     struct tcp_write_req *req);
int tcp_write_result(struct tcp_write_req *req, const struct capos_cqe *cqe);
int tcp_write_wait(struct uring *r, struct tcp_write_req *req, uint64_t timeout_ns);

/* Queue accept() on listener. */
int tcp_accept_submit(struct uring *r, capos_cap_t listener, struct tcp_accept_req *req);
/* Its completion: 0 and *sock (raddr, rport may be NULL), or an error. */
int tcp_accept_result(struct tcp_accept_req *req, const struct capos_cqe *cqe, capos_cap_t *sock,
		      uint32_t *raddr, uint16_t *rport);
int tcp_accept_wait(struct uring *r, struct tcp_accept_req *req, uint64_t timeout_ns,
		    capos_cap_t *sock, uint32_t *raddr, uint16_t *rport);

#endif
