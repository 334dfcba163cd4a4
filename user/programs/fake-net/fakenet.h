/* SPDX-License-Identifier: MIT */
/*
 * fake-net: a stand-in network service for the telnet gateway's scenario
 * (tests/qemu/telnetd). It serves NetworkManager (tcpListen), TcpListener
 * (accept) and TcpSocket (read, write, close) of schema/net.capnp over IPC,
 * and plays scripted telnet clients (script.c): each connection sends its
 * bytes once what the gateway wrote back holds the text the script waits
 * for, and checks the gateway's answers. main.c serves; sock.c is one
 * connection's socket. One thread: no locks.
 */
#ifndef CAPOS_FAKENET_H
#define CAPOS_FAKENET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capos.capnp.h"
#include "net.capnp.h"
#include "server.h"

#define FN_CONNS_MAX 24u
#define FN_LOG_MAX 8192u		/* bytes of a connection's output kept */
#define FN_IN_MAX 512u

enum fn_action {
	FN_SEND,		/* send bytes once `expect` was written */
	FN_HANGUP,		/* the client goes (read answers end) once `expect` was written */
	FN_WAIT_CLOSE,		/* the gateway must close the socket after `expect` */
	FN_HOLD,		/* nothing more: wait for the phase to go on */
};

struct fn_step {
	const char *expect;		/* text the gateway must have written first ("" none) */
	uint8_t action;			/* enum fn_action */
	const uint8_t *bytes;		/* FN_SEND */
	size_t len;
};

struct fn_conn {
	bool used, accepted, closed, hung_up, judged;
	const char *name;
	const struct fn_step *steps;
	uint32_t nsteps, step;
	capos_cap_t owner;
	int port;
	char log[FN_LOG_MAX];
	uint32_t log_len, seen;		/* seen: where the next expect is looked for */
	uint8_t in[FN_IN_MAX];		/* bytes queued for the gateway's reads */
	uint32_t in_len;
	bool read_held;
	uint32_t read_call;
	uint32_t read_max;
};

extern struct server fsrv;
extern struct fn_conn fconns[FN_CONNS_MAX];
extern capos_cap_t fn_endpoints;
extern const struct net_TcpSocket_server sock_impl;

/* sock.c */
/* Runs c's script as far as the output allows, answering a held read. */
void sock_advance(struct fn_conn *c);
/* Hands c to the gateway (answers the held accept); false if none is held. */
bool sock_connect(struct fn_conn *c);
/* The client goes: the held read, and every later one, answers end. */
void sock_hangup(struct fn_conn *c);

/* main.c */
bool fn_accept_held(void);
int fn_answer_accept(capos_cap_t facet);
void fn_end_listener(void);

/* script.c */
void script_start(void);
/* Called when a connection's script is done or its socket closed. */
void script_progress(void);

#endif
