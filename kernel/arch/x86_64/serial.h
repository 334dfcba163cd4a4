/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_ARCH_X86_64_SERIAL_H
#define CAPOS_ARCH_X86_64_SERIAL_H

#include <stdbool.h>
#include <stddef.h>

void serial_init(void);
bool serial_has_log_port(void);
void serial_console_write(const char *s, size_t n);
void serial_log_write(const char *s, size_t n);
/* For fault handlers: writes to COM1 and COM2 without taking the lock. */
void serial_write_unlocked(const char *s, size_t n);

#endif
