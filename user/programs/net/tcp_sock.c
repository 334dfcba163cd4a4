// SPDX-License-Identifier: MIT
/*
 * TcpSocket (schema/net.capnp; docs/network.md): one lwIP connection. The
 * bytes received wait as one pbuf chain (at most TCP_WND, the window lwIP
 * grants: the window reopens only as clients read, tcp_recved), reads and
 * writes that cannot be answered yet are held (4 each) and answered from
 * lwIP's callbacks: recv (data, FIN: once the batch of frames it came in
 * is all delivered, tcp_sock_serve_received), sent (room in the send
 * buffer), err (reset: the pcb is gone).
 */
#include "net.h"

#include "capos.capnp.h"
#include "net.capnp.h"
#include "rt.h"
#include "ustring.h"

/* Some socket received data or a FIN that its held reads have not been answered with. */
static bool rx_new_any;

/* Drops n bytes from the front of the unread chain and opens the window by as much. */
static void rx_consume(struct net_obj *o, uint32_t n)
{
	o->rx = pbuf_free_header(o->rx, (u16_t)n);
	o->rx_len -= n;
	if (o->pcb)
		tcp_recved(o->pcb, (u16_t)n);
}

/*
 * Answers a read of up to max bytes with what is queued, or the end of the
 * stream when nothing is. The bytes are copied once, into the framed answer
 * (answer_bytes), for a read answered at once as for a held one.
 */
static void answer_read(struct net_obj *o, int port, uint32_t call, uint32_t max)
{
	uint32_t n = o->rx_len < max ? o->rx_len : max;

	if (n > NET_ANSWER_DATA_MAX)
		n = NET_ANSWER_DATA_MAX;
	answer_bytes(port, call, o->rx, 0, n);
	if (n)
		rx_consume(o, n);
}

static bool read_ready(const struct net_obj *o)
{
	return o->rx_len || o->rx_fin || o->dead;
}

/* Answers held reads, oldest first, while there is something to answer them with. */
static void serve_reads(struct net_obj *o)
{
	while (o->nreads && read_ready(o)) {
		uint32_t call = o->reads[0], max = o->read_max[0];

		o->nreads--;
		memmove(o->reads, o->reads + 1, o->nreads * sizeof(o->reads[0]));
		memmove(o->read_max, o->read_max + 1, o->nreads * sizeof(o->read_max[0]));
		if (o->rx_len || o->rx_fin) {
			answer_read(o, o->port, call, max);
		} else {
			answer_raise(o->port, call, capos_CapException_Type_disconnected,
				     "the connection was reset");
		}
	}
}

static void drop_write(struct net_obj *o)
{
	free(o->writes[0].data);
	o->nwrites--;
	memmove(o->writes, o->writes + 1, o->nwrites * sizeof(o->writes[0]));
}

