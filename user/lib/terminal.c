// SPDX-License-Identifier: MIT
/*
 * TerminalSession client (terminal.h). printf uses terminal_write (print.c),
 * so every program links this file: its buffers therefore come from the
 * heap on the first call, as client.c's do, and a program that never talks
 * to a terminal does not pay for 10 KiB of zeroed pages at spawn.
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "client.h"
#include "heap.h"
#include "ipc_call.h"
#include "terminal.h"
#include "ustring.h"

/* Params of a write: framing and pointers, then the data. */
#define TERM_PARAMS_WORDS ((TERMINAL_WRITE_MAX + 64) / 8)
/* An answer of readLine: framing and pointers, then a line; or a CapException. */
#define TERM_RESULT_WORDS ((TERMINAL_LINE_MAX + 64 + 256) / 8)

struct term_bufs {
	uint64_t arena[TERM_PARAMS_WORDS];	/* params being built */
	uint64_t params[TERM_PARAMS_WORDS];	/* params framed */
	uint64_t result[TERM_RESULT_WORDS];
	struct terminal_interrupt_wait wait;	/* terminal_wait_interrupt's */
};

static struct term_bufs *term_buf;

/* Starts building params in *m; false if the buffers cannot be had. */
static bool term_begin(struct capnp_msg *m)
{
	if (!term_buf)
		term_buf = malloc(sizeof(*term_buf));
	if (!term_buf)
		return false;
	capnp_msg_init_build(m, term_buf->arena, sizeof(term_buf->arena));
	return true;
}

/* Frames m and calls method; the answer is open in *m. 0 or the error. */
static int term_call(capos_cap_t term, uint16_t method, struct capnp_msg *m)
{
	return client_call_framed(term, method, m, term_buf->params, sizeof(term_buf->params),
				  term_buf->result, sizeof(term_buf->result));
}

int terminal_read_line(capos_cap_t term, bool echo, bool history, char *buf, size_t *len,
		       enum terminal_event *ev)
{
	struct capos_TerminalSession_readLine_Params_builder p;
	struct capos_TerminalSession_readLine_Results res;
	struct capnp_data d;
	struct capnp_msg m;
	uint16_t e;
	int ret;

	*len = 0;
	buf[0] = '\0';
	if (!term_begin(&m))
		return CAPOS_ERR_NO_MEMORY;
	p = capos_TerminalSession_readLine_Params_init_root(&m);
	capos_TerminalSession_readLine_Params_set_echo(p, echo);
	capos_TerminalSession_readLine_Params_set_history(p, history);
	ret = term_call(term, capos_TerminalSession_readLine, &m);
	if (ret < 0)
		return ret;
	res = capos_TerminalSession_readLine_Results_root(&m);
	d = capos_TerminalSession_readLine_Results_get_line(res);
	e = (uint16_t)capos_TerminalSession_readLine_Results_get_event(res);
	if (capnp_msg_error(&m) || d.len > TERMINAL_LINE_MAX || e > TERMINAL_TOO_LONG ||
	    (e != TERMINAL_LINE && d.len))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	memcpy(buf, d.ptr, d.len);
	buf[d.len] = '\0';
	*len = d.len;
	*ev = (enum terminal_event)e;
	return 0;
}

int terminal_write(capos_cap_t term, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	while (n) {
		uint32_t chunk = n > TERMINAL_WRITE_MAX ? TERMINAL_WRITE_MAX : (uint32_t)n;
		struct capnp_msg m;
		int ret;

		if (!term_begin(&m))
			return CAPOS_ERR_NO_MEMORY;
		capos_TerminalSession_write_Params_set_data(
			capos_TerminalSession_write_Params_init_root(&m), p, chunk);
		ret = term_call(term, capos_TerminalSession_write, &m);
		if (ret < 0)
			return ret;
		p += chunk;
		n -= chunk;
	}
	return 0;
}

int terminal_puts(capos_cap_t term, const char *s)
{
	return terminal_write(term, s, strlen(s));
}

int terminal_close(capos_cap_t term)
{
	struct capnp_msg m;
	int ret;

	if (!term_begin(&m))
		return CAPOS_ERR_NO_MEMORY;
	capos_TerminalSession_close_Params_init_root(&m);
	ret = term_call(term, capos_TerminalSession_close, &m);
	return ret < 0 ? ret : 0;
}

int terminal_cancel_interrupt(capos_cap_t term)
{
	struct capnp_msg m;
	int ret;

	if (!term_begin(&m))
		return CAPOS_ERR_NO_MEMORY;
	capos_TerminalSession_cancelInterrupt_Params_init_root(&m);
	ret = term_call(term, capos_TerminalSession_cancelInterrupt, &m);
	return ret < 0 ? ret : 0;
}

int terminal_wait_interrupt_submit(struct uring *r, capos_cap_t term,
				   struct terminal_interrupt_wait *w)
{
	uint64_t arena[4];
	struct capnp_msg m;
	size_t plen;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_TerminalSession_waitInterrupt_Params_init_root(&m);
	if (capnp_msg_write(&m, w->params, sizeof(w->params), &plen))
		return CAPOS_ERR_TOO_LARGE;
	return uring_queue(r, &(struct capos_sqe){
		.opcode = CAPOS_OP_CALL,
		.cap_id = term,
		.params_addr = (uint64_t)(uintptr_t)w->params,
		.params_len = (uint32_t)plen,
		.result_addr = (uint64_t)(uintptr_t)w->result,
		.result_len = sizeof(w->result),
		.method_id = capos_TerminalSession_waitInterrupt,
	}, &w->user_data);
}

int terminal_wait_interrupt_decode(struct terminal_interrupt_wait *w,
				   const struct capos_cqe *cqe, bool *interrupted)
{
	struct capos_TerminalSession_waitInterrupt_Results res;
	struct capnp_msg m;
	bool yes;

	int err;

	w->cqe = *cqe;
	err = client_open_answer(cqe, w->result, sizeof(w->result), &m);
	if (err)
		return err;
	res = capos_TerminalSession_waitInterrupt_Results_root(&m);
	yes = capos_TerminalSession_waitInterrupt_Results_get_interrupted(res);
	if (capnp_msg_error(&m))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*interrupted = yes;
	return 0;
}

int terminal_wait_interrupt_end(struct uring *r, struct terminal_interrupt_wait *w,
				uint64_t timeout_ns, bool *interrupted)
{
	struct capos_cqe cqe;
	int err = ipc_wait_id(r, w->user_data, timeout_ns, &cqe);

	return err ? err : terminal_wait_interrupt_decode(w, &cqe, interrupted);
}

int terminal_wait_interrupt(capos_cap_t term, bool *interrupted)
{
	struct capnp_msg m;
	int err;

	if (!client_ring)
		return CAPOS_ERR_INVALID_ARGUMENT;
	if (!term_begin(&m))
		return CAPOS_ERR_NO_MEMORY;
	err = terminal_wait_interrupt_submit(client_ring, term, &term_buf->wait);
	return err ? err : terminal_wait_interrupt_end(client_ring, &term_buf->wait,
						       CAPOS_TIMEOUT_INFINITE, interrupted);
}
