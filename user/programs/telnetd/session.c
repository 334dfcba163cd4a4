// SPDX-License-Identifier: MIT
/*
 * The TerminalSession of each connection (telnetd.h): every port of the
 * gateway's server is one connection's endpoint, its port_ctx the struct
 * conn, and every call goes to that connection's terminal core
 * (user/lib/termcore.h), the same code as COM1's terminal. close answers
 * the held calls; the connection itself ends when its broker exits.
 */
#include "telnetd.h"

static struct conn *conn_of(void *ctx)
{
	return ((struct server_call *)ctx)->port_ctx;
}

static int do_read_line(void *ctx, struct capos_TerminalSession_readLine_Params p,
			struct capos_TerminalSession_readLine_Results_builder r)
{
	return termcore_read_line(&conn_of(ctx)->core, ctx, p, r);
}

static int do_write(void *ctx, struct capos_TerminalSession_write_Params p,
		    struct capos_TerminalSession_write_Results_builder r)
{
	(void)r;
	return termcore_write(&conn_of(ctx)->core, ctx,
			      capos_TerminalSession_write_Params_get_data(p));
}

static int do_close(void *ctx, struct capos_TerminalSession_close_Params p,
		    struct capos_TerminalSession_close_Results_builder r)
{
	(void)p;
	(void)r;
	termcore_close(&conn_of(ctx)->core);
	return 0;
}

static int do_wait_interrupt(void *ctx, struct capos_TerminalSession_waitInterrupt_Params p,
			     struct capos_TerminalSession_waitInterrupt_Results_builder r)
{
	(void)p;
	return termcore_wait_interrupt(&conn_of(ctx)->core, ctx, r);
}

static int do_cancel_interrupt(void *ctx, struct capos_TerminalSession_cancelInterrupt_Params p,
			       struct capos_TerminalSession_cancelInterrupt_Results_builder r)
{
	(void)p;
	(void)r;
	termcore_cancel_interrupt(&conn_of(ctx)->core);
	return 0;
}

const struct capos_TerminalSession_server session_impl = {
	.readLine = do_read_line,
	.write = do_write,
	.close = do_close,
	.waitInterrupt = do_wait_interrupt,
	.cancelInterrupt = do_cancel_interrupt,
};
