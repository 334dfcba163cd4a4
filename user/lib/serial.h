/* SPDX-License-Identifier: MIT */
/*
 * SerialPort client (schema/capos.capnp: SerialPort; docs/terminal.md):
 * the terminal's raw bytes, through client_ring (client.h). serial_read
 * waits (in cap_enter, no polling) until at least one byte has arrived;
 * the line discipline (linedisc.h) makes lines of them.
 */
#ifndef CAPOS_USER_SERIAL_H
#define CAPOS_USER_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#include <capos/cap.h>

#define SERIAL_READ_MAX 256	/* SerialPort.read limit per call (schema) */
#define SERIAL_WRITE_MAX 3072	/* bytes serial_write sends per call */

/*
 * Reads 1..max bytes (max <= SERIAL_READ_MAX) into buf, waiting for the
 * first; *got is how many. Returns 0 or a negative CAPOS_ERR_*
 * (APPLICATION_EXCEPTION: the port refused: invalid max, or overloaded).
 */
int serial_read(capos_cap_t port, void *buf, uint32_t max, uint32_t *got);

/* Writes buf[0..n) as it is, in calls of at most SERIAL_WRITE_MAX bytes. 0 or an error. */
int serial_write(capos_cap_t port, const void *buf, size_t n);

/* Bytes the kernel dropped since boot (its buffer full), and bytes buffered now. */
int serial_status(capos_cap_t port, uint64_t *dropped, uint32_t *buffered);

#endif
