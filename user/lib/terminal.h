/* SPDX-License-Identifier: MIT */
/*
 * TerminalSession client (schema/capos.capnp: TerminalSession;
 * docs/terminal.md): lines and events from a terminal, text to it, through
 * client_ring (client.h). The session may be served by the serial terminal
 * or by a socket gateway: nothing here knows which. The calls share
 * buffers, taken from the heap on the first call (CAPOS_ERR_NO_MEMORY
 * without one): one thread of a process uses them at a time. printf writes
 * through terminal_write when the program holds no Console (print.h).
 */
#ifndef CAPOS_USER_TERMINAL_H
#define CAPOS_USER_TERMINAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capos/cap.h>

#define TERMINAL_LINE_MAX 1024u		/* bytes of a line readLine returns (schema) */
#define TERMINAL_WRITE_MAX 4096u	/* TerminalSession.write limit per call (schema) */

enum terminal_event {			/* TerminalEvent, value for value */
	TERMINAL_LINE = 0,
	TERMINAL_INTERRUPT = 1,
	TERMINAL_END = 2,
	TERMINAL_TOO_LONG = 3,
};

/*
 * readLine(echo): waits for a line or an event. With TERMINAL_LINE the line
 * is in buf[0..*len) (buf holds TERMINAL_LINE_MAX bytes), NUL-terminated;
 * *len is 0 otherwise. Returns 0 or a negative CAPOS_ERR_*
 * (MALFORMED_MESSAGE: an answer out of the schema's bounds).
 */
int terminal_read_line(capos_cap_t term, bool echo, char *buf, size_t *len,
		       enum terminal_event *ev);

/* Writes buf[0..n), in calls of at most TERMINAL_WRITE_MAX bytes. 0 or an error. */
int terminal_write(capos_cap_t term, const void *buf, size_t n);

/* terminal_write of a NUL-terminated string. */
int terminal_puts(capos_cap_t term, const char *s);

/* close(): the server stops serving this session. 0 or an error. */
int terminal_close(capos_cap_t term);

#endif
