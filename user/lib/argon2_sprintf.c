// SPDX-License-Identifier: MIT
/*
 * The one C library function the Argon2 reference code needs that the
 * runtime lacks. encoding.c calls sprintf only to put one unsigned long
 * ("%lu") into `char tmp[30]`; the bound below is that buffer's size, so a
 * longer result is cut, never written past it.
 */
#include <stdarg.h>

#include "print.h"

#define ARGON2_SPRINTF_MAX 30	/* encoding.c's tmp[30] */

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, ARGON2_SPRINTF_MAX, fmt, ap);
	va_end(ap);
	return n;
}
