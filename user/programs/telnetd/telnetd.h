/* SPDX-License-Identifier: MIT */
/*
 * telnetd, the telnet gateway (docs/telnet.md): its state, shared by
 * main.c (capabilities, the listener, the loop), conn.c (a connection's
 * life: accept, broker, hang-up, cleanup), io.c (a connection's bytes:
 * the socket read kept in flight, telnet in and out), session.c (the
 * TerminalSession handlers, through the terminal core) and netcalls.c (the
 * TcpListener and TcpSocket calls it keeps in flight; the others are
 * user/lib/net.h's). One
 * thread: no locks.
 */
#ifndef CAPOS_TELNETD_H
#define CAPOS_TELNETD_H

#include <stdbool.h>
#include <stdint.h>

#include "capos.capnp.h"
#include "net.capnp.h"
#include "net.h"
#include "process.h"
#include "server.h"
#include "telnet/telnet.h"
#include "termcore.h"
#include "terminal.h"

#define TELNETD_CONNS_MAX 16u		/* connections served at once */
#define TELNETD_TCP_PORT 23u
#define TELNETD_READ_MAX 256u		/* bytes asked of one TcpSocket.read */
#define TELNETD_READ_RESULT_WORDS ((24 + TELNETD_READ_MAX + 296) / 8)
/*
 * Output: escaped bytes wait in a connection's buffer and go out one
 * TcpSocket.write at a time (at most TELNETD_WRITE_CHUNK), never as a call
 * the gateway's one loop waits in, so a peer that stops reading stalls only
 * its own terminal. Past TELNETD_OUT_HIGH bytes waiting, TerminalSession
 * writes are answered only once the buffer drains below it; the buffer
 * takes one more write of the largest kind (4,096 bytes, each LF sent as CR
 * LF, each escaped at most twice) above the mark.
 */
#define TELNETD_WRITE_CHUNK 4096u
#define TELNETD_WRITE_PARAMS_WORDS ((TELNETD_WRITE_CHUNK + 64) / 8)
#define TELNETD_OUT_HIGH 4096u
#define TELNETD_OUT_MAX (TELNETD_OUT_HIGH + 4u * TERMINAL_WRITE_MAX)
/*
 * A broker's VirtualMemory, paid from the gateway's: its own heap and
 * buffers (about 200 pages), the shell's 1,024 and two jobs of 512
 * (docs/telnet.md: a third job of a session is refused for memory).
 */
#define TELNETD_BROKER_PAGES 2560u
#define TELNETD_BROKER_GRACE_NS 10000000000ull	/* after a hang-up, before the kill */
/*
 * A connection that has sent nothing at all this long after it was
 * accepted is dropped: a telnet client answers the gateway's offers at
 * once, so silence means a peer that is gone without a FIN or RST (a
 * flood QEMU's user network half-closed), which would hold a slot for ever.
 */
#define TELNETD_SILENT_NS 30000000000ull
/*
 * With every slot taken, a new connection evicts the connections that have
 * said nothing for this long (a flood's), so a person can still get in.
 */
#define TELNETD_EVICT_NS 5000000000ull
#define TELNETD_BUSY_TEXT "capOS: too many connections; try again later\r\n"

enum conn_state {
	CONN_FREE,
	CONN_LIVE,		/* the broker serves it */
	CONN_ENDING,		/* hung up: waiting for the broker to exit */
};

struct conn {
	uint8_t state;			/* enum conn_state */
	uint8_t slot;			/* its index in conns[] */
	uint32_t number;		/* 1, 2, ... in accept order, for the log */
	capos_cap_t sock;		/* the TcpSocket */
	capos_cap_t owner;		/* the TerminalSession endpoint's owner side */
	int port;			/* its server port */
	capos_cap_t facet;		/* the terminal's facet, until the broker takes it */
	capos_cap_t broker;		/* the broker's ProcessHandle */
	struct process_wait broker_wait;
	bool broker_running;
	uint64_t hangup_ns;		/* Timer time of the hang-up */
	uint64_t accepted_ns;		/* Timer time of the accept */
	bool heard;			/* a byte has come from the peer */
	bool killed;

	bool read_in_flight;
	bool sock_done;			/* read answered end or failed */
	uint64_t read_user_data;
	uint64_t read_params[4];
	uint64_t read_result[TELNETD_READ_RESULT_WORDS];

	uint8_t out[TELNETD_OUT_MAX];	/* escaped, waiting to be sent: out[0..out_len) */
	uint32_t out_len;
	bool write_in_flight;		/* of out[0..write_len) */
	uint32_t write_len;
	uint64_t write_user_data;
	uint64_t write_params[TELNETD_WRITE_PARAMS_WORDS];
	uint64_t write_result[8];

	struct telnet tn;
	struct termcore core;
};

struct telnetd_caps {
	capos_cap_t net, creds, sessions, audit, audit_reader, spawner, endpoints, caps, timer,
		boot;
};

extern struct telnetd_caps tcaps;
extern struct server tsrv;
/*
 * Each slot's connection, allocated the first time the slot is used and
 * kept (a free slot is CONN_FREE, or NULL if never used): about 70 KiB a
 * connection (its terminal core's history, its output buffer), so the table in .bss was 728 KiB the kernel zeroed at every
 * start of the gateway, before anyone connected.
 */
extern struct conn *conns[TELNETD_CONNS_MAX];
extern const struct termcore_ops conn_term_ops;
extern const struct capos_TerminalSession_server session_impl;

/* netcalls.c (listen, close and the refusal's write: user/lib/net.h) */
/* Queues TcpListener.accept (one in flight); net_accept_is matches its completion. */
int net_accept_submit(capos_cap_t listener);
bool net_accept_is(const struct capos_cqe *cqe);
/* Reads the accept's completion: 0 with *sock, or the error (the listener is gone). */
int net_accept_read(const struct capos_cqe *cqe, capos_cap_t *sock);
/* Queues TcpSocket.write of c->out[0..n) (n <= TELNETD_WRITE_CHUNK) with c's buffers. */
int net_write_submit(struct conn *c, uint32_t n);
/* A write's completion: 0, or an error (reset, closed). */
int net_write_decode(struct conn *c, const struct capos_cqe *cqe);
/* Queues TcpSocket.read(max) with c's buffers. */
int net_read_submit(struct conn *c);
/* A read's data: 0 with d (empty: the peer finished), or an error (reset, closed). */
int net_read_decode(struct conn *c, const struct capos_cqe *cqe, struct capnp_data *d);

/* conn.c */
void conn_accepted(capos_cap_t sock);
void conn_on_completion(void *arg, const struct capos_cqe *cqe);
/* Kills brokers past their grace; true while any connection is in use. */
bool conn_tick(void);
uint32_t conn_count(void);
/* The socket is gone: the terminal hangs up (a connection without a broker ends now). */
void conn_hangup(struct conn *c);

/* main.c */
/* The accept's completion: a connection, or the listener's end. */
void main_accept_done(const struct capos_cqe *cqe);

/* io.c */
void io_start(struct conn *c);
/* A completion of c's read or write; false if it was neither. */
bool io_on_completion(struct conn *c, const struct capos_cqe *cqe);
/* Queues bytes to send as they are (telnet negotiation); dropped if the output is full. */
int io_send(struct conn *c, const uint8_t *p, size_t n);
/* True while a read or write of c is in flight (its slot is not free before). */
bool io_busy(const struct conn *c);

#endif
