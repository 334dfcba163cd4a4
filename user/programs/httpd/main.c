// SPDX-License-Identifier: MIT
/*
 * httpd [PORT]: an HTTP/1.1 server on TCP PORT (default 80) of the
 * NetworkManager granted as "net" (conn.c says what it serves). Up to
 * HTTPD_CONNS connections at once, each with its read or writes in flight
 * on the one ring, and an accept pending whenever a slot is free; one loop
 * reaps every completion and hands it to its owner. Prints "httpd:
 * listening on port N" once the listener is up (scenarios wait for it).
 */
#include "capos.capnp.h"
#include "httpd_conn.h"
#include "net.capnp.h"
#include "rt.h"

static struct conn *conns[HTTPD_CONNS];
static struct tcp_accept_req accept_req;
static bool accepting;

static uint16_t parse_port(void)
{
	uint32_t v = 0;
	const char *s;

	if (rt_argc() < 1)
		return 80;
	for (s = rt_argv(0); *s; s++) {
		if (*s < '0' || *s > '9' || v > 65535)
			return 0;
		v = v * 10 + (uint32_t)(*s - '0');
	}
	return v <= 65535 ? (uint16_t)v : 0;
}

static int free_slot(void)
{
	for (int i = 0; i < HTTPD_CONNS; i++)
		if (!conns[i])
			return i;
	return -1;
}

/* Keeps one accept pending while a slot is free. */
static void keep_accepting(capos_cap_t listener)
{
	if (!accepting && free_slot() >= 0)
		accepting = !tcp_accept_submit(client_ring, listener, &accept_req);
}

/* A completed accept: the connection gets the free slot. -1 when the listener is gone. */
static int accepted(const struct capos_cqe *cqe)
{
	int slot = free_slot();
	capos_cap_t sock;
	int err;

	accepting = false;
	err = tcp_accept_result(&accept_req, cqe, &sock, NULL, NULL);
	if (err)
		return err == CAPOS_ERR_APPLICATION_EXCEPTION &&
		       accept_req.exc_type == capos_CapException_Type_disconnected ? -1 : 0;
	conns[slot] = malloc(sizeof(struct conn));
	if (!conns[slot]) {
		tcp_close(sock);
		cap_release(sock);
		return 0;
	}
	if (!conn_start(conns[slot], sock)) {
		free(conns[slot]);
		conns[slot] = NULL;
	}
	return 0;
}

/* Hands cqe to its owner. -1 when the listener is gone. */
static int dispatch(const struct capos_cqe *cqe)
{
	bool ended;

	if (accepting && cqe->user_data == accept_req.user_data)
		return accepted(cqe);
	for (int i = 0; i < HTTPD_CONNS; i++) {
		if (conns[i] && conn_complete(conns[i], cqe, &ended)) {
			if (ended) {
				free(conns[i]);
				conns[i] = NULL;
			}
			return 0;
		}
	}
	return 0;
}

int main(void)
{
	capos_cap_t net = rt_cap("net", net_NetworkManager_TYPE_ID);
	uint16_t port = parse_port();
	struct capos_cqe cqe;
	capos_cap_t listener;
	int err;

	if (net == CAPOS_CAP_INVALID || port == 0) {
		printf("httpd: %s\n", port ? "no network (no \"net\" capability)" :
					     "usage: httpd [PORT]");
		return 2;
	}
	err = net_tcp_listen(net, port, 16, &listener);
	if (err) {
		printf("httpd: cannot listen on port %u (%d)\n", port, err);
		return 1;
	}
	printf("httpd: listening on port %u\n", port);
	for (;;) {
		keep_accepting(listener);
		while (!uring_reap(client_ring, &cqe))
			if (uring_enter(client_ring, 1, CAPOS_TIMEOUT_INFINITE) < 0)
				return 1;
		if (dispatch(&cqe)) {
			printf("httpd: the listener is gone\n");
			return 1;
		}
	}
}
