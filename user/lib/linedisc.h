/* SPDX-License-Identifier: MIT */
/*
 * The line discipline of a terminal (docs/terminal.md): bytes typed in,
 * echo bytes, events and completed lines out. Pure C, no I/O, no
 * allocation, no capability: the same code serves the serial terminal
 * (M6) and a socket-backed one (M7's telnet gateway, which strips the
 * telnet protocol first and feeds what remains).
 *
 * Editing: printable bytes (and tab) join the line and are echoed;
 * backspace (0x08) and DEL (0x7f) erase the last character, a whole UTF-8
 * sequence (echo "\b \b"); Ctrl-U erases the line; Ctrl-C discards it and
 * reports LINEDISC_INTERRUPT (echo "^C\r\n"); Ctrl-D on an empty line
 * reports LINEDISC_EOF (elsewhere it is ignored); CR, LF and CRLF each end
 * a line (one line for CRLF; echo "\r\n"). Bytes 0x80-0xff pass through
 * as they are (UTF-8, or whatever the other side sends). Other control
 * bytes, and escape sequences (ESC [ ... final, ESC O x, ESC x, at most
 * LINEDISC_ESC_MAX bytes), are dropped: they never reach a line.
 *
 * No-echo mode (passwords): nothing is echoed but the end of line.
 *
 * History (linedisc_set_history): the up and down arrow keys (ESC [ A,
 * ESC [ B, and their SS3 forms ESC O A, ESC O B) browse a struct
 * shell_history (lib/shell/history.h) that the caller owns: the shown line
 * is erased ("\b \b" per character) and the recalled entry echoed in its
 * place. Each line ended while a history is set joins it (blank lines and a
 * repeat of the newest do not); Ctrl-C, Ctrl-U and every event end
 * browsing. Without a history (the default, and always for a password) the
 * arrow keys are dropped like any other escape sequence.
 *
 * Bound: a line holds at most LINEDISC_LINE_MAX bytes. A byte past that
 * is refused: the rest of that line is discarded, and at its end the
 * caller gets LINEDISC_TOO_LONG instead of a line (Ctrl-U or Ctrl-C start
 * afresh).
 */
#ifndef CAPOS_USER_LINEDISC_H
#define CAPOS_USER_LINEDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINEDISC_LINE_MAX 1024	/* bytes of one line, without its end */
#define LINEDISC_ESC_MAX 16	/* bytes of an escape sequence before it is given up */
/*
 * Echo one step may add: a history recall erases a full line (3 bytes a
 * character) and echoes a full entry.
 */
#define LINEDISC_STEP_ECHO_MAX (4 * LINEDISC_LINE_MAX + 8)
/* Echo a feed may leave: one step past the stop mark (LINEDISC_LINE_MAX). */
#define LINEDISC_ECHO_MAX (LINEDISC_LINE_MAX + LINEDISC_STEP_ECHO_MAX)

struct shell_history;

enum linedisc_event {
	LINEDISC_NONE,		/* input used up (or the echo wants flushing) */
	LINEDISC_LINE,		/* a line ended: linedisc_line() */
	LINEDISC_INTERRUPT,	/* Ctrl-C: the line was discarded */
	LINEDISC_EOF,		/* Ctrl-D on an empty line */
	LINEDISC_TOO_LONG,	/* a line over LINEDISC_LINE_MAX ended: refused */
};

enum linedisc_esc_state {
	LINEDISC_ESC_NONE,
	LINEDISC_ESC_START,	/* after ESC */
	LINEDISC_ESC_CSI,	/* after ESC [: parameters until a final byte */
	LINEDISC_ESC_SS3,	/* after ESC O: one more byte */
};

enum linedisc_key {		/* what a finished escape sequence asks for */
	LINEDISC_KEY_NONE,	/* nothing: it is dropped */
	LINEDISC_KEY_UP,	/* ESC [ A, ESC O A: the previous history entry */
	LINEDISC_KEY_DOWN,	/* ESC [ B, ESC O B: the next one */
};

struct linedisc {
	uint8_t line[LINEDISC_LINE_MAX];
	size_t len;
	uint8_t echo[LINEDISC_ECHO_MAX];
	size_t echo_len;
	bool echo_on;
	bool overflowed;	/* this line went past the bound: discard to its end */
	bool after_cr;		/* the last byte was CR: an LF now is its pair */
	uint8_t esc_state;	/* enum linedisc_esc_state */
	uint8_t esc_len;
	bool line_ready;	/* line[0..len) is the line just reported; cleared at the next feed */
	struct shell_history *history;	/* browsed and fed, or NULL (linedisc_set_history) */
};

/* An empty line, echo on, no history. */
void linedisc_init(struct linedisc *ld);

/* Echo on (normal) or off (a password: only the end of line is echoed). */
void linedisc_set_echo(struct linedisc *ld, bool on);

/*
 * The history the arrow keys browse and ended lines join, or NULL for none
 * (a password). h stays the caller's and must outlive its use here.
 */
void linedisc_set_history(struct linedisc *ld, struct shell_history *h);

/*
 * Takes bytes from in[0..n) until an event, the end of the input, or
 * echo enough to want flushing. Returns how many it took (the caller
 * feeds the rest again), with *ev the event (LINEDISC_NONE if none).
 * After each call the caller sends linedisc_echo() and clears it.
 */
size_t linedisc_feed(struct linedisc *ld, const uint8_t *in, size_t n, enum linedisc_event *ev);

/* The echo waiting to be sent, and its length; linedisc_echo_clear() once sent. */
const uint8_t *linedisc_echo(const struct linedisc *ld, size_t *len);
void linedisc_echo_clear(struct linedisc *ld);

/* After LINEDISC_LINE: the line (no end-of-line bytes), valid until the next feed. */
const uint8_t *linedisc_line(const struct linedisc *ld, size_t *len);

#endif