/* Hands lwIP what it can take of the held writes; answers those it took whole. */
static void push_writes(struct net_obj *o)
{
	bool queued = false;

	while (o->nwrites && o->pcb) {
		struct net_write *w = &o->writes[0];
		uint32_t chunk = w->len - w->off, room = tcp_sndbuf(o->pcb);

		if (chunk > room)
			chunk = room;
		if (chunk && tcp_write(o->pcb, w->data + w->off, (u16_t)chunk,
				       TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
		queued |= chunk != 0;
		w->off += chunk;
		if (w->off < w->len)
			break;
		answer_empty(o->port, w->call_id);
		drop_write(o);
	}
	if (o->shut && !o->nwrites && o->pcb)
		(void)tcp_shutdown(o->pcb, 0, 1);
	if (queued && o->pcb)
		(void)tcp_output(o->pcb);
}

static void fail_held(struct net_obj *o, const char *why)
{
	while (o->nreads) {
		answer_raise(o->port, o->reads[0], capos_CapException_Type_disconnected, why);
		o->nreads--;
		memmove(o->reads, o->reads + 1, o->nreads * sizeof(o->reads[0]));
		memmove(o->read_max, o->read_max + 1, o->nreads * sizeof(o->read_max[0]));
	}
	while (o->nwrites) {
		answer_raise(o->port, o->writes[0].call_id, capos_CapException_Type_disconnected, why);
		drop_write(o);
	}
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct net_obj *o = arg;

	(void)pcb;
	(void)err;
	if (!p) {
		o->rx_fin = true;
	} else if (o->rx) {
		pbuf_cat(o->rx, p);
		o->rx_len += p->tot_len;
	} else {
		o->rx = p;
		o->rx_len = p->tot_len;
	}
	/*
	 * Answered once the batch of frames this segment came in is all in
	 * (tcp_sock_serve_received): lwIP calls recv once per segment, and
	 * answering a held 32 KiB read with one segment's 1,460 bytes makes
	 * the client call again for every segment.
	 */
	o->rx_new = true;
	rx_new_any = true;
	return ERR_OK;
}

void tcp_sock_serve_received(void)
{
	if (!rx_new_any)
		return;
	rx_new_any = false;
	for (uint32_t i = 0; i < NET_OBJS_MAX; i++) {
		struct net_obj *o = &net_objs[i];

		if (o->kind != NET_TCP || !o->rx_new)
			continue;
		o->rx_new = false;
		if (o->port >= 0)
			serve_reads(o);
	}
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct net_obj *o = arg;

	(void)pcb;
	(void)len;
	if (o->port >= 0)
		push_writes(o);
	return ERR_OK;
}


/* The pcb is gone (reset, or lwIP gave up): calls now raise disconnected. */
static void on_err(void *arg, err_t err)
{
	struct net_obj *o = arg;

	(void)err;
	o->pcb = NULL;
	o->dead = true;
	if (o->connecting) {
		tcp_sock_connect_failed(o);
		return;
	}
	if (o->listener) {		/* reset before any client accepted it */
		listener_drop_conn(o->listener, o);
		return;
	}
	if (o->port >= 0) {
		serve_reads(o);
		fail_held(o, "the connection was reset");
	}
}

void tcp_sock_attach(struct net_obj *o, struct tcp_pcb *pcb)
{
	o->pcb = pcb;
	tcp_arg(pcb, o);
	tcp_recv(pcb, on_recv);
	tcp_sent(pcb, on_sent);
	tcp_err(pcb, on_err);
	tcp_nagle_disable(pcb);
}

int tcp_sock_open(struct net_obj *o, capos_cap_t *facet)
{
	return obj_serve(o, net_TcpSocket_TYPE_ID, net_TcpSocket_dispatch_any, &tcp_sock_impl, facet);
}

void tcp_sock_close(struct net_obj *o, bool abort)
{
	if (o->port >= 0)
		fail_held(o, "the socket was closed");
	while (o->nwrites)
		drop_write(o);
	if (o->pcb) {
		struct tcp_pcb *pcb = o->pcb;

		tcp_arg(pcb, NULL);
		tcp_recv(pcb, NULL);
		tcp_sent(pcb, NULL);
		tcp_err(pcb, NULL);
		o->pcb = NULL;
		if (abort || o->rx_len || tcp_close(pcb) != ERR_OK)
			tcp_abort(pcb);
	}
	if (o->rx)
		pbuf_free(o->rx);
	o->rx = NULL;
	o->rx_len = 0;
	obj_free(o);
}

static int do_read(void *ctx, struct net_TcpSocket_read_Params p,
		   struct net_TcpSocket_read_Results_builder r)
{
	struct server_call *c = ctx;
	struct net_obj *o = c->port_ctx;
	uint32_t max = net_TcpSocket_read_Params_get_max(p);

	(void)r;
	/* What the loop checks after a handler answers; this one answers by itself. */
	if (capnp_msg_error(&c->params))
		return server_raise(c, capos_CapException_Type_invalidArgument, "malformed params");
	if (max == 0 || max > NET_READ_MAX)
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    "max must be 1..32768");
	if (o->nreads == NET_HELD_MAX)
		return server_raise(c, capos_CapException_Type_overloaded,
				    "4 reads are pending already");
	if (!o->nreads && read_ready(o)) {
		if (!o->rx_len && o->dead)
			return server_raise(c, capos_CapException_Type_disconnected,
					    "the connection was reset");
		/* Not through the results builder, which would copy the bytes thrice. */
		answer_read(o, c->port, c->call_id, max);
		return SERVER_HELD;
	}
	o->reads[o->nreads] = c->call_id;
	o->read_max[o->nreads++] = max;
	return SERVER_HELD;
}

static int do_write(void *ctx, struct net_TcpSocket_write_Params p,
		    struct net_TcpSocket_write_Results_builder r)
{
	struct server_call *c = ctx;
	struct net_obj *o = c->port_ctx;
	struct capnp_data d = net_TcpSocket_write_Params_get_data(p);
	uint32_t took = 0;

	(void)r;
	if (d.len > NET_WRITE_MAX)
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    "at most 32768 bytes");
	if (o->dead || o->shut || !o->pcb)
		return server_raise(c, capos_CapException_Type_disconnected,
				    o->shut ? "the socket was shut down" : "the connection was reset");
	if (o->nwrites == NET_HELD_MAX)
		return server_raise(c, capos_CapException_Type_overloaded,
				    "4 writes are pending already");
	if (!o->nwrites) {	/* what fits goes straight to lwIP */
		took = tcp_sndbuf(o->pcb);
		if (took > d.len)
			took = d.len;
		if (took && tcp_write(o->pcb, d.ptr, (u16_t)took, TCP_WRITE_FLAG_COPY) != ERR_OK)
			took = 0;
		if (took)
			(void)tcp_output(o->pcb);
		if (took == d.len)
			return 0;
	}
	struct net_write *w = &o->writes[o->nwrites];
	w->data = malloc(d.len - took);
	if (!w->data)
		return server_raise(c, capos_CapException_Type_overloaded, "out of memory");
	memcpy(w->data, d.ptr + took, d.len - took);
	w->len = d.len - took;
	w->off = 0;
	w->call_id = c->call_id;
	o->nwrites++;
	return SERVER_HELD;
}

