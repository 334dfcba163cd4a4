// SPDX-License-Identifier: MIT
/*
 * readline: reads one line from its "terminal" and prints it back
 * ("readline: got 'LINE'"), then exits 0; Ctrl-C during the read ends it
 * with 130 ("readline: interrupted"), Ctrl-D with 1. The shell scenarios
 * type Ctrl-C while it reads, to see the foreground program end and the
 * shell's prompt come back. Exits 2 without a terminal.
 */
#include "rt.h"
#include "terminal.h"

static char line[TERMINAL_LINE_MAX + 1];

int main(void)
{
	capos_cap_t term = rt_cap("terminal", CAPOS_IFACE_TERMINAL_SESSION);
	enum terminal_event ev;
	char out[TERMINAL_LINE_MAX + 64];
	size_t len;
	int err;

	if (term == CAPOS_CAP_INVALID)
		return 2;
	(void)terminal_puts(term, "readline> ");
	err = terminal_read_line(term, true, false, line, &len, &ev);
	if (err)
		return 3;
	if (ev == TERMINAL_INTERRUPT) {
		(void)terminal_puts(term, "readline: interrupted\n");
		return 130;
	}
	if (ev != TERMINAL_LINE)
		return 1;
	snprintf(out, sizeof(out), "readline: got '%s'\n", line);
	(void)terminal_puts(term, out);
	return 0;
}
