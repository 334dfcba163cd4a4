/* SPDX-License-Identifier: MIT */
/*
 * Terminal stamps for make bench (serial_stamps=1): the cycle of the last
 * Enter received on COM1 and of each SerialPort.write, in the kernel log.
 */
#ifndef CAPOS_OBJ_SERIAL_STAMPS_H
#define CAPOS_OBJ_SERIAL_STAMPS_H

#include <stddef.h>
#include <stdint.h>

/* Boot, before any input: turns the stamps on. */
void serial_stamps_on(void);

/* Interrupt context: notes the time of an Enter among bytes[0..n). */
void serial_stamp_rx(const uint8_t *bytes, size_t n);

/* Thread context, no lock held: logs a write of bytes[0..n). */
void serial_stamp_write(const uint8_t *bytes, size_t n);

#endif
