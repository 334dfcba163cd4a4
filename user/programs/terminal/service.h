/* SPDX-License-Identifier: MIT */
/*
 * The serial terminal service's state (docs/terminal.md), shared by its
 * files: main.c (the TerminalSession handlers, through the terminal core
 * of user/lib/termcore.h) and input.c (the SerialPort read kept in flight,
 * whose bytes go to the core). One thread: no locks.
 */
#ifndef CAPOS_TERMINAL_SERVICE_SERVICE_H
#define CAPOS_TERMINAL_SERVICE_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "capos.capnp.h"
#include "serial.h"
#include "server.h"
#include "termcore.h"

#define TERM_READ_RESULT_WORDS ((24 + SERIAL_READ_MAX + 296) / 8)	/* data or a CapException */

struct term {
	struct server srv;
	capos_cap_t port;		/* the SerialPort */
	struct termcore core;
	bool port_failed;		/* a read failed: readLine raises failed */

	/* The SerialPort.read in flight (at most one). */
	bool read_in_flight;
	uint64_t read_user_data;
	uint64_t read_params[4];
	uint64_t read_result[TERM_READ_RESULT_WORDS];
};

extern struct term term;
extern const struct termcore_ops serial_term_ops;

/* input.c */
/* The completion handler the server loop gives every completion not its own. */
void input_on_completion(void *arg, const struct capos_cqe *cqe);

#endif
