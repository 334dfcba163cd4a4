// SPDX-License-Identifier: MIT
/*
 * The terminal core (termcore.h): held calls, type-ahead, the line
 * discipline, and the answers of held calls, each framed here with the
 * generated builders and sent as a RETURN of its own call on the core's
 * port. A caller gone meanwhile makes the RETURN fail: nothing to undo.
 */
#include "termcore.h"

#include <capos/endpoint.h>
#include <capos/errors.h>

#include "terminal.h"
#include "ustring.h"

#define CTRL_C 0x03

/* A readLine's answer: framing, pointers, a line of at most 1,024 bytes. */
#define ANSWER_WORDS ((LINEDISC_LINE_MAX + 256) / 8)

void termcore_init(struct termcore *tc, struct server *srv, int port,
		   const struct termcore_ops *ops, void *ctx)
{
	memset(tc, 0, sizeof(*tc));
	tc->srv = srv;
	tc->port = port;
	tc->ops = ops;
	tc->ctx = ctx;
	linedisc_init(&tc->ld);
	shell_history_init(&tc->history);
}

/* ---- answers ---- */

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

static void fill_read(struct termcore *tc, struct capos_TerminalSession_readLine_Results_builder r,
		      enum linedisc_event ev)
{
	if (ev == LINEDISC_LINE) {
		size_t n;
		const uint8_t *line = linedisc_line(&tc->ld, &n);

		capos_TerminalSession_readLine_Results_set_line(r, line, (uint32_t)n);
	}
	capos_TerminalSession_readLine_Results_set_event(r, event_of(ev));
}

/* Sends the message built in m as call_id's answer (flags: CAPOS_SQE_F_EXCEPTION or 0). */
static void send(struct termcore *tc, uint32_t call_id, struct capnp_msg *m, uint16_t flags)
{
	static uint64_t out[ANSWER_WORDS];
	size_t len = 0;

	if (!capnp_msg_error(m) && !capnp_msg_write(m, out, sizeof(out), &len))
		(void)server_return_port(tc->srv, tc->port, call_id, flags, out, (uint32_t)len,
					 NULL, 0);
}

/* Answers every held waitInterrupt with interrupted. */
static void answer_waiters(struct termcore *tc, bool interrupted)
{
	uint32_t calls[TERM_WAITERS_MAX], n = tc->nwaiters;
	uint64_t arena[8];
	struct capnp_msg m;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_TerminalSession_waitInterrupt_Results_set_interrupted(
		capos_TerminalSession_waitInterrupt_Results_init_root(&m), interrupted);
	/* Taken off the list first, so an answer never goes twice; oldest first. */
	for (uint32_t i = 0; i < n; i++)
		calls[i] = tc->waiters[i];
	tc->nwaiters = 0;
	for (uint32_t i = 0; i < n; i++)
		send(tc, calls[i], &m, 0);
}

static void begin_read(struct termcore *tc, bool echo, bool history)
{
	linedisc_set_echo(&tc->ld, echo);
	linedisc_set_history(&tc->ld, history ? &tc->history : NULL);
}

static void end_read(struct termcore *tc)
{
	linedisc_set_echo(&tc->ld, true);
	linedisc_set_history(&tc->ld, NULL);
}

/* Answers the held readLine with ev (and every waiter with true on an interrupt). */
static void answer_held_read(struct termcore *tc, enum linedisc_event ev)
{
	static uint64_t arena[ANSWER_WORDS];
	uint32_t call_id = tc->reading_call;
	struct capnp_msg m;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	fill_read(tc, capos_TerminalSession_readLine_Results_init_root(&m), ev);
	if (ev == LINEDISC_EOF)
		tc->ended = true;
	tc->reading = false;
	end_read(tc);
	send(tc, call_id, &m, 0);
	if (ev == LINEDISC_INTERRUPT)	/* Ctrl-C reaches every waitInterrupt too */
		answer_waiters(tc, true);
}

void termcore_output_drained(struct termcore *tc)
{
	uint32_t calls[TERM_WRITES_HELD_MAX], n = tc->nheld_writes;

	/* Taken off the list first, so an answer never goes twice. */
	for (uint32_t i = 0; i < n; i++)
		calls[i] = tc->held_writes[i];
	tc->nheld_writes = 0;
	for (uint32_t i = 0; i < n; i++)
		(void)server_answer_empty_port(tc->srv, tc->port, calls[i]);
}

