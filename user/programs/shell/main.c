// SPDX-License-Identifier: MIT
/*
 * shell: the capOS shell (docs/shell.md), a user program. It holds a
 * TerminalSession granted as "terminal" and nothing that lets it start
 * programs or log anyone in yet: it prints the prompt, reads one line at a
 * time, parses it with lib/shell (a closed, checked struct before anything
 * acts: decode, then invoke) and answers. Every answer is written through
 * the terminal, never to the console, so the shell works the same behind
 * a socket.
 *
 * What works in this step: help, session and caps (the anonymous session:
 * its own CapSet), echo, exit, every parse error with its column, Ctrl-C,
 * over-long lines and Ctrl-D. setup, login, logout, ls, run, spawn, wait,
 * kill and audit answer that they are not available yet: the services
 * behind them (credential store, session manager, broker, audit log) are
 * not wired to the shell. exit as anonymous and Ctrl-D end the shell: it
 * closes its terminal session (the serial terminal then exits) and exits
 * 0; it exits 2 without a terminal or when the terminal fails.
 */
#include <capos/interfaces.h>

#include "rt.h"
#include "shell/shellcmd.h"
#include "shell/shellfmt.h"
#include "shell_answer.h"
#include "terminal.h"

static char line[TERMINAL_LINE_MAX + 1];
static struct shellcmd cmd;
static struct shellcmd_error perr;

/* Parses and answers one line. False when the shell should end. */
static bool run_line(capos_cap_t term, size_t len)
{
	char text[SHELLCMD_ERROR_TEXT_MAX + 1];

	if (shellcmd_parse(line, len, &cmd, &perr) == 0)
		return shell_answer(term, &cmd);
	shellcmd_error_format(line, len, &perr, text, sizeof(text));
	shell_say(term, "%s\n", text);
	return true;
}

/* One prompt and what answers it. False when the shell should end. */
static bool one_round(capos_cap_t term, int *err)
{
	char prompt[64];
	enum terminal_event ev;
	size_t len;

	shellfmt_prompt(prompt, sizeof(prompt), NULL);
	*err = terminal_puts(term, prompt);
	if (!*err)
		*err = terminal_read_line(term, true, true, line, &len, &ev);
	if (*err)
		return false;
	switch (ev) {
	case TERMINAL_LINE:
		return run_line(term, len);
	case TERMINAL_TOO_LONG:
		shell_say(term, "error: the line is longer than %u bytes; nothing was run\n",
			  TERMINAL_LINE_MAX);
		return true;
	case TERMINAL_END:
		shell_say(term, "\nend of input: the shell exits\n");
		return false;
	default:		/* Ctrl-C: the terminal discarded the line and showed ^C */
		return true;
	}
}

int main(void)
{
	capos_cap_t term = rt_cap("terminal", CAPOS_IFACE_TERMINAL_SESSION);
	int err = 0;

	if (term == CAPOS_CAP_INVALID) {
		printf("shell: no TerminalSession granted as \"terminal\"\n");
		return 2;
	}
	shell_say(term, "capOS shell. Type help for the commands.\n"
			"No operator account exists yet: setup creates one "
			"(not available in this build yet).\n");
	while (one_round(term, &err))
		;
	if (!err)
		err = terminal_close(term);
	if (err)
		printf("shell: the terminal failed: %s\n", capos_strerror(err));
	return err ? 2 : 0;
}
