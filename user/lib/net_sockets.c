// SPDX-License-Identifier: MIT
/*
 * Network client (net.h): blocking calls on sockets and listeners. Reads,
 * writes and accepts are the requests of net.c, submitted and waited for
 * at once in buffers of their own taken from the heap on first use.
 */
#include <capos/errors.h>

#include "client.h"
#include "heap.h"
#include "ipc_call.h"
#include "net.capnp.h"
#include "net.h"
#include "net_internal.h"
#include "ustring.h"

#define EMPTY_RESULT_WORDS NET_ANSWER_SLACK_WORDS	/* an empty answer or a CapException */
#define UDP_PARAMS_WORDS (NET_UDP_SEND_MAX / 8 + 16)

struct sock_bufs {
	struct tcp_read_req read;
	struct tcp_write_req write;
	struct tcp_accept_req accept;
	uint64_t params[UDP_PARAMS_WORDS];
	uint64_t result[EMPTY_RESULT_WORDS];
};

static struct sock_bufs *bufs;

static int begin(struct capnp_msg *m)
{
	if (!client_ring)
		return CAPOS_ERR_INVALID_ARGUMENT;
	if (!bufs)
		bufs = malloc(sizeof(*bufs));
	if (!bufs)
		return CAPOS_ERR_NO_MEMORY;
	return net_begin(m);
}

/* Frames *m, CALLs method of cap into result[0..rsize) and opens the answer in *m. */
static int call(capos_cap_t cap, uint16_t method, struct capnp_msg *m, uint64_t *result,
		size_t rsize)
{
	struct capos_cqe cqe = { .result = CAPOS_ERR_INVALID_ARGUMENT };
	size_t plen;
	int ret;

	if (capnp_msg_error(m) || capnp_msg_write(m, bufs->params, sizeof(bufs->params), &plen))
		return CAPOS_ERR_INVALID_ARGUMENT;
	ret = uring_call(client_ring, cap, method, bufs->params, (uint32_t)plen, result,
			 (uint32_t)rsize, NULL, 0, &cqe);
	cqe.result = ret;	/* also a failure before any CQE (no SQE free) */
	return client_open_answer(&cqe, result, rsize, m);
}

/* A call with empty params and an empty answer (close, shutdown). */
static int call_empty(capos_cap_t cap, uint16_t method)
{
	struct capnp_msg m;
	int err = begin(&m);

	if (err)
		return err;
	/* Every empty params struct frames the same: a root of no words. */
	net_TcpSocket_close_Params_init_root(&m);
	return call(cap, method, &m, bufs->result, sizeof(bufs->result));
}

int tcp_listener_close(capos_cap_t listener)
{
	return call_empty(listener, net_TcpListener_close);
}

int tcp_shutdown(capos_cap_t sock)
{
	return call_empty(sock, net_TcpSocket_shutdown);
}

int tcp_close(capos_cap_t sock)
{
	return call_empty(sock, net_TcpSocket_close);
}

int udp_close(capos_cap_t sock)
{
	return call_empty(sock, net_UdpSocket_close);
}

