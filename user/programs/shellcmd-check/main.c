// SPDX-License-Identifier: MIT
/*
 * shellcmd-check (QEMU scenario shellcmd-guest): the shell's command
 * language (lib/shell) as the shell will run it, built with the user flags
 * (-O2, freestanding, the runtime's printf engine) and run in ring 3. A few
 * lines of each kind parse to the same commands and the same error lines as
 * on the host (tests/unit/shell), and the answer texts come out byte for
 * byte; each error line and answer is also printed, so the scenario shows
 * them as a person would see them. The host tests are the full proof; this
 * only shows that nothing differs in the guest build.
 */
#include <capos/interfaces.h>

#include "check.h"
#include "rt.h"
#include "shell/history.h"
#include "shell/shellcmd.h"
#include "shell/shellfmt.h"
#include "ustring.h"

static struct shellcmd cmd;
static struct shell_history history;

static bool parse_ok(const char *line)
{
	struct shellcmd_error err;

	return shellcmd_parse(line, strlen(line), &cmd, &err) == 0;
}

/* Whether line fails with exactly the error text want; prints the text. */
static bool parse_fails_with(const char *line, const char *want)
{
	struct shellcmd_error err;
	char text[SHELLCMD_ERROR_TEXT_MAX];

	if (shellcmd_parse(line, strlen(line), &cmd, &err) == 0)
		return false;
	shellcmd_error_format(line, strlen(line), &err, text, sizeof(text));
	printf("shellcmd-check: %s\n", text);
	return strcmp(text, want) == 0;
}

static void check_commands(void)
{
	check(parse_ok("run \"chat\" with { stdio: client @stdio, timer: @timer }") &&
		      cmd.kind == SHELLCMD_RUN && !strcmp(cmd.binary, "chat") &&
		      cmd.ngrants == 2 && cmd.grants[0].client && !cmd.grants[1].client &&
		      !strcmp(cmd.grants[1].cap, "timer"),
	      "run_with_grants", cmd.ngrants);
	check(parse_ok("wait 42") && cmd.kind == SHELLCMD_WAIT && cmd.job == 42, "wait_job",
	      cmd.job);
	check(parse_ok("echo \"a\\tb\" c!") && !strcmp(cmd.text, "a\tb c!"), "echo_escapes",
	      cmd.text_len);
	check(parse_ok("   ") && cmd.kind == SHELLCMD_EMPTY, "blank_line", cmd.kind);
}

static void check_errors(void)
{
	check(parse_fails_with("run \"x\" with { a: @b",
			       "error at column 21: expected '}' to close '{' opened at column 14"),
	      "unclosed_brace", 0);
	check(parse_fails_with("hepl", "error at column 1: unknown command 'hepl' "
				       "(did you mean 'help'?)"),
	      "unknown_command_suggested", 0);
	check(parse_fails_with("run \"x\" with { log: @a, t: @b, log: @c }",
			       "error at column 32: grant 'log' is named twice (first at column 16)"),
	      "duplicate_grant", 0);
	check(parse_fails_with("echo \"\\x00\"",
			       "error at column 7: '\\x00' is not allowed: strings hold no NUL"),
	      "nul_escape", 0);
}

static void check_answers(void)
{
	char buf[128];
	const char *out;
	size_t n;

	shellfmt_prompt(buf, sizeof(buf), NULL);
	check(!strcmp(buf, "anonymous@capos> "), "prompt_anonymous", 0);
	shellfmt_session(buf, sizeof(buf), "alice", SHELLFMT_PROFILE_OPERATOR);
	check(!strcmp(buf, "user alice\nprofile operator\n"), "session_lines", 0);
	shellfmt_cap_line(buf, sizeof(buf), "console", CAPOS_IFACE_CONSOLE);
	printf("shellcmd-check: caps line: %s", buf);
	check(!strcmp(buf, "console         Console\n"), "caps_line", 0);
	shell_history_init(&history);
	shell_history_add(&history, "caps", 4);
	shell_history_add(&history, "ls", 2);
	check(shell_history_prev(&history, "ec", 2, &out, &n) && n == 2 &&
		      shell_history_prev(&history, "", 0, &out, &n) && n == 4 &&
		      shell_history_next(&history, &out, &n) &&
		      shell_history_next(&history, &out, &n) && n == 2 && out[0] == 'e',
	      "history_prev_next", (long long)n);
}

int main(void)
{
	check_init("shellcmd-check");
	check_commands();
	check_errors();
	check_answers();
	return check_done();
}
