// SPDX-License-Identifier: MIT
/*
 * The TerminalSession client (user/lib/terminal.c) against the simulated
 * kernel, whose CALL hook plays the terminal service: readLine sends both
 * flags and reads only answers inside the schema's bounds; waitInterrupt
 * without blocking (submit, end, is, decode), several in flight; a
 * CapException (overloaded) reaches client_exception(); cancelInterrupt.
 */
#include <capos/errors.h>

#include "../test.h"
#include "capos.capnp.h"
#include "client.h"
#include "fake_kernel.h"
#include "terminal.h"

#define TT_TERM 0x10007u

/* What the fake terminal saw and will answer. */
static struct {
	unsigned calls;
	uint16_t method;
	bool echo, history;		/* readLine's params */
	uint32_t line_len;		/* readLine answers this many 'L' bytes ... */
	uint16_t event;			/* ... with this event */
	bool interrupted;		/* waitInterrupt's answer */
	int raise;			/* answer with CapException overloaded */
} tt;

static struct capnp_msg tt_in, tt_out;
static uint64_t tt_arena[1024];
static char tt_line[4096];

static void tt_call(const struct capos_sqe *s, struct capos_cqe *c)
{
	struct capos_TerminalSession_readLine_Params p;
	size_t n = 0;

	tt.calls++;
	tt.method = s->method_id;
	capnp_msg_init_read(&tt_in, (void *)(uintptr_t)s->params_addr, s->params_len);
	capnp_msg_init_build(&tt_out, tt_arena, sizeof(tt_arena));
	if (tt.raise) {
		struct capos_CapException_builder e = capos_CapException_init_root(&tt_out);

		capos_CapException_set_type(e, capos_CapException_Type_overloaded);
		capos_CapException_set_reason(e, "busy", 4);
	} else if (s->method_id == capos_TerminalSession_readLine) {
		struct capos_TerminalSession_readLine_Results_builder r =
			capos_TerminalSession_readLine_Results_init_root(&tt_out);

		p = capos_TerminalSession_readLine_Params_root(&tt_in);
		tt.echo = capos_TerminalSession_readLine_Params_get_echo(p);
		tt.history = capos_TerminalSession_readLine_Params_get_history(p);
		memset(tt_line, 'L', tt.line_len);
		capos_TerminalSession_readLine_Results_set_line(r, tt_line, tt.line_len);
		capos_TerminalSession_readLine_Results_set_event(r, tt.event);
	} else if (s->method_id == capos_TerminalSession_waitInterrupt) {
		capos_TerminalSession_waitInterrupt_Results_set_interrupted(
			capos_TerminalSession_waitInterrupt_Results_init_root(&tt_out),
			tt.interrupted);
	} else {
		capos_TerminalSession_cancelInterrupt_Results_init_root(&tt_out);
	}
	if (capnp_msg_write(&tt_out, (void *)(uintptr_t)s->result_addr, s->result_len, &n)) {
		c->result = CAPOS_ERR_RESULT_TOO_SMALL;
		return;
	}
	c->written = (uint32_t)n;
	c->result = tt.raise ? CAPOS_ERR_APPLICATION_EXCEPTION : (int32_t)n;
}

static struct uring tt_ring;

static void tt_setup(void)
{
	memset(&tt, 0, sizeof(tt));
	fk_reset(0);
	fk.call = tt_call;
	uring_stash_free(&tt_ring);
	if (uring_init(&tt_ring, fk_ring_addr()))
		abort();
	client_ring = &tt_ring;
}

TEST(read_line_sends_echo_and_history_and_returns_the_line)
{
	static char buf[TERMINAL_LINE_MAX + 1];
	enum terminal_event ev = TERMINAL_END;
	size_t len = 0;

	tt_setup();
	tt.line_len = 3;
	CHECK_EQ(terminal_read_line(TT_TERM, false, true, buf, &len, &ev), 0);
	CHECK(!tt.echo && tt.history);
	CHECK_EQ(len, 3);
	CHECK(memcmp(buf, "LLL", 4) == 0);
	CHECK_EQ(ev, TERMINAL_LINE);
	CHECK_EQ(terminal_read_line(TT_TERM, true, false, buf, &len, &ev), 0);
	CHECK(tt.echo && !tt.history);
	tt.line_len = TERMINAL_LINE_MAX;	/* the bound itself is fine */
	CHECK_EQ(terminal_read_line(TT_TERM, true, true, buf, &len, &ev), 0);
	CHECK_EQ(len, TERMINAL_LINE_MAX);
	CHECK_EQ(buf[TERMINAL_LINE_MAX], '\0');
}

