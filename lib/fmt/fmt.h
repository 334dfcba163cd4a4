/* SPDX-License-Identifier: MIT */
/*
 * Freestanding printf engine shared by the kernel (kprintf), user space and
 * host tools. Output goes to a sink callback in pieces, so the engine needs no
 * buffer and no allocation; fmt_snprintf is the sink that fills a buffer.
 *
 * Conversions: d i u x X o c s p %, flags - 0 + space #, width and precision
 * (also *), length modifiers hh h l ll z t j. Integer output matches C99 printf.
 * Differences from libc, on purpose: %p always prints 0x and 16 hex digits;
 * %s of NULL prints "(null)" (cut by the precision like any string); there is
 * no floating point and no %n; an unknown conversion is printed verbatim,
 * from its '%' to the unknown character (arguments taken by a '*' in it are
 * consumed). Widths and precisions are capped at FMT_MAX_WIDTH.
 */
#ifndef CAPOS_LIB_FMT_FMT_H
#define CAPOS_LIB_FMT_FMT_H

#include <stdarg.h>
#include <stddef.h>

#define FMT_MAX_WIDTH 65536

typedef void (*fmt_sink_fn)(void *ctx, const char *s, size_t n);

/* Formats to sink; returns the number of characters produced (capped at INT_MAX). */
int fmt_vformat(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap);

/*
 * Formats into buf (size bytes, always NUL-terminated when size > 0; buf may be
 * NULL when size is 0). Returns the length the full output would have had, so a
 * result >= size means it was truncated.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
