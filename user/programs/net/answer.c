// SPDX-License-Identifier: MIT
/*
 * Answers of held calls (net.h): built here into static buffers and sent
 * as a RETURN on the port the call came on. A caller gone meanwhile makes
 * the RETURN fail; what the answer carried is then undone by the caller of
 * these functions (answer_socket says so).
 */
#include "net.h"

#include "capos.capnp.h"
#include "net.capnp.h"
#include "read_frame.h"
#include "ustring.h"

#define ANSWER_BYTES (SERVER_MSG_MAX + 64u)

static uint64_t arena[ANSWER_BYTES / 8];
static uint64_t out[ANSWER_BYTES / 8];
static uint8_t datagram_bytes[NET_ANSWER_DATA_MAX];	/* a recvFrom's data, then framed */

static int send(int port, uint32_t call_id, struct capnp_msg *m, uint16_t flags,
		const struct capos_xfer *x, uint8_t n)
{
	size_t len = 0;

	if (capnp_msg_error(m) || capnp_msg_write(m, out, sizeof(out), &len))
		return CAPOS_ERR_TOO_LARGE;
	return server_return_port(&net_srv, port, call_id, flags, out, (uint32_t)len, x, n);
}

void answer_raise(int port, uint32_t call_id, uint16_t type, const char *reason)
{
	struct capos_CapException_builder e;
	struct capnp_msg m;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	e = capos_CapException_init_root(&m);
	capos_CapException_set_type(e, type);
	capos_CapException_set_reason(e, reason, (uint32_t)strlen(reason));
	(void)send(port, call_id, &m, CAPOS_SQE_F_EXCEPTION, NULL, 0);
}

void answer_empty(int port, uint32_t call_id)
{
	(void)server_answer_empty_port(&net_srv, port, call_id);
}

/*
 * Copies len bytes of chain p from offset off (pbuf_copy_partial's bounds
 * hold: len <= what is there) straight into the framed answer.
 */
void answer_bytes(int port, uint32_t call_id, const struct pbuf *p, uint32_t off, uint32_t len)
{
	uint32_t got = 0;
	uint8_t *data;

	if (len > NET_ANSWER_DATA_MAX)
		len = NET_ANSWER_DATA_MAX;
	data = read_frame(out, len);
	if (len)
		got = pbuf_copy_partial(p, data, (u16_t)len, (u16_t)off);
	if (got != len) {	/* a shorter chain than promised: frame what was copied */
		(void)read_frame(out, got);
		memset(data + got, 0, 8u * (READ_FRAME_WORDS(got) - 3u) - got);
		len = got;
	}
	(void)server_return_port(&net_srv, port, call_id, 0, out, 8u * READ_FRAME_WORDS(len), NULL, 0);
}

bool answer_socket(int port, uint32_t call_id, capos_cap_t facet, uint32_t remote, uint16_t rport,
		   bool with_remote)
{
	struct capos_xfer x = { .cap_id = facet, .mode = CAPOS_XFER_MOVE };
	struct capnp_msg m;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	if (with_remote) {
		struct net_TcpListener_accept_Results_builder r =
			net_TcpListener_accept_Results_init_root(&m);

		net_TcpListener_accept_Results_set_socketIndex(r, 0);
		net_TcpListener_accept_Results_set_remoteAddress(r, remote);
		net_TcpListener_accept_Results_set_remotePort(r, rport);
	} else {
		net_NetworkManager_tcpConnect_Results_set_socketIndex(
			net_NetworkManager_tcpConnect_Results_init_root(&m), 0);
	}
	return send(port, call_id, &m, 0, &x, 1) == 0;
}

/* A recvFrom's answer: the sender and the datagram's first bytes (at most max and what fits). */
void answer_datagram(int port, uint32_t call_id, const struct net_datagram *d, uint32_t max)
{
	struct net_UdpSocket_recvFrom_Results_builder r;
	uint32_t len = d->p->tot_len;
	struct capnp_msg m;

	if (len > max)
		len = max;
	if (len > sizeof(datagram_bytes))
		len = sizeof(datagram_bytes);
	if (len)
		len = pbuf_copy_partial(d->p, datagram_bytes, (u16_t)len, 0);
	capnp_msg_init_build(&m, arena, sizeof(arena));
	r = net_UdpSocket_recvFrom_Results_init_root(&m);
	net_UdpSocket_recvFrom_Results_set_address(r, d->address);
	net_UdpSocket_recvFrom_Results_set_port(r, d->port);
	net_UdpSocket_recvFrom_Results_set_data(r, datagram_bytes, len);
	(void)send(port, call_id, &m, 0, NULL, 0);
}
