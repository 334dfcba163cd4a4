/* SPDX-License-Identifier: MIT */
/*
 * TerminalSession client (schema/capos.capnp: TerminalSession;
 * docs/terminal.md): lines and events from a terminal, text to it, through
 * client_ring (client.h). The session may be served by the serial terminal
 * or by a socket gateway: nothing here knows which. The calls share static
 * buffers: one thread of a process uses them at a time.
 */
#ifndef CAPOS_USER_TERMINAL_H
#define CAPOS_USER_TERMINAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capos/cap.h>
#include <capos/ring.h>

#include "uring.h"

#define TERMINAL_LINE_MAX 1024u		/* bytes of a line readLine returns (schema) */
#define TERMINAL_WRITE_MAX 4096u	/* TerminalSession.write limit per call (schema) */

enum terminal_event {			/* TerminalEvent, value for value */
	TERMINAL_LINE = 0,
	TERMINAL_INTERRUPT = 1,
	TERMINAL_END = 2,
	TERMINAL_TOO_LONG = 3,
};

/*
 * readLine(echo, history): waits for a line or an event. With history the
 * arrow keys browse the lines earlier readLines with history returned, and
 * this one joins them (a password: echo and history false). With
 * TERMINAL_LINE the line is in buf[0..*len) (buf holds TERMINAL_LINE_MAX + 1
 * bytes), NUL-terminated; *len is 0 otherwise. Returns 0 or a negative
 * CAPOS_ERR_* (MALFORMED_MESSAGE: an answer out of the schema's bounds;
 * APPLICATION_EXCEPTION: client_exception() has it, e.g. failed for a
 * second readLine while one waits).
 */
int terminal_read_line(capos_cap_t term, bool echo, bool history, char *buf, size_t *len,
		       enum terminal_event *ev);

/* Writes buf[0..n), in calls of at most TERMINAL_WRITE_MAX bytes. 0 or an error. */
int terminal_write(capos_cap_t term, const void *buf, size_t n);

/* terminal_write of a NUL-terminated string. */
int terminal_puts(capos_cap_t term, const char *s);

/* close(): the server stops serving this session. 0 or an error. */
int terminal_close(capos_cap_t term);

/* cancelInterrupt(): every waiting waitInterrupt answers false. 0 or an error. */
int terminal_cancel_interrupt(capos_cap_t term);

/*
 * waitInterrupt() without blocking the program (the pattern of process.h):
 * terminal_wait_interrupt_submit() queues the CALL in ring r (the next
 * cap_enter sends it) and the struct, which owns its buffers, stays in
 * place until it completes; terminal_wait_interrupt_end() waits for that
 * completion (others go to the ring's stash); a loop that reaps completions
 * itself matches them with terminal_wait_interrupt_is() and reads them with
 * terminal_wait_interrupt_decode(). A shell holds one while a foreground
 * program runs and cancels it (terminal_cancel_interrupt) when it ends.
 * The terminal keeps at most 4 waiting: one more answers overloaded.
 */
#define TERMINAL_WAIT_INTERRUPT_RESULT_WORDS 48	/* the answer, or a CapException */

struct terminal_interrupt_wait {
	uint64_t user_data;		/* of the submitted CALL */
	struct capos_cqe cqe;		/* its completion, once decoded */
	uint64_t params[2];		/* the (empty) params message */
	uint64_t result[TERMINAL_WAIT_INTERRUPT_RESULT_WORDS];
};

/* Queues waitInterrupt on term. Returns 0 or CAPOS_ERR_CQ_FULL. */
int terminal_wait_interrupt_submit(struct uring *r, capos_cap_t term,
				   struct terminal_interrupt_wait *w);

/* True if cqe is the completion of w's CALL. */
static inline bool terminal_wait_interrupt_is(const struct terminal_interrupt_wait *w,
					      const struct capos_cqe *cqe)
{
	return cqe->user_data == w->user_data && cqe->opcode == CAPOS_OP_CALL;
}

/*
 * Reads w's completion: 0 with *interrupted (true: Ctrl-C was typed; false:
 * cancelled or the terminal closed), the CQE's error,
 * CAPOS_ERR_APPLICATION_EXCEPTION (client_exception() has it: overloaded
 * for a fifth) or CAPOS_ERR_MALFORMED_MESSAGE.
 */
int terminal_wait_interrupt_decode(struct terminal_interrupt_wait *w,
				   const struct capos_cqe *cqe, bool *interrupted);

/* Waits at most timeout_ns for w's completion (TIMED_OUT leaves it pending), then decodes it. */
int terminal_wait_interrupt_end(struct uring *r, struct terminal_interrupt_wait *w,
				uint64_t timeout_ns, bool *interrupted);

/* waitInterrupt() on client_ring: submit, then end without a timeout. */
int terminal_wait_interrupt(capos_cap_t term, bool *interrupted);

#endif
