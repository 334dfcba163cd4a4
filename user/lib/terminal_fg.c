// SPDX-License-Identifier: MIT
/* TerminalSession.readLine through a caller's ipc_call, wiped after (terminal_fg.h). */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "client.h"
#include "terminal_fg.h"
#include "ustring.h"

/* The bytes of c that held the line: the answer (the params hold nothing secret). */
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
