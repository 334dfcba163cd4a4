/* SPDX-License-Identifier: MIT */
/*
 * printf and friends for user programs, formatted by the shared engine
 * (lib/fmt) and written through a 1 KiB buffer to the Console capability
 * or, for a program that holds no Console, to a TerminalSession (a program
 * the shell runs: its output shows on the user's terminal). The buffer is
 * flushed when it fills, at the end of any call whose output held a
 * newline, by print_flush(), and by exit(). With neither (never set, or
 * CAPOS_CAP_INVALID) output is dropped.
 */
#ifndef CAPOS_USER_PRINT_H
#define CAPOS_USER_PRINT_H

#include <stdarg.h>
#include <stddef.h>

#include <capos/cap.h>

#define PRINT_BUF_SIZE 1024

/* Where output goes from now on (the runtime picks the CapSet's Console). */
void print_set_console(capos_cap_t con);
/*
 * The TerminalSession output goes to while no Console is set (the runtime
 * picks the one granted as "terminal"). A set Console always wins.
 */
void print_set_terminal(capos_cap_t term);

int printf(const char *fmt, ...) __attribute__((format(__printf__, 1, 2)));
int vprintf(const char *fmt, va_list ap);
/* s followed by a newline, like C puts. */
int puts(const char *s);
int putchar(int c);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(__printf__, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Writes out what is buffered. Returns 0 or the Console's (terminal's) CAPOS_ERR_*. */
int print_flush(void);

#endif
