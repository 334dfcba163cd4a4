// SPDX-License-Identifier: MIT
/*
 * The terminal's input (terminal.h). One SerialPort.read is kept in flight,
 * a CALL of our own that the kernel holds until a byte comes (no polling);
 * its completion reaches input_on_completion from inside the server loop,
 * so a readLine can be held while write, close and the interrupt calls are
 * served. The bytes go to the terminal core (user/lib/termcore.h), which
 * keeps them typed ahead until a readLine takes them.
 */
#include <capos/errors.h>

#include "service.h"

static const char port_failed[] = "the serial port failed";

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
 * Flow control: while the core has no room for a read's worth (and no
 * waitInterrupt held), no read is kept in flight, so the kernel's buffer
 * fills and COM1 waits (docs/terminal.md): a script typed in one go loses
 * nothing however busy the shell is.
 */
static void submit_read(void *ctx)
{
	(void)ctx;
	if (term.read_in_flight || term.port_failed ||
	    !termcore_wants_input(&term.core, SERIAL_READ_MAX))
		return;
	if (submit()) {		/* no SQE even after the kernel consumed: the port is lost to us */
		term.port_failed = true;
		termcore_fail(&term.core, port_failed);
	}
}

static int write_port(void *ctx, const uint8_t *p, size_t n)
{
	(void)ctx;
	return serial_write(term.port, p, n);
}

const struct termcore_ops serial_term_ops = {
	.write = write_port,
	.want_input = submit_read,
};

/* The read's data to the core; false if it failed (the port is given up). */
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
	termcore_input(&term.core, d.ptr, d.len);
	return true;
}

void input_on_completion(void *arg, const struct capos_cqe *cqe)
{
	(void)arg;
	/*
	 * Only the read is ours; a completion that one of our own waits (a
	 * write, a RETURN) reaped meanwhile was stashed and comes here too,
	 * from the server loop.
	 */
	if (!term.read_in_flight || cqe->user_data != term.read_user_data ||
	    cqe->opcode != CAPOS_OP_CALL)
		return;
	if (!take_read(cqe)) {
		term.port_failed = true;
		termcore_fail(&term.core, port_failed);
		return;
	}
	submit_read(NULL);
}