TEST(read_line_refuses_answers_out_of_bounds)
{
	static char buf[TERMINAL_LINE_MAX + 1];
	enum terminal_event ev;
	size_t len = 9;

	tt_setup();
	tt.line_len = TERMINAL_LINE_MAX + 1;
	CHECK_EQ(terminal_read_line(TT_TERM, true, true, buf, &len, &ev),
		 CAPOS_ERR_MALFORMED_MESSAGE);
	CHECK_EQ(len, 0);
	tt.line_len = 0;
	tt.event = TERMINAL_TOO_LONG + 1;	/* no such event */
	CHECK_EQ(terminal_read_line(TT_TERM, true, true, buf, &len, &ev),
		 CAPOS_ERR_MALFORMED_MESSAGE);
	tt.line_len = 2;
	tt.event = TERMINAL_INTERRUPT;		/* a line only with event line */
	CHECK_EQ(terminal_read_line(TT_TERM, true, true, buf, &len, &ev),
		 CAPOS_ERR_MALFORMED_MESSAGE);
}

TEST(a_refused_read_line_reaches_client_exception)
{
	static char buf[TERMINAL_LINE_MAX + 1];
	enum terminal_event ev;
	size_t len;

	tt_setup();
	tt.raise = 1;
	CHECK_EQ(terminal_read_line(TT_TERM, true, true, buf, &len, &ev),
		 CAPOS_ERR_APPLICATION_EXCEPTION);
	CHECK_EQ(client_exception()->type, capos_CapException_Type_overloaded);
	CHECK_STR(client_exception()->reason, "busy");
}

TEST(wait_interrupt_in_flight_is_matched_and_decoded)
{
	static struct terminal_interrupt_wait w[3];
	struct capos_cqe cqe;
	bool interrupted = false;
	int found = 0;

	tt_setup();
	tt.interrupted = true;
	for (int i = 0; i < 3; i++)
		CHECK_EQ(terminal_wait_interrupt_submit(&tt_ring, TT_TERM, &w[i]), 0);
	CHECK_EQ(tt.calls, 0);	/* queued, not sent */
	CHECK_EQ(terminal_wait_interrupt_end(&tt_ring, &w[2], CAPOS_TIMEOUT_INFINITE,
					     &interrupted), 0);
	CHECK(interrupted);
	CHECK_EQ(tt.method, capos_TerminalSession_waitInterrupt);
	while (uring_reap(&tt_ring, &cqe)) {	/* a loop that reaps for itself */
		interrupted = false;
		if (terminal_wait_interrupt_is(&w[0], &cqe) &&
		    terminal_wait_interrupt_decode(&w[0], &cqe, &interrupted) == 0 && interrupted)
			found++;
		CHECK(!terminal_wait_interrupt_is(&w[2], &cqe));
	}
	CHECK_EQ(found, 1);
	CHECK_EQ(tt.calls, 3);
}

TEST(wait_interrupt_cancelled_or_refused)
{
	bool interrupted = true;

	tt_setup();
	CHECK_EQ(terminal_wait_interrupt(TT_TERM, &interrupted), 0);
	CHECK(!interrupted);
	tt.raise = 1;
	CHECK_EQ(terminal_wait_interrupt(TT_TERM, &interrupted), CAPOS_ERR_APPLICATION_EXCEPTION);
	CHECK_EQ(client_exception()->type, capos_CapException_Type_overloaded);
	tt.raise = 0;
	CHECK_EQ(terminal_cancel_interrupt(TT_TERM), 0);
	CHECK_EQ(tt.method, capos_TerminalSession_cancelInterrupt);
}

TEST(a_garbage_wait_answer_is_malformed)
{
	static struct terminal_interrupt_wait w;
	struct capos_cqe cqe = { .opcode = CAPOS_OP_CALL, .result = 16, .written = 16 };
	bool interrupted = true;

	memset(w.result, 0xff, 16);
	CHECK_EQ(terminal_wait_interrupt_decode(&w, &cqe, &interrupted),
		 CAPOS_ERR_MALFORMED_MESSAGE);
	cqe.written = sizeof(w.result) + 8;
	CHECK_EQ(terminal_wait_interrupt_decode(&w, &cqe, &interrupted),
		 CAPOS_ERR_MALFORMED_MESSAGE);
	CHECK(interrupted);	/* untouched */
}

int main(void)
{
	RUN(read_line_sends_echo_and_history_and_returns_the_line);
	RUN(read_line_refuses_answers_out_of_bounds);
	RUN(a_refused_read_line_reaches_client_exception);
	RUN(wait_interrupt_in_flight_is_matched_and_decoded);
	RUN(wait_interrupt_cancelled_or_refused);
	RUN(a_garbage_wait_answer_is_malformed);
	TEST_EXIT();
}
