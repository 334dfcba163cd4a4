/* SPDX-License-Identifier: MIT */
/*
 * Kernel output. kprintf (the kernel's reports: banner, verdicts, test
 * results) and klog (diagnostics) both write to the kernel log (COM2, or
 * COM1 when there is no COM2): COM1 belongs to the terminal, and a kernel
 * line there could follow a prompt (contracts.md, "Terminal"). The two names
 * stay apart so that a report can be told from a diagnostic at the call
 * site. Both are formatted by lib/fmt and checked by the compiler like
 * printf. Only the emergency path (panic, faults) also writes to COM1.
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
