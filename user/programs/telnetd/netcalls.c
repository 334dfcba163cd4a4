// SPDX-License-Identifier: MIT
/*
 * The gateway's own framing of TcpSocket calls it keeps in flight from the
 * server loop: the one accept and each connection's read and write, with
 * buffers sized for telnet (a read of 256 bytes, a write of 4 KiB) rather
 * than the runtime client's 32 KiB (user/lib/net.h, which does listen and
 * close).
 */
#include <capos/errors.h>

#include "client.h"
#include "rt.h"
#include "telnetd.h"

static struct tcp_accept_req accept_req;	/* the accept in flight */
static bool accept_in_flight;

int net_accept_submit(capos_cap_t listener)
{
	int err;

	if (accept_in_flight)
		return 0;
	err = tcp_accept_submit(&rt.ring, listener, &accept_req);
	if (!err)
		accept_in_flight = true;
	return err;
}

bool net_accept_is(const struct capos_cqe *cqe)
{
	return accept_in_flight && cqe->user_data == accept_req.user_data &&
	       cqe->opcode == CAPOS_OP_CALL;
}

int net_accept_read(const struct capos_cqe *cqe, capos_cap_t *sock)
{
	accept_in_flight = false;
	return tcp_accept_result(&accept_req, cqe, sock, NULL, NULL);
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
