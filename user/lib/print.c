// SPDX-License-Identifier: MIT
/*
 * Buffered output (print.h). The fmt engine hands pieces to print_sink,
 * which copies them into print_buf and writes the buffer through
 * console_write (or terminal_write) when it is full; a call ends with a
 * flush if it produced a newline, so lines appear whole and in order, in
 * one write each when they fit. A terminal turns "\n" into "\r\n" itself
 * (TerminalSession.write), so the bytes go to either sink unchanged.
 */
#include "fmt/fmt.h"

#include "client.h"
#include "print.h"
#include "terminal.h"

static char print_buf[PRINT_BUF_SIZE];
static size_t print_len;
static capos_cap_t print_console;
static capos_cap_t print_terminal;
static int print_newline;	/* the current call produced a '\n' */

void print_set_console(capos_cap_t con)
{
	print_console = con;
}

void print_set_terminal(capos_cap_t term)
{
	print_terminal = term;
}

int print_flush(void)
{
	int err = 0;

	if (print_len && print_console != CAPOS_CAP_INVALID)
		err = console_write(print_console, print_buf, print_len);
	else if (print_len && print_terminal != CAPOS_CAP_INVALID)
		err = terminal_write(print_terminal, print_buf, print_len);
	print_len = 0;
	return err;
}

static void print_sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	while (n) {
		size_t room = PRINT_BUF_SIZE - print_len;
		size_t k = n < room ? n : room;
		size_t i;

		for (i = 0; i < k; i++) {
			print_buf[print_len + i] = s[i];
			print_newline |= s[i] == '\n';
		}
		print_len += k;
		s += k;
		n -= k;
		if (print_len == PRINT_BUF_SIZE)
			print_flush();
	}
}

/* Ends a call: flushes if the call wrote a newline. */
static void print_end(void)
{
	if (print_newline)
		print_flush();
	print_newline = 0;
}

int vprintf(const char *fmt, va_list ap)
{
	int n = fmt_vformat(print_sink, NULL, fmt, ap);

	print_end();
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	print_sink(NULL, s, n);
	print_sink(NULL, "\n", 1);
	print_end();
	return (int)n + 1;
}

int putchar(int c)
{
	char ch = (char)c;

	print_sink(NULL, &ch, 1);
	print_end();
	return (unsigned char)ch;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return fmt_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
