// SPDX-License-Identifier: MIT
/*
 * TcpListener (schema/net.capnp; docs/network.md). lwIP accepts a
 * connection as soon as its handshake completes; it then waits here
 * (conns, at most `backlog`, more are reset) with its bytes already
 * arriving, until an accept takes it. An accept counts the connection
 * against the quota of the manager the listener came from; when that is
 * used up the connection is reset and the accept stays pending.
 */
#include "net.h"

#include "capos.capnp.h"
#include "client.h"
#include "ustring.h"

static void conns_remove(struct net_obj *l, uint32_t i)
{
	l->nconns--;
	memmove(l->conns + i, l->conns + i + 1, (l->nconns - i) * sizeof(l->conns[0]));
}

void listener_drop_conn(struct net_obj *l, struct net_obj *conn)
{
	for (uint32_t i = 0; i < l->nconns; i++)
		if (l->conns[i] == conn) {
			conns_remove(l, i);
			break;
		}
	conn->listener = NULL;
	tcp_sock_close(conn, true);
}

static void accepts_pop(struct net_obj *l)
{
	l->naccepts--;
	memmove(l->accepts, l->accepts + 1, l->naccepts * sizeof(l->accepts[0]));
}

/* Pairs pending accepts with waiting connections. */
static void deliver(struct net_obj *l)
{
	while (l->naccepts && l->nconns) {
		struct net_obj *conn = l->conns[0];
		capos_cap_t facet;

		conns_remove(l, 0);
		conn->listener = NULL;
		if (!quota_take(l->charged)) {
			tcp_sock_close(conn, true);	/* refused: the accept stays pending */
			continue;
		}
		conn->charged = l->charged;
		if (tcp_sock_open(conn, &facet)) {
			tcp_sock_close(conn, true);
			answer_raise(l->port, l->accepts[0], capos_CapException_Type_overloaded,
				     "the service has no room for another socket");
			accepts_pop(l);
			continue;
		}
		uint32_t remote = conn->pcb ? lwip_ntohl(ip4_addr_get_u32(&conn->pcb->remote_ip)) : 0;
		uint16_t rport = conn->pcb ? conn->pcb->remote_port : 0;

		if (!answer_socket(l->port, l->accepts[0], facet, remote, rport, true)) {
			(void)cap_release(facet);	/* the caller is gone */
			tcp_sock_close(conn, true);
		}
		accepts_pop(l);
	}
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct net_obj *l = arg;
	struct net_obj *conn;

	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	if (l->nconns >= l->backlog || !(conn = obj_alloc(NET_TCP))) {
		tcp_abort(pcb);
		return ERR_ABRT;
	}
	tcp_sock_attach(conn, pcb);
	conn->listener = l;
	l->conns[l->nconns++] = conn;
	deliver(l);
	return ERR_OK;
}

int listener_open(struct net_quota *q, uint16_t port, uint16_t backlog, capos_cap_t *facet,
		  const char **why)
{
	struct net_obj *l;
	struct tcp_pcb *pcb, *lpcb;
	int err;

	*why = "the service has no room for another listener";
	if (!quota_take(q)) {
		*why = "the manager's quota is used up";
		return CAPOS_ERR_NO_MEMORY;
	}
	if (!(l = obj_alloc(NET_LISTENER)) || !(pcb = tcp_new())) {
		if (l)
			obj_free(l);
		quota_give(q);
		return CAPOS_ERR_NO_MEMORY;
	}
	l->charged = q;
	if (tcp_bind(pcb, IP4_ADDR_ANY, port) != ERR_OK) {
		tcp_abort(pcb);
		obj_free(l);
		*why = "the port is taken";
		return CAPOS_ERR_BUSY;
	}
	lpcb = tcp_listen_with_backlog(pcb, (u8_t)backlog);
	if (!lpcb) {
		tcp_abort(pcb);
		obj_free(l);
		return CAPOS_ERR_NO_MEMORY;
	}
	if ((err = obj_serve(l, net_TcpListener_TYPE_ID, net_TcpListener_dispatch_any,
			     &listener_impl, facet))) {
		(void)tcp_close(lpcb);
		obj_free(l);
		return CAPOS_ERR_NO_MEMORY;
	}
	l->pcb = lpcb;
	l->lport = port;
	l->backlog = (uint8_t)backlog;
	tcp_arg(lpcb, l);
	tcp_accept(lpcb, on_accept);
	return 0;
}

void listener_close(struct net_obj *l)
{
	while (l->naccepts) {
		answer_raise(l->port, l->accepts[0], capos_CapException_Type_disconnected,
			     "the listener was closed");
		accepts_pop(l);
	}
	while (l->nconns)
		listener_drop_conn(l, l->conns[0]);
	if (l->pcb) {
		tcp_arg(l->pcb, NULL);
		tcp_accept(l->pcb, NULL);
		(void)tcp_close(l->pcb);
	}
	l->pcb = NULL;
	obj_free(l);
}

static int do_accept(void *ctx, struct net_TcpListener_accept_Params p,
		     struct net_TcpListener_accept_Results_builder r)
{
	struct server_call *c = ctx;
	struct net_obj *l = c->port_ctx;

	(void)p;
	(void)r;
	if (l->naccepts == NET_ACCEPTS_MAX)
		return server_raise(c, capos_CapException_Type_overloaded,
				    "16 accepts are pending already");
	l->accepts[l->naccepts++] = c->call_id;
	deliver(l);	/* answers it at once when a connection waits */
	return SERVER_HELD;
}

static int do_close(void *ctx, struct net_TcpListener_close_Params p,
		    struct net_TcpListener_close_Results_builder r)
{
	struct server_call *c = ctx;

	(void)p;
	(void)r;
	answer_empty(c->port, c->call_id);
	listener_close(c->port_ctx);
	return SERVER_HELD;
}

static int do_port(void *ctx, struct net_TcpListener_port_Params p,
		   struct net_TcpListener_port_Results_builder r)
{
	struct server_call *c = ctx;
	const struct net_obj *l = c->port_ctx;

	(void)p;
	net_TcpListener_port_Results_set_port(r, l->lport);
	return 0;
}

const struct net_TcpListener_server listener_impl = {
	.accept = do_accept,
	.close = do_close,
	.port = do_port,
};