/* Answers the held readLine with the CapException `failed`. */
static void answer_held_read_failed(struct termcore *tc)
{
	uint64_t arena[48];
	struct capos_CapException_builder e;
	struct capnp_msg m;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	e = capos_CapException_init_root(&m);
	capos_CapException_set_type(e, capos_CapException_Type_failed);
	capos_CapException_set_reason(e, tc->failed, (uint32_t)strlen(tc->failed));
	tc->reading = false;
	end_read(tc);
	send(tc, tc->reading_call, &m, CAPOS_SQE_F_EXCEPTION);
}

/* ---- input ---- */

/* Sends the line discipline's echo. */
static void flush_echo(struct termcore *tc)
{
	size_t n;
	const uint8_t *echo = linedisc_echo(&tc->ld, &n);

	if (n)
		(void)tc->ops->write(tc->ctx, echo, n);
	linedisc_echo_clear(&tc->ld);
}

/* Drops typed[0..n), keeping the rest in order. */
static void consume(struct termcore *tc, uint32_t n)
{
	memmove(tc->typed, tc->typed + n, tc->typed_len - n);
	tc->typed_len -= n;
}

/*
 * Feeds typed bytes to the line discipline until an event or none is
 * left; LINEDISC_NONE if the readLine must wait for more.
 */
static enum linedisc_event feed(struct termcore *tc)
{
	enum linedisc_event ev = LINEDISC_NONE;
	uint32_t off = 0;

	while (ev == LINEDISC_NONE && off < tc->typed_len) {
		off += (uint32_t)linedisc_feed(&tc->ld, tc->typed + off, tc->typed_len - off, &ev);
		flush_echo(tc);
	}
	consume(tc, off);
	return ev;
}

/*
 * With no readLine held: a Ctrl-C typed ahead is taken (with the partial
 * line before it, as the line discipline's Ctrl-C does), shown as "^C"
 * and answers the waiters. True if one was.
 */
static bool take_interrupt(struct termcore *tc)
{
	uint32_t i = 0, start;

	while (i < tc->typed_len && tc->typed[i] != CTRL_C)
		i++;
	if (i == tc->typed_len)
		return false;
	start = i;
	while (start > 0 && tc->typed[start - 1] != '\r' && tc->typed[start - 1] != '\n')
		start--;
	memmove(tc->typed + start, tc->typed + i + 1, tc->typed_len - i - 1);
	tc->typed_len -= i + 1 - start;
	(void)tc->ops->write(tc->ctx, (const uint8_t *)"^C\r\n", 4);
	answer_waiters(tc, true);
	return true;
}

/*
 * Keeps byte b typed ahead. Past the bound bytes are dropped, but a Ctrl-C
 * still counts: it takes the last place, since it discards the line it
 * ends anyway.
 */
static void keep(struct termcore *tc, uint8_t b)
{
	if (tc->typed_len < TERM_TYPED_MAX) {
		tc->typed[tc->typed_len++] = b;
		return;
	}
	tc->typed_dropped++;
	if (b == CTRL_C)
		tc->typed[TERM_TYPED_MAX - 1] = b;
}

bool termcore_wants_input(const struct termcore *tc, size_t chunk)
{
	if (tc->failed || tc->hung_up)
		return false;
	return TERM_TYPED_MAX - tc->typed_len >= chunk || tc->nwaiters;
}

void termcore_input(struct termcore *tc, const uint8_t *p, size_t n)
{
	enum linedisc_event ev;

	for (size_t i = 0; i < n; i++) {
		keep(tc, p[i]);
		/* At once, not after the chunk: it frees the room the bytes after it need. */
		if (p[i] == CTRL_C && !tc->reading && tc->nwaiters)
			(void)take_interrupt(tc);
	}
	if (tc->reading && (ev = feed(tc)) != LINEDISC_NONE)
		answer_held_read(tc, ev);
	if (!tc->reading && tc->nwaiters)
		(void)take_interrupt(tc);
}

