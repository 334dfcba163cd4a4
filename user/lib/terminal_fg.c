// SPDX-License-Identifier: MIT
/* TerminalSession's foreground calls (terminal_fg.h), through ipc_call. */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "client.h"
#include "terminal_fg.h"
#include "ustring.h"

/* The bytes of c that held the line (the answer, and the params of nothing secret). */
static void terminal_fg_clear(struct ipc_call *c)
{
	memset(c->result, 0, sizeof(c->result));
}

static int terminal_fg_read_answer(struct ipc_call *c, char *buf, size_t *len,
				   enum terminal_event *ev)
{
	struct capos_TerminalSession_readLine_Results res;
	struct capnp_data d;
	uint16_t e;

	res = capos_TerminalSession_readLine_Results_root(&c->msg);
	d = capos_TerminalSession_readLine_Results_get_line(res);
	e = (uint16_t)capos_TerminalSession_readLine_Results_get_event(res);
	if (capnp_msg_error(&c->msg) || d.len > TERMINAL_LINE_MAX || e > TERMINAL_TOO_LONG ||
	    (e != TERMINAL_LINE && d.len))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	memcpy(buf, d.ptr, d.len);
	buf[d.len] = '\0';
	*len = d.len;
	*ev = (enum terminal_event)e;
	return 0;
}

int terminal_read_line_with(struct ipc_call *c, capos_cap_t term, bool echo, bool history,
			    char *buf, size_t *len, enum terminal_event *ev)
{
	struct capos_TerminalSession_readLine_Params_builder p;
	int ret;

	*len = 0;
	buf[0] = '\0';
	ipc_call_begin(c);
	p = capos_TerminalSession_readLine_Params_init_root(&c->msg);
	capos_TerminalSession_readLine_Params_set_echo(p, echo);
	capos_TerminalSession_readLine_Params_set_history(p, history);
	ret = ipc_call_run(client_ring, c, term, capos_TerminalSession_readLine);
	if (ret >= 0)
		ret = terminal_fg_read_answer(c, buf, len, ev);
	terminal_fg_clear(c);
	return ret < 0 ? ret : 0;
}

int terminal_interrupt_submit(struct ipc_call *c, capos_cap_t term)
{
	ipc_call_begin(c);
	capos_TerminalSession_waitInterrupt_Params_init_root(&c->msg);
	return ipc_call_submit(client_ring, c, term, capos_TerminalSession_waitInterrupt);
}

int terminal_interrupt_read(struct ipc_call *c, int status, bool *interrupted)
{
	struct capos_TerminalSession_waitInterrupt_Results res;
	bool v;

	if (status < 0)
		return status;
	res = capos_TerminalSession_waitInterrupt_Results_root(&c->msg);
	v = capos_TerminalSession_waitInterrupt_Results_get_interrupted(res);
	if (capnp_msg_error(&c->msg))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*interrupted = v;
	return 0;
}

int terminal_cancel_interrupt(struct ipc_call *c, capos_cap_t term)
{
	int ret;

	ipc_call_begin(c);
	capos_TerminalSession_cancelInterrupt_Params_init_root(&c->msg);
	ret = ipc_call_run(client_ring, c, term, capos_TerminalSession_cancelInterrupt);
	return ret < 0 ? ret : 0;
}
