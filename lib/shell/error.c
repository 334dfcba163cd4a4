// SPDX-License-Identifier: MIT
/*
 * The shell's one error format, "error at column N: MESSAGE". Positions are
 * kept as byte offsets (what the parser knows) and turned into columns only
 * here, counting characters: every byte that is not a UTF-8 continuation
 * byte (10xxxxxx) starts one, so a name after "héllo" gets the column a
 * person counts on the terminal. Invalid UTF-8 only makes the count
 * approximate; it never reads past the line.
 */
#include <stdarg.h>

#include "fmt/fmt.h"
#include "shell/shellcmd.h"

int shellcmd_error_set(struct shellcmd_error *err, uint32_t pos, const char *fmt, ...)
{
	va_list ap;

	err->pos = pos;
	va_start(ap, fmt);
	fmt_vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

uint32_t shellcmd_column(const char *line, size_t len, uint32_t pos)
{
	uint32_t column = 1;

	for (size_t i = 0; i < pos && i < len; i++)
		if (((unsigned char)line[i] & 0xc0) != 0x80)
			column++;
	return column;
}

int shellcmd_error_format(const char *line, size_t len, const struct shellcmd_error *err,
			  char *buf, size_t size)
{
	return fmt_snprintf(buf, size, "error at column %u: %s",
			    (unsigned)shellcmd_column(line, len, err->pos), err->message);
}
