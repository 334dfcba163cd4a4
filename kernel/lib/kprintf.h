/* SPDX-License-Identifier: MIT */
/*
 * Kernel output. kprintf writes to the console (COM1); klog writes to the
 * kernel log (COM2 when present). Both are formatted by lib/fmt and checked by
 * the compiler like printf.
 */
#ifndef CAPOS_KERNEL_LIB_KPRINTF_H
#define CAPOS_KERNEL_LIB_KPRINTF_H

#include <stdarg.h>

__attribute__((format(printf, 1, 2))) int kprintf(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) int klog(const char *fmt, ...);
/* For fault handlers: no locks, both ports. */
__attribute__((format(printf, 1, 2))) int kprintf_emergency(const char *fmt, ...);

_Noreturn __attribute__((format(printf, 1, 2))) void panic(const char *fmt, ...);

#define assert(cond)                                                                       \
	do {                                                                               \
		if (__builtin_expect(!(cond), 0))                                          \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__);  \
	} while (0)

#endif
