// SPDX-License-Identifier: MIT
/*
 * The terminal's input (terminal.h). One SerialPort.read is kept in flight,
 * a CALL of our own that the kernel holds until a byte comes (no polling);
 * its completion reaches input_on_completion from inside the server loop,
 * so a readLine can be held while write, close and the interrupt calls are
 * served. Bytes are not fed to the line discipline when they arrive but
 * when a readLine takes them, with that call's echo and history: a password
 * typed ahead of its prompt is never shown. With no readLine held, a Ctrl-C
 * goes to the waitInterrupt callers, if any.
 */
#include <capos/errors.h>

#include "service.h"
#include "ustring.h"

#define CTRL_C 0x03

/* Queues the read's CALL; the server loop's next cap_enter sends it. */
static int submit(void)
{
	uint64_t arena[4];
	struct capnp_msg m;
	size_t plen;
	int err;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_SerialPort_read_Params_set_max(capos_SerialPort_read_Params_init_root(&m),
					     SERIAL_READ_MAX);
	if (capnp_msg_write(&m, term.read_params, sizeof(term.read_params), &plen))
		return CAPOS_ERR_TOO_LARGE;
	err = uring_queue(term.srv.ring, &(struct capos_sqe){
		.opcode = CAPOS_OP_CALL,
		.cap_id = term.port,
		.params_addr = (uint64_t)(uintptr_t)term.read_params,
		.params_len = (uint32_t)plen,
		.result_addr = (uint64_t)(uintptr_t)term.read_result,
		.result_len = sizeof(term.read_result),
		.method_id = capos_SerialPort_read,
	}, &term.read_user_data);
	if (err)
		return err;
	term.read_in_flight = true;
	return 0;
}

/*
 * Flow control: with no room in the type-ahead for a read's worth and no
 * waitInterrupt held, no read is kept in flight, so the kernel's buffer
 * fills and COM1 waits (docs/terminal.md): a script typed in one go loses
 * nothing however busy the shell is. A held waitInterrupt needs every byte
 * seen for its Ctrl-C, so then reading goes on and bytes past the bound are
 * dropped (keep()).
 */
void input_submit_read(void)
{
	if (term.read_in_flight || term.port_failed)
		return;
	if (TERM_TYPED_MAX - term.typed_len < SERIAL_READ_MAX && !term.nwaiters)
		return;
	if (submit()) {		/* no SQE even after the kernel consumed: the port is lost to us */
		term.port_failed = true;
		if (term.reading)
			answer_held_read_failed();
	}
}

/*
 * Keeps byte b typed ahead. Past the bound bytes are dropped, but a Ctrl-C
 * still counts: it takes the last place, since it discards the line it
 * ends anyway.
 */
static void keep(uint8_t b)
{
	if (term.typed_len < TERM_TYPED_MAX) {
		term.typed[term.typed_len++] = b;
		return;
	}
	term.typed_dropped++;
	if (b == CTRL_C)
		term.typed[TERM_TYPED_MAX - 1] = b;
}

/* After new bytes or a readLine's end: serves whoever waits for them. */
static void serve_typed(void)
{
	enum linedisc_event ev;

	if (term.reading && (ev = input_feed()) != LINEDISC_NONE)
		answer_held_read(ev);
	if (!term.reading && term.nwaiters)
		(void)input_take_interrupt();
}

/* The read's data into the type-ahead; false if it failed (the port is given up). */
static bool take_read(const struct capos_cqe *cqe)
{
	struct capnp_data d;
	struct capnp_msg m;

	term.read_in_flight = false;
	if (cqe->result < 0 || cqe->written > sizeof(term.read_result) ||
	    capnp_msg_init_read(&m, term.read_result, cqe->written))
		return false;
	d = capos_SerialPort_read_Results_get_data(capos_SerialPort_read_Results_root(&m));
	if (capnp_msg_error(&m) || d.len == 0 || d.len > SERIAL_READ_MAX)
		return false;
	for (uint32_t i = 0; i < d.len; i++) {
		keep(d.ptr[i]);
		/* At once, not after the chunk: it frees the room the bytes after it need. */
		if (d.ptr[i] == CTRL_C && !term.reading && term.nwaiters)
			(void)input_take_interrupt();
	}
	return true;
}

static void on_read(const struct capos_cqe *cqe)
{
	if (!take_read(cqe)) {
		term.port_failed = true;
		if (term.reading)
			answer_held_read_failed();
		return;
	}
	serve_typed();
	input_submit_read();
}

void input_on_completion(void *arg, const struct capos_cqe *cqe)
{
	(void)arg;
	/*
	 * Only the read is ours; a completion that one of our own waits (a
	 * write, a RETURN) reaped meanwhile was stashed and comes here too,
	 * from the server loop.
	 */
	if (term.read_in_flight && cqe->user_data == term.read_user_data &&
	    cqe->opcode == CAPOS_OP_CALL)
		on_read(cqe);
}

void input_begin_read(bool echo, bool history)
{
	linedisc_set_echo(&term.ld, echo);
	linedisc_set_history(&term.ld, history ? &term.history : NULL);
}

void input_end_read(void)
{
	linedisc_set_echo(&term.ld, true);
	linedisc_set_history(&term.ld, NULL);
}

/* Sends the line discipline's echo (a port that fails shows up at the next read). */
static void flush_echo(void)
{
	size_t n;
	const uint8_t *echo = linedisc_echo(&term.ld, &n);

	if (n)
		(void)serial_write(term.port, echo, n);
	linedisc_echo_clear(&term.ld);
}

/* Drops typed[0..n), keeping the rest in order. */
static void consume(uint32_t n)
{
	memmove(term.typed, term.typed + n, term.typed_len - n);
	term.typed_len -= n;
}

enum linedisc_event input_feed(void)
{
	enum linedisc_event ev = LINEDISC_NONE;
	uint32_t off = 0;

	while (ev == LINEDISC_NONE && off < term.typed_len) {
		off += (uint32_t)linedisc_feed(&term.ld, term.typed + off, term.typed_len - off, &ev);
		flush_echo();
	}
	consume(off);
	return ev;
}

bool input_take_interrupt(void)
{
	uint32_t i = 0, start;

	while (i < term.typed_len && term.typed[i] != CTRL_C)
		i++;
	if (i == term.typed_len)
		return false;
	/* The partial line before it goes with it, as the line discipline's Ctrl-C does. */
	start = i;
	while (start > 0 && term.typed[start - 1] != '\r' && term.typed[start - 1] != '\n')
		start--;
	memmove(term.typed + start, term.typed + i + 1, term.typed_len - i - 1);
	term.typed_len -= i + 1 - start;
	(void)serial_write(term.port, "^C\r\n", 4);
	answer_waiters(true);
	return true;
}
