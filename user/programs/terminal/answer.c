// SPDX-License-Identifier: MIT
/*
 * Answers of held calls (terminal.h): each framed here with the generated
 * builders and sent as a RETURN of its own call (server_return_raw). A
 * caller gone meanwhile makes the RETURN fail: nothing to undo.
 */
#include <capos/endpoint.h>

#include "service.h"

/* A readLine's answer: framing, pointers, a line of at most 1,024 bytes. */
#define ANSWER_WORDS ((LINEDISC_LINE_MAX + 256) / 8)

static enum capos_TerminalEvent event_of(enum linedisc_event ev)
{
	switch (ev) {
	case LINEDISC_INTERRUPT:
		return capos_TerminalEvent_interrupt;
	case LINEDISC_EOF:
		return capos_TerminalEvent_end;
	case LINEDISC_TOO_LONG:
		return capos_TerminalEvent_tooLong;
	default:
		return capos_TerminalEvent_line;
	}
}

void answer_fill_read(struct capos_TerminalSession_readLine_Results_builder r,
		      enum linedisc_event ev)
{
	if (ev == LINEDISC_LINE) {
		size_t n;
		const uint8_t *line = linedisc_line(&term.ld, &n);

		capos_TerminalSession_readLine_Results_set_line(r, line, (uint32_t)n);
	}
	capos_TerminalSession_readLine_Results_set_event(r, event_of(ev));
}

/* Sends the message built in m as call_id's answer (flags: CAPOS_SQE_F_EXCEPTION or 0). */
static void send(uint32_t call_id, struct capnp_msg *m, uint16_t flags)
{
	static uint64_t out[ANSWER_WORDS];
	size_t len = 0;

	if (!capnp_msg_error(m) && !capnp_msg_write(m, out, sizeof(out), &len))
		(void)server_return_raw(&term.srv, call_id, flags, out, (uint32_t)len, NULL, 0);
}

void answer_held_read(enum linedisc_event ev)
{
	static uint64_t arena[ANSWER_WORDS];
	uint32_t call_id = term.reading_call;
	struct capnp_msg m;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	answer_fill_read(capos_TerminalSession_readLine_Results_init_root(&m), ev);
	if (ev == LINEDISC_EOF)
		term.ended = true;
	term.reading = false;
	input_end_read();
	send(call_id, &m, 0);
	if (ev == LINEDISC_INTERRUPT)	/* Ctrl-C reaches every waitInterrupt too */
		answer_waiters(true);
}

void answer_held_read_failed(void)
{
	static const char reason[] = "the serial port failed";
	uint64_t arena[32];
	struct capos_CapException_builder e;
	struct capnp_msg m;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	e = capos_CapException_init_root(&m);
	capos_CapException_set_type(e, capos_CapException_Type_failed);
	capos_CapException_set_reason(e, reason, sizeof(reason) - 1);
	term.reading = false;
	input_end_read();
	send(term.reading_call, &m, CAPOS_SQE_F_EXCEPTION);
}

void answer_waiters(bool interrupted)
{
	uint32_t calls[TERM_WAITERS_MAX], n = term.nwaiters;
	uint64_t arena[8];
	struct capnp_msg m;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_TerminalSession_waitInterrupt_Results_set_interrupted(
		capos_TerminalSession_waitInterrupt_Results_init_root(&m), interrupted);
	/* Taken off the list first, so an answer never goes twice; oldest first. */
	for (uint32_t i = 0; i < n; i++)
		calls[i] = term.waiters[i];
	term.nwaiters = 0;
	for (uint32_t i = 0; i < n; i++)
		send(calls[i], &m, 0);
}
