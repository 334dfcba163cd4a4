// SPDX-License-Identifier: MIT
/*
 * terminal: the serial terminal service (docs/terminal.md). It holds the
 * SerialPort granted as "serial", runs the line discipline over what is
 * typed on COM1, and serves one TerminalSession on the endpoint it exports
 * as "session", for its one client (the shell). The client sees lines and
 * events, never bytes, so a socket gateway can serve the same interface.
 *
 * readLine is answered synchronously: the handler reads the port (the read
 * waits in cap_enter, no polling) until the line discipline ends a line or
 * reports an event. Bytes read past that end stay here for the next
 * readLine, so typing ahead loses nothing and each line gets the echo mode
 * its own readLine asked for. close answers, then the service exits 0;
 * it exits 2 without its port or endpoint, or when serving fails.
 */
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "linedisc.h"
#include "rt.h"
#include "serial.h"
#include "server.h"
#include "terminal.h"

static struct server srv;
static capos_cap_t port;
static struct linedisc ld;
static bool ended;				/* Ctrl-D seen: every readLine answers end */
static uint8_t in[SERIAL_READ_MAX];		/* bytes read, not fed yet: in[in_off..in_len) */
static uint32_t in_off, in_len;
static uint8_t out[2 * TERMINAL_WRITE_MAX];	/* a write with "\n" made "\r\n" */

/* Feeds buffered bytes (reading more when none is left) until an event. */
static int next_event(enum linedisc_event *ev)
{
	*ev = LINEDISC_NONE;
	while (*ev == LINEDISC_NONE) {
		size_t used, elen;
		const uint8_t *echo;
		int err;

		if (in_off == in_len) {
			err = serial_read(port, in, sizeof(in), &in_len);
			if (err)
				return err;
			in_off = 0;
		}
		used = linedisc_feed(&ld, in + in_off, in_len - in_off, ev);
		in_off += (uint32_t)used;
		echo = linedisc_echo(&ld, &elen);
		if (elen && (err = serial_write(port, echo, elen)) != 0)
			return err;
		linedisc_echo_clear(&ld);
	}
	return 0;
}

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

static int do_read_line(void *ctx, struct capos_TerminalSession_readLine_Params p,
			struct capos_TerminalSession_readLine_Results_builder r)
{
	enum linedisc_event ev = LINEDISC_EOF;
	int err = 0;

	if (!ended) {
		linedisc_set_echo(&ld, capos_TerminalSession_readLine_Params_get_echo(p));
		err = next_event(&ev);
		linedisc_set_echo(&ld, true);
	}
	if (err)
		return server_raise(ctx, capos_CapException_Type_failed, "the serial port failed");
	if (ev == LINEDISC_EOF)
		ended = true;
	if (ev == LINEDISC_LINE) {
		size_t n;
		const uint8_t *line = linedisc_line(&ld, &n);

		capos_TerminalSession_readLine_Results_set_line(r, line, (uint32_t)n);
	}
	capos_TerminalSession_readLine_Results_set_event(r, event_of(ev));
	return 0;
}

static int do_write(void *ctx, struct capos_TerminalSession_write_Params p,
		    struct capos_TerminalSession_write_Results_builder r)
{
	struct capnp_data d = capos_TerminalSession_write_Params_get_data(p);
	size_t n = 0;

	(void)r;
	if (d.len > TERMINAL_WRITE_MAX)
		return server_raise(ctx, capos_CapException_Type_invalidArgument, "data too long");
	for (uint32_t i = 0; i < d.len; i++) {
		if (d.ptr[i] == '\n')
			out[n++] = '\r';
		out[n++] = d.ptr[i];
	}
	if (n && serial_write(port, out, n))
		return server_raise(ctx, capos_CapException_Type_failed, "the serial port failed");
	return 0;
}

static int do_close(void *ctx, struct capos_TerminalSession_close_Params p,
		    struct capos_TerminalSession_close_Results_builder r)
{
	(void)ctx;
	(void)p;
	(void)r;
	return SERVER_STOP;
}

int main(void)
{
	static const struct capos_TerminalSession_server impl = {
		.readLine = do_read_line,
		.write = do_write,
		.close = do_close,
	};
	capos_cap_t ep = rt_cap("session", CAPOS_IFACE_ENDPOINT);
	int err;

	port = rt_cap("serial", CAPOS_IFACE_SERIAL_PORT);
	if (port == CAPOS_CAP_INVALID || ep == CAPOS_CAP_INVALID) {
		printf("terminal: needs a SerialPort \"serial\" and an endpoint \"session\"\n");
		return 2;
	}
	linedisc_init(&ld);
	err = server_init(&srv, &rt.ring, ep, capos_TerminalSession_TYPE_ID,
			  capos_TerminalSession_dispatch_any, &impl);
	if (!err)
		err = server_run(&srv);
	if (err)
		printf("terminal: serving failed: %s\n", capos_strerror(err));
	return err ? 2 : 0;
}