static int do_shutdown(void *ctx, struct net_TcpSocket_shutdown_Params p,
		       struct net_TcpSocket_shutdown_Results_builder r)
{
	struct server_call *c = ctx;
	struct net_obj *o = c->port_ctx;

	(void)p;
	(void)r;
	if (!o->shut) {
		o->shut = true;
		push_writes(o);
	}
	return 0;
}

static int do_close(void *ctx, struct net_TcpSocket_close_Params p,
		    struct net_TcpSocket_close_Results_builder r)
{
	struct server_call *c = ctx;
	struct net_obj *o = c->port_ctx;

	(void)p;
	(void)r;
	/* Answered before the port goes: a removed port's calls cannot be answered. */
	answer_empty(c->port, c->call_id);
	tcp_sock_close(o, false);
	return SERVER_HELD;
}

static int do_info(void *ctx, struct net_TcpSocket_info_Params p,
		   struct net_TcpSocket_info_Results_builder r)
{
	struct server_call *c = ctx;
	struct net_obj *o = c->port_ctx;

	(void)p;
	if (!o->pcb)
		return server_raise(c, capos_CapException_Type_disconnected,
				    "the connection was reset");
	net_TcpSocket_info_Results_set_localAddress(r, lwip_ntohl(ip4_addr_get_u32(&o->pcb->local_ip)));
	net_TcpSocket_info_Results_set_localPort(r, o->pcb->local_port);
	net_TcpSocket_info_Results_set_remoteAddress(r, lwip_ntohl(ip4_addr_get_u32(&o->pcb->remote_ip)));
	net_TcpSocket_info_Results_set_remotePort(r, o->pcb->remote_port);
	return 0;
}

const struct net_TcpSocket_server tcp_sock_impl = {
	.read = do_read,
	.write = do_write,
	.shutdown = do_shutdown,
	.close = do_close,
	.info = do_info,
};
