// SPDX-License-Identifier: MIT
/*
 * terminal: the serial terminal service (docs/terminal.md). It holds the
 * SerialPort granted as "serial", runs the line discipline over what is
 * typed on COM1, and serves one TerminalSession on the endpoint it exports
 * as "session", for its one client (the shell). The client sees lines and
 * events, never bytes, so a socket gateway can serve the same interface.
 *
 * The TerminalSession itself is the terminal core (user/lib/termcore.h),
 * shared with the telnet gateway; this program moves COM1's bytes.
 * Asynchronous: one SerialPort.read stays in flight (input.c) from the
 * first readLine or waitInterrupt on (before that, what is typed waits in
 * the kernel's buffer, and the first read that waits still marks the
 * first prompt for make bench's boot_to_login), and a
 * readLine with no line ready yet is held (SERVER_HELD) until the line
 * discipline ends a line or reports an event, while write, close,
 * waitInterrupt and cancelInterrupt are still served. Held calls are
 * answered by the core. close answers every held call (readLine: end;
 * waitInterrupt: false), then the service exits 0; it exits 2 without its
 * port or endpoint, or when serving fails.
 */
#include <capos/interfaces.h>

#include "rt.h"
#include "service.h"
#include "terminal.h"

struct term term;

static int do_read_line(void *ctx, struct capos_TerminalSession_readLine_Params p,
			struct capos_TerminalSession_readLine_Results_builder r)
{
	return termcore_read_line(&term.core, ctx, p, r);
}

static int do_write(void *ctx, struct capos_TerminalSession_write_Params p,
		    struct capos_TerminalSession_write_Results_builder r)
{
	(void)r;
	return termcore_write(&term.core, ctx, capos_TerminalSession_write_Params_get_data(p));
}

static int do_close(void *ctx, struct capos_TerminalSession_close_Params p,
		    struct capos_TerminalSession_close_Results_builder r)
{
	(void)ctx;
	(void)p;
	(void)r;
	termcore_close(&term.core);
	return SERVER_STOP;
}

static int do_wait_interrupt(void *ctx, struct capos_TerminalSession_waitInterrupt_Params p,
			     struct capos_TerminalSession_waitInterrupt_Results_builder r)
{
	(void)p;
	return termcore_wait_interrupt(&term.core, ctx, r);
}

static int do_cancel_interrupt(void *ctx, struct capos_TerminalSession_cancelInterrupt_Params p,
			       struct capos_TerminalSession_cancelInterrupt_Results_builder r)
{
	(void)ctx;
	(void)p;
	(void)r;
	termcore_cancel_interrupt(&term.core);
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
	termcore_init(&term.core, &term.srv, 0, &serial_term_ops, NULL);
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
