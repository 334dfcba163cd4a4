// SPDX-License-Identifier: MIT
/*
 * UdpSocket (schema/net.capnp; docs/network.md "UDP"): one lwIP udp_pcb
 * bound to a local port. Datagrams received wait in a FIFO of 16 (and 64
 * KiB: a reassembled datagram can be ~15 KiB), more are dropped, as UDP
 * may: a client that does not read costs the service a bounded amount.
 * recvFroms that find nothing are held (4) and answered from lwIP's recv
 * callback, oldest first.
 */
#include "net.h"

#include "capos.capnp.h"
#include "net.capnp.h"
#include "rt.h"
#include "ustring.h"

static void dgram_pop(struct net_obj *o)
{
	o->dgram_bytes -= o->dgrams[0].p->tot_len;
	pbuf_free(o->dgrams[0].p);
	o->ndgrams--;
	memmove(o->dgrams, o->dgrams + 1, o->ndgrams * sizeof(o->dgrams[0]));
}

static void held_pop(struct net_obj *o)
{
	o->nreads--;
	memmove(o->reads, o->reads + 1, o->nreads * sizeof(o->reads[0]));
	memmove(o->read_max, o->read_max + 1, o->nreads * sizeof(o->read_max[0]));
}

/* Pairs held recvFroms with unread datagrams, oldest with oldest. */
static void serve_recvs(struct net_obj *o)
{
	while (o->nreads && o->ndgrams) {
		answer_datagram(o->port, o->reads[0], &o->dgrams[0], o->read_max[0]);
		held_pop(o);
		dgram_pop(o);
	}
}

static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
		    u16_t port)
{
	struct net_obj *o = arg;
	struct net_datagram *d;

	(void)pcb;
	if (o->ndgrams == NET_UDP_QUEUE_MAX || p->tot_len > NET_UDP_QUEUE_BYTES - o->dgram_bytes) {
		pbuf_free(p);		/* nobody reads: dropped, as UDP may */
		return;
	}
	d = &o->dgrams[o->ndgrams++];
	d->p = p;
	d->address = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(addr)));
	d->port = port;
	o->dgram_bytes += p->tot_len;
	serve_recvs(o);
}

extern const struct net_UdpSocket_server udp_sock_impl;

int udp_sock_open(struct net_quota *q, uint16_t port, capos_cap_t *facet, const char **why)
{
	struct net_obj *o;
	struct udp_pcb *pcb;

	*why = "the service has no room for another socket";
	if (!quota_take(q)) {
		*why = "the manager's quota is used up";
		return CAPOS_ERR_NO_MEMORY;
	}
	if (!(o = obj_alloc(NET_UDP))) {
		quota_give(q);
		return CAPOS_ERR_NO_MEMORY;
	}
	o->charged = q;
	if (!(o->dgrams = malloc(NET_UDP_QUEUE_MAX * sizeof(o->dgrams[0]))) || !(pcb = udp_new())) {
		udp_sock_close(o);
		return CAPOS_ERR_NO_MEMORY;
	}
	if (udp_bind(pcb, IP4_ADDR_ANY, port) != ERR_OK) {
		udp_remove(pcb);
		udp_sock_close(o);
		*why = "the port is taken";
		return CAPOS_ERR_BUSY;
	}
	if (obj_serve(o, net_UdpSocket_TYPE_ID, net_UdpSocket_dispatch_any, &udp_sock_impl, facet)) {
		udp_remove(pcb);
		udp_sock_close(o);
		return CAPOS_ERR_NO_MEMORY;
	}
	o->upcb = pcb;
	udp_recv(pcb, on_recv, o);
	return 0;
}

/* close, or the last capability gone: held recvFroms raise disconnected, the port is free. */
void udp_sock_close(struct net_obj *o)
{
	while (o->nreads) {
		if (o->port >= 0)
			answer_raise(o->port, o->reads[0], capos_CapException_Type_disconnected,
				     "the socket was closed");
		held_pop(o);
	}
	while (o->ndgrams)
		dgram_pop(o);
	if (o->upcb)
		udp_remove(o->upcb);
	o->upcb = NULL;
	free(o->dgrams);
	o->dgrams = NULL;
	obj_free(o);
}

static int do_send_to(void *ctx, struct net_UdpSocket_sendTo_Params p,
		      struct net_UdpSocket_sendTo_Results_builder r)
{
	struct server_call *c = ctx;
	struct net_obj *o = c->port_ctx;
	struct capnp_data d = net_UdpSocket_sendTo_Params_get_data(p);
	uint16_t port = net_UdpSocket_sendTo_Params_get_port(p);
	ip4_addr_t addr;
	struct pbuf *pb;
	err_t err;

	(void)r;
	if (d.len > NET_UDP_SEND_MAX || port == 0)
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    "at most 1472 bytes, to a port 1..65535");
	ip4_addr_set_u32(&addr, lwip_htonl(net_UdpSocket_sendTo_Params_get_address(p)));
	if (!(pb = pbuf_alloc(PBUF_TRANSPORT, (u16_t)d.len, PBUF_RAM)))
		return server_raise(c, capos_CapException_Type_overloaded, "no buffer");
	if (d.len)
		(void)pbuf_take(pb, d.ptr, (u16_t)d.len);
	err = udp_sendto(o->upcb, pb, &addr, port);
	pbuf_free(pb);
	if (err == ERR_MEM || err == ERR_BUF)
		return server_raise(c, capos_CapException_Type_overloaded, "no buffer");
	if (err != ERR_OK)
		return server_raise(c, capos_CapException_Type_failed, "no route to the address");
	return 0;
}

static int do_recv_from(void *ctx, struct net_UdpSocket_recvFrom_Params p,
			struct net_UdpSocket_recvFrom_Results_builder r)
{
	struct server_call *c = ctx;
	struct net_obj *o = c->port_ctx;
	uint32_t max = net_UdpSocket_recvFrom_Params_get_max(p);

	(void)r;
	if (max == 0 || max > NET_UDP_RECV_MAX)
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    "max must be 1..65507");
	if (o->nreads == NET_HELD_MAX)
		return server_raise(c, capos_CapException_Type_overloaded,
				    "4 recvFroms are pending already");
	/* Held, then answered at once when a datagram waits (one path for both). */
	o->reads[o->nreads] = c->call_id;
	o->read_max[o->nreads++] = max;
	serve_recvs(o);
	return SERVER_HELD;
}

static int do_close(void *ctx, struct net_UdpSocket_close_Params p,
		    struct net_UdpSocket_close_Results_builder r)
{
	struct server_call *c = ctx;

	(void)p;
	(void)r;
	/* Answered before the port goes: a removed port's calls cannot be answered. */
	answer_empty(c->port, c->call_id);
	udp_sock_close(c->port_ctx);
	return SERVER_HELD;
}

const struct net_UdpSocket_server udp_sock_impl = {
	.sendTo = do_send_to,
	.recvFrom = do_recv_from,
	.close = do_close,
};
