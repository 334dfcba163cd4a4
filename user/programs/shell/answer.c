// SPDX-License-Identifier: MIT
/*
 * The shell's answers (shell.h): what a profile may use is checked here,
 * once, before any handler runs; texts scripts read come from
 * lib/shell/shellfmt.
 */
#include <stdarg.h>

#include "rt.h"
#include "shell.h"
#include "shell/shellfmt.h"
#include "terminal.h"

#define SAY_MAX 1024u

void shell_say(const char *fmt, ...)
{
	char buf[SAY_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	(void)terminal_write(sh.term, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void shell_say_failure(const char *what, const struct ipc_call *c, int err)
{
	if (err == CAPOS_ERR_APPLICATION_EXCEPTION && c->exc_reason[0])
		shell_say("%s: %s\n", what, c->exc_reason);
	else
		shell_say("%s: failed (%s)\n", what, capos_strerror(err));
}

void shell_say_error(const struct shellcmd_error *err)
{
	char text[SHELLCMD_ERROR_TEXT_MAX + 1];

	shellcmd_error_format(sh.line, sh.line_len, err, text, sizeof(text));
	shell_say("%s\n", text);
}

static void answer_help(enum shellcmd_kind topic)
{
	char buf[256];

	if (topic != SHELLCMD_EMPTY) {
		shellfmt_help_topic(buf, sizeof(buf), topic);
		shell_say("%s", buf);
		return;
	}
	shell_say("commands:\n");
	for (int k = SHELLCMD_HELP; k < SHELLCMD_KIND_COUNT; k++) {
		shellfmt_help_line(buf, sizeof(buf), (enum shellcmd_kind)k);
		shell_say("%s", buf);
	}
}

/* The session's capabilities, one a line: the terminal, then the bundle. */
static void answer_caps(void)
{
	char buf[128];

	shellfmt_cap_line(buf, sizeof(buf), "terminal", CAPOS_IFACE_TERMINAL_SESSION);
	shell_say("%s", buf);
	for (uint32_t i = 0; i < sh.sess.ncaps && i < SHELL_BUNDLE_MAX; i++) {
		shellfmt_cap_line(buf, sizeof(buf), sh.sess.caps[i].name, sh.sess.caps[i].iface);
		shell_say("%s", buf);
	}
}

/*
 * echo's words as typed; control bytes a string escape produced (other
 * than newline and tab) are shown as \xNN, so echo cannot drive the
 * terminal (clear it, move the cursor).
 */
static void answer_echo(const struct shellcmd *cmd)
{
	static const char hex[] = "0123456789abcdef";
	static char out[4 * SHELLCMD_LINE_MAX + 2];
	size_t o = 0;

	for (uint32_t i = 0; i < cmd->text_len && i < SHELLCMD_LINE_MAX; i++) {
		uint8_t c = (uint8_t)cmd->text[i];

		if ((c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t') {
			out[o++] = (char)c;
			continue;
		}
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 15];
	}
	out[o++] = '\n';
	(void)terminal_write(sh.term, out, o);
}

/* exit: leaves a session; as anonymous, ends the shell. */
static bool answer_exit(void)
{
	if (sh.sess.profile != SHELLFMT_PROFILE_ANONYMOUS) {
		shell_logout();
		return true;
	}
	shell_say("no session to leave: the shell exits\n");
	return false;
}

static void answer_session(void)
{
	char buf[128];

	shellfmt_session(buf, sizeof(buf), sh.sess.user, sh.sess.profile);
	shell_say("%s", buf);
}

/* Commands that act on the session (the profile allowed them). */
static void answer_session_command(const struct shellcmd *cmd)
{
	switch (cmd->kind) {
	case SHELLCMD_SETUP: shell_setup(); break;
	case SHELLCMD_LOGIN: shell_login(); break;
	case SHELLCMD_LOGOUT: shell_logout(); break;
	case SHELLCMD_LS: shell_ls(); break;
	case SHELLCMD_RUN: shell_run(cmd, true); break;
	case SHELLCMD_SPAWN: shell_run(cmd, false); break;
	case SHELLCMD_WAIT: shell_wait(cmd->job); break;
	case SHELLCMD_KILL: shell_kill(cmd->job); break;
	case SHELLCMD_AUDIT: shell_audit(); break;
	default: break;
	}
}

bool shell_answer(const struct shellcmd *cmd)
{
	const struct shellcmd_info *info = shellcmd_info(cmd->kind);

	if (!shell_profile_allows(sh.sess.profile, cmd->kind)) {
		shell_say("%s: login first (an anonymous session may use help, setup, login, "
			  "session, echo and exit)\n", info ? info->name : "?");
		return true;
	}
	switch (cmd->kind) {
	case SHELLCMD_EMPTY: return true;
	case SHELLCMD_HELP: answer_help(cmd->topic); return true;
	case SHELLCMD_SESSION: answer_session(); return true;
	case SHELLCMD_CAPS: answer_caps(); return true;
	case SHELLCMD_ECHO: answer_echo(cmd); return true;
	case SHELLCMD_EXIT: return answer_exit();
	default: answer_session_command(cmd); return true;
	}
}
