// SPDX-License-Identifier: MIT
/*
 * A connection's bytes (telnetd.h). One TcpSocket.read is kept in flight
 * while the terminal core wants input (the same flow control as COM1's:
 * with its type-ahead full the gateway stops reading and the socket's
 * window closes); what arrives goes through the telnet parser
 * (lib/telnet): negotiation answers go straight back, data to the core.
 * Everything the core writes is escaped for telnet (IAC doubled, LF as
 * CR LF) into the connection's output buffer, which one TcpSocket.write
 * at a time drains (telnetd.h: the gateway never waits for a peer).
 */
#include <string.h>

#include <capos/errors.h>

#include "telnetd.h"
#include "terminal.h"

/* Sends the oldest waiting bytes, unless a write is in flight already. */
static void flush(struct conn *c)
{
	uint32_t n = c->out_len < TELNETD_WRITE_CHUNK ? c->out_len : TELNETD_WRITE_CHUNK;

	if (c->write_in_flight || c->sock_done || n == 0)
		return;
	if (net_write_submit(c, n))
		conn_hangup(c);		/* no SQE even after the kernel consumed: give it up */
}

/* A write done: its bytes leave the buffer; writers held past the mark go on. */
static void write_done(struct conn *c, const struct capos_cqe *cqe)
{
	uint32_t sent = c->write_len;

	if (net_write_decode(c, cqe)) {
		c->out_len = 0;
		conn_hangup(c);		/* reset or closed: nobody reads the rest */
		return;
	}
	memmove(c->out, c->out + sent, c->out_len - sent);
	c->out_len -= sent;
	if (c->out_len <= TELNETD_OUT_HIGH)
		termcore_output_drained(&c->core);
	flush(c);
}

/* The core's writes: escaped into the buffer, answered later past the mark. */
static int write_conn(void *ctx, const uint8_t *p, size_t n)
{
	struct conn *c = ctx;

	if (c->sock_done)
		return CAPOS_ERR_DISCONNECTED;
	if (c->out_len + 2 * n > TELNETD_OUT_MAX)
		return CAPOS_ERR_BUSY;	/* escaping at most doubles: nothing taken */
	while (n) {
		size_t k = n < 512 ? n : 512;

		c->out_len += (uint32_t)telnet_escape(&c->tn, p, k, c->out + c->out_len);
		p += k;
		n -= k;
	}
	flush(c);
	return c->out_len > TELNETD_OUT_HIGH ? TERMCORE_WRITE_HELD : 0;
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
	if (c->sock_done)
		return CAPOS_ERR_DISCONNECTED;
	if (c->out_len + n > TELNETD_OUT_MAX)
		return CAPOS_ERR_BUSY;	/* a peer that does not read loses its answers */
	memcpy(c->out + c->out_len, p, n);
	c->out_len += (uint32_t)n;
	flush(c);
	return 0;
}

bool io_busy(const struct conn *c)
{
	return c->read_in_flight || c->write_in_flight;
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

	if (cqe->opcode != CAPOS_OP_CALL)
		return false;
	if (c->write_in_flight && cqe->user_data == c->write_user_data) {
		write_done(c, cqe);
		return true;
	}
	if (!c->read_in_flight || cqe->user_data != c->read_user_data)
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
