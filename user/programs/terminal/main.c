// SPDX-License-Identifier: MIT
/*
 * terminal: the serial terminal service (docs/terminal.md). It holds the
 * SerialPort granted as "serial", runs the line discipline over what is
 * typed on COM1, and serves one TerminalSession on the endpoint it exports
 * as "session", for its one client (the shell). The client sees lines and
 * events, never bytes, so a socket gateway can serve the same interface.
 *
 * Asynchronous: one SerialPort.read stays in flight (input.c) from the
 * first readLine or waitInterrupt on (before that, what is typed waits in
 * the kernel's buffer, and the first read that waits still marks the
 * first prompt for make bench's boot_to_login), and a
 * readLine with no line ready yet is held (SERVER_HELD) until the line
 * discipline ends a line or reports an event, while write, close,
 * waitInterrupt and cancelInterrupt are still served. Held calls are
 * answered by answer.c. close answers every held call (readLine: end;
 * waitInterrupt: false), then the service exits 0; it exits 2 without its
 * port or endpoint, or when serving fails.
 */
#include <capos/interfaces.h>

#include "rt.h"
#include "service.h"
#include "terminal.h"

struct term term;
static uint8_t out[2 * TERMINAL_WRITE_MAX];	/* a write with "\n" made "\r\n" */

static int do_read_line(void *ctx, struct capos_TerminalSession_readLine_Params p,
			struct capos_TerminalSession_readLine_Results_builder r)
{
	struct server_call *c = ctx;
	enum linedisc_event ev;

	if (term.reading)
		return server_raise(c, capos_CapException_Type_failed,
				    "a readLine is already waiting");
	if (term.ended) {
		answer_fill_read(r, LINEDISC_EOF);
		return 0;
	}
	input_submit_read();
	if (term.port_failed)
		return server_raise(c, capos_CapException_Type_failed, "the serial port failed");
	input_begin_read(capos_TerminalSession_readLine_Params_get_echo(p),
			 capos_TerminalSession_readLine_Params_get_history(p));
	ev = input_feed();	/* a line typed ahead answers at once */
	if (ev != LINEDISC_NONE) {
		input_end_read();
		if (ev == LINEDISC_EOF)
			term.ended = true;
		answer_fill_read(r, ev);
		if (ev == LINEDISC_INTERRUPT)
			answer_waiters(true);
		return 0;
	}
	term.reading = true;
	term.reading_call = c->call_id;
	return SERVER_HELD;
}

static int do_write(void *ctx, struct capos_TerminalSession_write_Params p,
		    struct capos_TerminalSession_write_Results_builder r)
{
	struct capnp_data d = capos_TerminalSession_write_Params_get_data(p);
	size_t n = 0;
	int err = 0;

	(void)r;
	if (d.len > TERMINAL_WRITE_MAX)
		return server_raise(ctx, capos_CapException_Type_invalidArgument, "data too long");
	for (uint32_t i = 0; i < d.len; i++) {
		if (d.ptr[i] == '\n')
			out[n++] = '\r';
		out[n++] = d.ptr[i];
	}
	if (n)
		err = serial_write(term.port, out, n);
	if (err)
		return server_raise(ctx, capos_CapException_Type_failed, "the serial port failed");
	return 0;
}

static int do_close(void *ctx, struct capos_TerminalSession_close_Params p,
		    struct capos_TerminalSession_close_Results_builder r)
{
	(void)ctx;
	(void)p;
	(void)r;
	if (term.reading)
		answer_held_read(LINEDISC_EOF);
	answer_waiters(false);
	return SERVER_STOP;
}

static int do_wait_interrupt(void *ctx, struct capos_TerminalSession_waitInterrupt_Params p,
			     struct capos_TerminalSession_waitInterrupt_Results_builder r)
{
	struct server_call *c = ctx;

	(void)p;
	(void)r;
	if (term.nwaiters == TERM_WAITERS_MAX)
		return server_raise(c, capos_CapException_Type_overloaded,
				    "4 waitInterrupt calls wait already");
	term.waiters[term.nwaiters++] = c->call_id;
	input_submit_read();
	/* A Ctrl-C typed ahead with no readLine to take it answers at once. */
	if (!term.reading)
		(void)input_take_interrupt();
	return SERVER_HELD;
}

static int do_cancel_interrupt(void *ctx, struct capos_TerminalSession_cancelInterrupt_Params p,
			       struct capos_TerminalSession_cancelInterrupt_Results_builder r)
{
	(void)ctx;
	(void)p;
	(void)r;
	answer_waiters(false);
	return 0;
}

int main(void)
{
	static const struct capos_TerminalSession_server impl = {
		.readLine = do_read_line,
		.write = do_write,
		.close = do_close,
		.waitInterrupt = do_wait_interrupt,
		.cancelInterrupt = do_cancel_interrupt,
	};
	capos_cap_t ep = rt_cap("session", CAPOS_IFACE_ENDPOINT);
	int err;

	term.port = rt_cap("serial", CAPOS_IFACE_SERIAL_PORT);
	if (term.port == CAPOS_CAP_INVALID || ep == CAPOS_CAP_INVALID) {
		printf("terminal: needs a SerialPort \"serial\" and an endpoint \"session\"\n");
		return 2;
	}
	linedisc_init(&term.ld);
	shell_history_init(&term.history);
	err = server_init(&term.srv, &rt.ring, ep, capos_TerminalSession_TYPE_ID,
			  capos_TerminalSession_dispatch_any, &impl);
	if (!err) {
		server_set_other(&term.srv, input_on_completion, NULL);
		err = server_run(&term.srv);
	}
	if (err)
		printf("terminal: serving failed: %s\n", capos_strerror(err));
	return err ? 2 : 0;
}