void termcore_hangup(struct termcore *tc)
{
	tc->ended = true;
	tc->hung_up = true;
	if (tc->reading)
		answer_held_read(tc, LINEDISC_EOF);
	answer_waiters(tc, true);
	termcore_output_drained(tc);	/* nobody will read it: the writers go on */
}

void termcore_fail(struct termcore *tc, const char *reason)
{
	tc->failed = reason;
	if (tc->reading)
		answer_held_read_failed(tc);
}

/* ---- the TerminalSession methods ---- */

int termcore_read_line(struct termcore *tc, struct server_call *c,
		       struct capos_TerminalSession_readLine_Params p,
		       struct capos_TerminalSession_readLine_Results_builder r)
{
	enum linedisc_event ev;

	if (tc->reading)
		return server_raise(c, capos_CapException_Type_failed,
				    "a readLine is already waiting");
	if (tc->ended) {
		fill_read(tc, r, LINEDISC_EOF);
		return 0;
	}
	tc->ops->want_input(tc->ctx);
	if (tc->failed)
		return server_raise(c, capos_CapException_Type_failed, tc->failed);
	begin_read(tc, capos_TerminalSession_readLine_Params_get_echo(p),
		   capos_TerminalSession_readLine_Params_get_history(p));
	ev = feed(tc);			/* a line typed ahead answers at once */
	tc->ops->want_input(tc->ctx);	/* the feed made room: a paused read goes on */
	if (ev != LINEDISC_NONE) {
		end_read(tc);
		if (ev == LINEDISC_EOF)
			tc->ended = true;
		fill_read(tc, r, ev);
		if (ev == LINEDISC_INTERRUPT)
			answer_waiters(tc, true);
		return 0;
	}
	tc->reading = true;
	tc->reading_call = c->call_id;
	return SERVER_HELD;
}

int termcore_write(struct termcore *tc, struct server_call *c, struct capnp_data d)
{
	static uint8_t out[2 * TERMINAL_WRITE_MAX];	/* "\n" made "\r\n" */
	size_t n = 0;

	int rc;

	if (d.len > TERMINAL_WRITE_MAX)
		return server_raise(c, capos_CapException_Type_invalidArgument, "data too long");
	if (tc->nheld_writes == TERM_WRITES_HELD_MAX)
		return server_raise(c, capos_CapException_Type_overloaded,
				    "4 writes wait for the terminal's output");
	for (uint32_t i = 0; i < d.len; i++) {
		if (d.ptr[i] == '\n')
			out[n++] = '\r';
		out[n++] = d.ptr[i];
	}
	rc = n ? tc->ops->write(tc->ctx, out, n) : 0;
	if (rc == TERMCORE_WRITE_HELD) {
		tc->held_writes[tc->nheld_writes++] = c->call_id;
		return SERVER_HELD;
	}
	if (rc == CAPOS_ERR_BUSY)
		return server_raise(c, capos_CapException_Type_overloaded,
				    "the terminal's output is full");
	if (rc)
		return server_raise(c, capos_CapException_Type_failed,
				    tc->failed ? tc->failed : "the terminal's output failed");
	return 0;
}

void termcore_close(struct termcore *tc)
{
	if (tc->reading)
		answer_held_read(tc, LINEDISC_EOF);
	answer_waiters(tc, false);
	termcore_output_drained(tc);
}

int termcore_wait_interrupt(struct termcore *tc, struct server_call *c,
			    struct capos_TerminalSession_waitInterrupt_Results_builder r)
{
	if (tc->nwaiters == TERM_WAITERS_MAX)
		return server_raise(c, capos_CapException_Type_overloaded,
				    "4 waitInterrupt calls wait already");
	if (tc->hung_up) {
		/* Nobody will type a Ctrl-C again: the program is told to stop now. */
		capos_TerminalSession_waitInterrupt_Results_set_interrupted(r, true);
		return 0;
	}
	tc->waiters[tc->nwaiters++] = c->call_id;
	tc->ops->want_input(tc->ctx);
	/* A Ctrl-C typed ahead with no readLine to take it answers at once. */
	if (!tc->reading)
		(void)take_interrupt(tc);
	return SERVER_HELD;
}

void termcore_cancel_interrupt(struct termcore *tc)
{
	answer_waiters(tc, false);
}
