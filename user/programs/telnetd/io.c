// SPDX-License-Identifier: MIT
/*
 * A connection's bytes (telnetd.h). One TcpSocket.read is kept in flight
 * while the terminal core wants input (the same flow control as COM1's:
 * with its type-ahead full the gateway stops reading and the socket's
 * window closes); what arrives goes through the telnet parser
 * (lib/telnet): negotiation answers go straight back, data to the core.
 * Everything the core writes is escaped for telnet (IAC doubled, LF as
 * CR LF) on its way out.
 */
#include <capos/errors.h>

#include "telnetd.h"
#include "terminal.h"

/* The core's writes: escaped, in pieces a TcpSocket.write takes. */
static int write_conn(void *ctx, const uint8_t *p, size_t n)
{
	static uint8_t out[2 * 512];
	struct conn *c = ctx;

	if (c->sock_done)
		return CAPOS_ERR_DISCONNECTED;
	while (n) {
		size_t k = n < 512 ? n : 512;
		size_t len = telnet_escape(&c->tn, p, k, out);
		int err = net_write(c->sock, out, len);

		if (err)
			return err;
		p += k;
		n -= k;
	}
	return 0;
}

static void want_input(void *ctx)
{
	struct conn *c = ctx;

	if (c->read_in_flight || c->sock_done ||
	    !termcore_wants_input(&c->core, TELNETD_READ_MAX))
		return;
	if (net_read_submit(c))
		conn_hangup(c);		/* no SQE even after the kernel consumed: give it up */
}

const struct termcore_ops conn_term_ops = {
	.write = write_conn,
	.want_input = want_input,
};

int io_send(struct conn *c, const uint8_t *p, size_t n)
{
	return c->sock_done ? CAPOS_ERR_DISCONNECTED : net_write(c->sock, p, n);
}

void io_start(struct conn *c)
{
	uint8_t offers[TELNET_START_LEN];
	size_t n;

	telnet_init(&c->tn);
	n = telnet_start(&c->tn, offers);
	(void)io_send(c, offers, n);
	want_input(c);
}

/* Data from the socket: negotiation answered, the rest to the core. */
static void take(struct conn *c, const uint8_t *p, size_t n)
{
	uint8_t data[TELNETD_READ_MAX], reply[TELNET_REPLY_MAX(TELNETD_READ_MAX)];
	size_t rl, dl = telnet_input(&c->tn, p, n, data, reply, &rl);

	if (rl)
		(void)io_send(c, reply, rl);
	if (dl)
		termcore_input(&c->core, data, dl);
}

bool io_on_completion(struct conn *c, const struct capos_cqe *cqe)
{
	struct capnp_data d;

	if (!c->read_in_flight || cqe->user_data != c->read_user_data ||
	    cqe->opcode != CAPOS_OP_CALL)
		return false;
	if (net_read_decode(c, cqe, &d) || d.len == 0) {
		conn_hangup(c);		/* the peer finished, or the connection is reset */
		return true;
	}
	c->heard = true;
	take(c, d.ptr, d.len);
	want_input(c);
	return true;
}
