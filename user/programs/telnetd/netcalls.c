// SPDX-License-Identifier: MIT
/*
 * The gateway's calls to the network service (schema/net.capnp), written
 * here until the runtime's net client (user/lib/net.h) lands: listen,
 * write and close go one at a time through one struct ipc_call; accept
 * (one) and each connection's read are kept in flight and completed from
 * the server loop.
 */
#include <capos/errors.h>

#include "ipc_call.h"
#include "rt.h"
#include "telnetd.h"

static struct ipc_call call;		/* listen, write, close: one at a time */
static struct ipc_call accept_call;	/* the accept in flight */
static bool accept_in_flight;

int net_tcp_listen(capos_cap_t net, uint16_t port, uint16_t backlog, capos_cap_t *listener)
{
	struct net_NetworkManager_tcpListen_Params_builder p;
	int err;

	ipc_call_begin(&call);
	p = net_NetworkManager_tcpListen_Params_init_root(&call.msg);
	net_NetworkManager_tcpListen_Params_set_port(p, port);
	net_NetworkManager_tcpListen_Params_set_backlog(p, backlog);
	err = ipc_call_run(&rt.ring, &call, net, net_NetworkManager_tcpListen);
	if (err < 0)
		return err;
	return ipc_call_record(&call, net_NetworkManager_tcpListen_Results_get_listenerIndex(
					      net_NetworkManager_tcpListen_Results_root(&call.msg)),
			       net_TcpListener_TYPE_ID, listener);
}

int net_accept_submit(capos_cap_t listener)
{
	int err;

	if (accept_in_flight)
		return 0;
	ipc_call_begin(&accept_call);
	(void)net_TcpListener_accept_Params_init_root(&accept_call.msg);
	err = ipc_call_submit(&rt.ring, &accept_call, listener, net_TcpListener_accept);
	if (!err)
		accept_in_flight = true;
	return err;
}

bool net_accept_is(const struct capos_cqe *cqe)
{
	return accept_in_flight && cqe->user_data == accept_call.user_data &&
	       cqe->opcode == CAPOS_OP_CALL;
}

int net_accept_read(const struct capos_cqe *cqe, capos_cap_t *sock)
{
	int err;

	accept_in_flight = false;
	err = ipc_call_complete(&accept_call, cqe);
	if (err < 0)
		return err;
	return ipc_call_record(&accept_call, net_TcpListener_accept_Results_get_socketIndex(
						     net_TcpListener_accept_Results_root(&accept_call.msg)),
			       net_TcpSocket_TYPE_ID, sock);
}

int net_write(capos_cap_t sock, const uint8_t *p, size_t n)
{
	ipc_call_begin(&call);
	net_TcpSocket_write_Params_set_data(net_TcpSocket_write_Params_init_root(&call.msg), p,
					   (uint32_t)n);
	return ipc_call_run(&rt.ring, &call, sock, net_TcpSocket_write) < 0 ? CAPOS_ERR_DISCONNECTED
									    : 0;
}

int net_write_submit(struct conn *c, uint32_t n)
{
	static uint64_t arena[TELNETD_WRITE_PARAMS_WORDS + 8];
	struct capnp_msg m;
	size_t plen;
	int err;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	net_TcpSocket_write_Params_set_data(net_TcpSocket_write_Params_init_root(&m), c->out, n);
	if (capnp_msg_error(&m) ||
	    capnp_msg_write(&m, c->write_params, sizeof(c->write_params), &plen))
		return CAPOS_ERR_TOO_LARGE;
	err = uring_queue(tsrv.ring, &(struct capos_sqe){
		.opcode = CAPOS_OP_CALL,
		.cap_id = c->sock,
		.params_addr = (uint64_t)(uintptr_t)c->write_params,
		.params_len = (uint32_t)plen,
		.result_addr = (uint64_t)(uintptr_t)c->write_result,
		.result_len = sizeof(c->write_result),
		.method_id = net_TcpSocket_write,
	}, &c->write_user_data);
	if (!err) {
		c->write_in_flight = true;
		c->write_len = n;
	}
	return err;
}

int net_write_decode(struct conn *c, const struct capos_cqe *cqe)
{
	struct capnp_msg m;

	c->write_in_flight = false;
	return client_open_answer(cqe, c->write_result, sizeof(c->write_result), &m);
}

int net_close(capos_cap_t sock)
{
	int err;

	ipc_call_begin(&call);
	(void)net_TcpSocket_close_Params_init_root(&call.msg);
	err = ipc_call_run(&rt.ring, &call, sock, net_TcpSocket_close);
	return err < 0 ? err : 0;
}

int net_read_submit(struct conn *c)
{
	uint64_t arena[4];
	struct capnp_msg m;
	size_t plen;
	int err;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	net_TcpSocket_read_Params_set_max(net_TcpSocket_read_Params_init_root(&m),
					  TELNETD_READ_MAX);
	if (capnp_msg_write(&m, c->read_params, sizeof(c->read_params), &plen))
		return CAPOS_ERR_TOO_LARGE;
	err = uring_queue(tsrv.ring, &(struct capos_sqe){
		.opcode = CAPOS_OP_CALL,
		.cap_id = c->sock,
		.params_addr = (uint64_t)(uintptr_t)c->read_params,
		.params_len = (uint32_t)plen,
		.result_addr = (uint64_t)(uintptr_t)c->read_result,
		.result_len = sizeof(c->read_result),
		.method_id = net_TcpSocket_read,
	}, &c->read_user_data);
	if (!err)
		c->read_in_flight = true;
	return err;
}

int net_read_decode(struct conn *c, const struct capos_cqe *cqe, struct capnp_data *d)
{
	struct capnp_msg m;
	int err;

	c->read_in_flight = false;
	err = client_open_answer(cqe, c->read_result, sizeof(c->read_result), &m);
	if (err)
		return err;
	*d = net_TcpSocket_read_Results_get_data(net_TcpSocket_read_Results_root(&m));
	if (capnp_msg_error(&m) || d->len > TELNETD_READ_MAX)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	return 0;
}
