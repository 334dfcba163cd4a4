/* SPDX-License-Identifier: MIT */
/*
 * The serial terminal service's state (docs/terminal.md), shared by its
 * files: main.c (the TerminalSession handlers), input.c (the SerialPort
 * read kept in flight, the bytes typed ahead, Ctrl-C for waitInterrupt)
 * and answer.c (the answers of held calls). One thread: no locks.
 */
#ifndef CAPOS_TERMINAL_SERVICE_SERVICE_H
#define CAPOS_TERMINAL_SERVICE_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "capos.capnp.h"
#include "linedisc.h"
#include "serial.h"
#include "server.h"
#include "shell/history.h"

#define TERM_TYPED_MAX 4096u		/* bytes typed ahead, kept until a readLine takes them */
#define TERM_WAITERS_MAX 4u		/* waitInterrupt calls held (schema) */
#define TERM_READ_RESULT_WORDS ((24 + SERIAL_READ_MAX + 296) / 8)	/* data or a CapException */

struct term {
	struct server srv;
	capos_cap_t port;		/* the SerialPort */
	struct linedisc ld;
	struct shell_history history;	/* lines of readLines with history true */
	bool ended;			/* Ctrl-D seen: every readLine answers end */
	bool port_failed;		/* a read failed: readLine raises failed */

	/* The SerialPort.read in flight (at most one). */
	bool read_in_flight;
	uint64_t read_user_data;
	uint64_t read_params[4];
	uint64_t read_result[TERM_READ_RESULT_WORDS];

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
};

extern struct term term;

/* input.c */
/* Submits the SerialPort.read if none is in flight and the port works. */
void input_submit_read(void);
/* The completion handler the server loop gives every completion not its own. */
void input_on_completion(void *arg, const struct capos_cqe *cqe);
/*
 * Feeds typed bytes to the line discipline (echo on), until an event or
 * none is left; LINEDISC_NONE if the readLine must wait for more.
 */
enum linedisc_event input_feed(void);
/*
 * With no readLine held: a Ctrl-C typed ahead is taken (with the partial
 * line before it) and shown as "^C". True if one was.
 */
bool input_take_interrupt(void);
/* Starts (with its echo and history) or ends a readLine's line discipline settings. */
void input_begin_read(bool echo, bool history);
void input_end_read(void);

/* answer.c */
/* What a readLine answers for ev (the line, if ev is LINEDISC_LINE). */
void answer_fill_read(struct capos_TerminalSession_readLine_Results_builder r,
		      enum linedisc_event ev);
/* Answers the held readLine with ev (and every waiter with true on an interrupt). */
void answer_held_read(enum linedisc_event ev);
/* Answers the held readLine with the CapException `failed`. */
void answer_held_read_failed(void);
/* Answers every held waitInterrupt with interrupted. */
void answer_waiters(bool interrupted);

#endif
