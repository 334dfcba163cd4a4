/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_ARCH_X86_64_SERIAL_H
#define CAPOS_ARCH_X86_64_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void serial_init(void);
bool serial_has_log_port(void);
void serial_console_write(const char *s, size_t n);
void serial_log_write(const char *s, size_t n);
/* For fault handlers: writes to COM1 and COM2 without taking the lock. */
void serial_write_unlocked(const char *s, size_t n);
/* COM1 output as it is (no newline translation): the terminal's own bytes. */
void serial_console_write_raw(const char *s, size_t n);
/*
 * COM1 input by interrupt: `sink` gets the bytes received, in interrupt
 * context, at most what `room` said it can keep. 0, or
 * CAPOS_ERR_NOT_SUPPORTED (no I/O APIC; input stays off). Boot, once,
 * after lapic_init.
 */
int serial_rx_start(void (*sink)(const uint8_t *bytes, size_t n), uint32_t (*room)(void));

/* Stops and restarts the receive interrupt (flow control; the caller serialises them). */
void serial_rx_pause(void);
void serial_rx_resume(void);

#endif
