/* SPDX-License-Identifier: MIT */
/*
 * The core of a terminal service (docs/terminal.md): one TerminalSession
 * served over any byte transport. Its input is bytes (termcore_input), its
 * output a write function; it holds the readLine and waitInterrupt calls,
 * keeps what is typed ahead until a readLine takes it with that call's echo
 * and history (a password typed ahead of its prompt is never shown), runs
 * the line discipline and answers held calls. The serial terminal
 * (user/programs/terminal) and every connection of the telnet gateway
 * (user/programs/telnetd) run this same code; they only move bytes.
 *
 * Flow control: the transport reads only while termcore_wants_input says
 * so (room in the type-ahead for a read's worth, or a waitInterrupt held
 * that needs every byte seen for its Ctrl-C); want_input is called when
 * that may have changed. One thread: no locks.
 */
#ifndef CAPOS_USER_TERMCORE_H
#define CAPOS_USER_TERMCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capos.capnp.h"
#include "linedisc.h"
#include "server.h"
#include "shell/history.h"

#define TERM_TYPED_MAX 4096u		/* bytes typed ahead, kept until a readLine takes them */
#define TERM_WAITERS_MAX 4u		/* waitInterrupt calls held (schema) */

/*
 * What a transport's write may answer besides 0 (sent, or taken to send) and
 * an error: the bytes are taken, but its output is backed up, so the
 * TerminalSession.write is answered only at termcore_output_drained (the
 * writer waits: backpressure for that terminal alone). CAPOS_ERR_BUSY
 * means nothing was taken (no room): the write raises overloaded.
 */
#define TERMCORE_WRITE_HELD 1
#define TERM_WRITES_HELD_MAX 4u		/* writes waiting for the output to drain */

struct termcore_ops {
	/* Sends bytes to the terminal as they are; a failure shows up at the next read. */
	int (*write)(void *ctx, const uint8_t *p, size_t n);
	/* The core may take more input now: start a read if none is in flight. */
	void (*want_input)(void *ctx);
};

struct termcore {
	struct server *srv;
	int port;			/* the server port its calls come on */
	const struct termcore_ops *ops;
	void *ctx;
	struct linedisc ld;
	struct shell_history history;	/* lines of readLines with history true */
	bool ended;			/* Ctrl-D or hang-up seen: every readLine answers end */
	bool hung_up;			/* termcore_hangup: no input will ever come */
	const char *failed;		/* the transport failed: readLine raises this */

	/* Bytes read and not yet fed to the line discipline: typed[0..typed_len). */
	uint8_t typed[TERM_TYPED_MAX];
	uint32_t typed_len;
	uint64_t typed_dropped;		/* bytes past TERM_TYPED_MAX, lost */

	/* The readLine held until a line or an event (at most one). */
	bool reading;
	uint32_t reading_call;

	/* The waitInterrupt calls held, answered together. */
	uint32_t waiters[TERM_WAITERS_MAX];
	uint32_t nwaiters;

	/* Writes taken while the output was backed up (TERMCORE_WRITE_HELD), oldest first. */
	uint32_t held_writes[TERM_WRITES_HELD_MAX];
	uint32_t nheld_writes;
};

/* Starts tc serving calls held on srv's port `port`, writing through ops with ctx. */
void termcore_init(struct termcore *tc, struct server *srv, int port,
		   const struct termcore_ops *ops, void *ctx);

/* The TerminalSession methods: each returns what a server handler returns. */
int termcore_read_line(struct termcore *tc, struct server_call *c,
		       struct capos_TerminalSession_readLine_Params p,
		       struct capos_TerminalSession_readLine_Results_builder r);
int termcore_write(struct termcore *tc, struct server_call *c, struct capnp_data d);
/* close: answers every held call (readLine: end; waitInterrupt: false). */
void termcore_close(struct termcore *tc);
int termcore_wait_interrupt(struct termcore *tc, struct server_call *c,
			    struct capos_TerminalSession_waitInterrupt_Results_builder r);
void termcore_cancel_interrupt(struct termcore *tc);

/* The transport's output has room again: answers the writes it held. */
void termcore_output_drained(struct termcore *tc);

/* True if the transport should read (up to chunk bytes) now. */
bool termcore_wants_input(const struct termcore *tc, size_t chunk);
/* Bytes that arrived; serves a held readLine or waitInterrupt. */
void termcore_input(struct termcore *tc, const uint8_t *p, size_t n);
/*
 * The other side is gone (a socket's end or reset): from now on readLine
 * answers end, and every waitInterrupt, held or later, is answered
 * interrupted (the program on the terminal is asked to stop).
 */
void termcore_hangup(struct termcore *tc);
/* The transport failed: a held readLine, and every later one, raises failed(reason). */
void termcore_fail(struct termcore *tc, const char *reason);

#endif