int tcp_listener_port(capos_cap_t listener, uint16_t *port)
{
	struct capnp_msg m;
	int err = begin(&m);

	if (err)
		return err;
	net_TcpListener_port_Params_init_root(&m);
	err = call(listener, net_TcpListener_port, &m, bufs->result, sizeof(bufs->result));
	if (err)
		return err;
	*port = net_TcpListener_port_Results_get_port(net_TcpListener_port_Results_root(&m));
	return capnp_msg_error(&m) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

int tcp_info(capos_cap_t sock, struct tcp_info *info)
{
	struct net_TcpSocket_info_Results res;
	struct capnp_msg m;
	int err = begin(&m);

	if (err)
		return err;
	net_TcpSocket_info_Params_init_root(&m);
	err = call(sock, net_TcpSocket_info, &m, bufs->result, sizeof(bufs->result));
	if (err)
		return err;
	res = net_TcpSocket_info_Results_root(&m);
	info->local_address = net_TcpSocket_info_Results_get_localAddress(res);
	info->local_port = net_TcpSocket_info_Results_get_localPort(res);
	info->remote_address = net_TcpSocket_info_Results_get_remoteAddress(res);
	info->remote_port = net_TcpSocket_info_Results_get_remotePort(res);
	return capnp_msg_error(&m) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

int tcp_accept(capos_cap_t listener, capos_cap_t *sock, uint32_t *raddr, uint16_t *rport)
{
	struct capnp_msg m;
	int err = begin(&m);

	if (err)
		return err;
	err = tcp_accept_submit(client_ring, listener, &bufs->accept);
	return err ? err : tcp_accept_wait(client_ring, &bufs->accept, CAPOS_TIMEOUT_INFINITE, sock,
					   raddr, rport);
}

int tcp_read(capos_cap_t sock, void *buf, uint32_t max)
{
	struct capnp_msg m;
	int ret = begin(&m);

	if (ret)
		return ret;
	ret = tcp_read_submit(client_ring, sock, max, &bufs->read);
	if (ret)
		return ret;
	ret = tcp_read_wait(client_ring, &bufs->read, CAPOS_TIMEOUT_INFINITE);
	if (ret > 0)
		memcpy(buf, bufs->read.data, bufs->read.len);
	return ret;
}

int tcp_write(capos_cap_t sock, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	struct capnp_msg m;
	int err = begin(&m);

	while (!err && len) {
		uint32_t chunk = len > NET_IO_CHUNK ? NET_IO_CHUNK : (uint32_t)len;

		err = tcp_write_submit(client_ring, sock, p, chunk, &bufs->write);
		if (!err)
			err = tcp_write_wait(client_ring, &bufs->write, CAPOS_TIMEOUT_INFINITE);
		p += chunk;
		len -= chunk;
	}
	return err;
}

int udp_send_to(capos_cap_t sock, uint32_t address, uint16_t port, const void *data,
		uint32_t len)
{
	struct net_UdpSocket_sendTo_Params_builder p;
	struct capnp_msg m;
	int err;

	if (len > NET_UDP_SEND_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = begin(&m);
	if (err)
		return err;
	p = net_UdpSocket_sendTo_Params_init_root(&m);
	net_UdpSocket_sendTo_Params_set_address(p, address);
	net_UdpSocket_sendTo_Params_set_port(p, port);
	net_UdpSocket_sendTo_Params_set_data(p, data, len);
	return call(sock, net_UdpSocket_sendTo, &m, bufs->result, sizeof(bufs->result));
}

int udp_recv_from(capos_cap_t sock, void *buf, uint32_t max, uint32_t *address, uint16_t *port)
{
	struct net_UdpSocket_recvFrom_Results res;
	size_t rsize = (size_t)max + NET_ANSWER_SLACK_WORDS * 8;
	struct capnp_data d;
	struct capnp_msg m;
	uint64_t *result;
	int err;

	if (max == 0 || max > NET_UDP_RECV_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = begin(&m);
	result = err ? NULL : malloc(rsize);
	if (!result)
		return err ? err : CAPOS_ERR_NO_MEMORY;
	net_UdpSocket_recvFrom_Params_set_max(net_UdpSocket_recvFrom_Params_init_root(&m), max);
	err = call(sock, net_UdpSocket_recvFrom, &m, result, rsize);
	if (!err) {
		res = net_UdpSocket_recvFrom_Results_root(&m);
		d = net_UdpSocket_recvFrom_Results_get_data(res);
		*address = net_UdpSocket_recvFrom_Results_get_address(res);
		*port = net_UdpSocket_recvFrom_Results_get_port(res);
		if (capnp_msg_error(&m) || d.len > max)
			err = CAPOS_ERR_MALFORMED_MESSAGE;
		else
			memcpy(buf, d.ptr, d.len);
	}
	free(result);
	return err ? err : (int)d.len;
}
