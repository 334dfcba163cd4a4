// SPDX-License-Identifier: MIT
/*
 * shell: the capOS shell (docs/shell.md), a user program. The broker
 * starts it with exactly "terminal" (TerminalSession), "broker"
 * (AuthorityBroker), "caps" (CapabilityManager, its own table only) and
 * "vm". It prints the prompt, reads one line at a time (readLine with echo
 * and history), parses it with lib/shell (a closed, checked struct before
 * anything acts: decode, then invoke) and answers. Everything it can do
 * beyond help, session and echo comes from the session's bundle, which the
 * broker hands over at setup or login and revokes at logout. Every answer
 * is written through the terminal, so the shell works the same behind a
 * socket.
 *
 * exit as anonymous and Ctrl-D end the shell: it closes its terminal
 * session and exits 0; it exits 2 without a terminal or when the terminal
 * fails. A session still open (Ctrl-D while logged in) is not logged out
 * here: the broker sees the shell end and ends the session as a logout
 * would (docs/sessions.md), and the jobs' Revokers go with the shell's
 * table (releasing the last reference to a Revoker revokes its copies).
 */
#include <capos/interfaces.h>

#include "broker_client.h"
#include "rt.h"
#include "shell.h"
#include "shell/shellcmd.h"
#include "shell/shellfmt.h"
#include "terminal_fg.h"

struct shell sh;
struct ipc_call shell_call, shell_wait_call;

static char line[TERMINAL_LINE_MAX + 1];
static struct shellcmd cmd;
static struct shellcmd_error perr;

/* Parses and answers one line. False when the shell should end. */
static bool run_line(size_t len)
{
	sh.line = line;
	sh.line_len = (uint32_t)len;
	if (shellcmd_parse(line, len, &cmd, &perr) == 0)
		return shell_answer(&cmd);
	shell_say_error(&perr);
	return true;
}

/* One prompt and what answers it. False when the shell should end. */
static bool one_round(int *err)
{
	char prompt[64];
	enum terminal_event ev;
	size_t len;

	shellfmt_prompt(prompt, sizeof(prompt), sh.sess.user);
	*err = terminal_puts(sh.term, prompt);
	if (!*err)
		*err = terminal_read_line(sh.term, true, true, line, &len, &ev);
	if (*err)
		return false;
	switch (ev) {
	case TERMINAL_LINE:
		return run_line(len);
	case TERMINAL_TOO_LONG:
		shell_say("error: the line is longer than %u bytes; nothing was run\n",
			  TERMINAL_LINE_MAX);
		return true;
	case TERMINAL_END:
		shell_say("\nend of input: the shell exits\n");
		return false;
	default:		/* Ctrl-C: the terminal discarded the line and showed ^C */
		return true;
	}
}

/* The banner; on a system with no operator yet, how to create one (contracts.md). */
static void greet(void)
{
	bool present = false;
	int err = 0;

	shell_say("capOS shell. Type help for the commands.\n");
	if (sh.broker != CAPOS_CAP_INVALID)
		err = broker_has_operator(&shell_call, sh.broker, &present);
	if (sh.broker == CAPOS_CAP_INVALID)
		shell_say("No operator account exists yet: setup creates one "
			  "(but this shell has no AuthorityBroker: no accounts here).\n");
	else if (err)
		shell_say_failure("the broker", &shell_call, err);
	else if (!present)
		shell_say("No operator account exists yet: setup creates one "
			  "(username, password, repeat).\n");
}

int main(void)
{
	int err = 0;

	sh.term = rt_cap("terminal", CAPOS_IFACE_TERMINAL_SESSION);
	sh.broker = rt_cap("broker", SHELLFMT_IFACE_AUTHORITY_BROKER);
	sh.caps = rt_cap("caps", CAPOS_IFACE_CAPABILITY_MANAGER);
	sh.sess.profile = SHELLFMT_PROFILE_ANONYMOUS;
	if (sh.term == CAPOS_CAP_INVALID) {
		printf("shell: no TerminalSession granted as \"terminal\"\n");
		return 2;
	}
	greet();
	while (one_round(&err))
		;
	if (!err)
		err = terminal_close(sh.term);
	if (err)
		printf("shell: the terminal failed: %s\n", capos_strerror(err));
	return err ? 2 : 0;
}
