// SPDX-License-Identifier: MIT
/* The shell's answers (shell_answer.h); texts scripts read come from lib/shell/shellfmt. */
#include <stdarg.h>

#include "rt.h"
#include "shell/shellfmt.h"
#include "shell_answer.h"
#include "terminal.h"

#define SAY_MAX 1024u

void shell_say(capos_cap_t term, const char *fmt, ...)
{
	char buf[SAY_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	(void)terminal_write(term, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void answer_help(capos_cap_t term, enum shellcmd_kind topic)
{
	char buf[256];

	if (topic != SHELLCMD_EMPTY) {
		shellfmt_help_topic(buf, sizeof(buf), topic);
		shell_say(term, "%s", buf);
		return;
	}
	shell_say(term, "commands:\n");
	for (int k = SHELLCMD_HELP; k < SHELLCMD_KIND_COUNT; k++) {
		shellfmt_help_line(buf, sizeof(buf), (enum shellcmd_kind)k);
		shell_say(term, "%s", buf);
	}
}

/* The shell's own CapSet, one capability a line: name, then interface. */
static void answer_caps(capos_cap_t term)
{
	char buf[128], name[CAPOS_CAPSET_NAME_LEN + 1];
	uint32_t n = rt.capset ? rt.capset->count : 0;

	for (uint32_t i = 0; i < n && i < CAPOS_CAPSET_MAX; i++) {
		memcpy(name, rt.capset->entries[i].name, CAPOS_CAPSET_NAME_LEN);
		name[CAPOS_CAPSET_NAME_LEN] = '\0';
		shellfmt_cap_line(buf, sizeof(buf), name, rt.capset->entries[i].interface_id);
		shell_say(term, "%s", buf);
	}
}

/*
 * echo's words as typed; control bytes a string escape produced (other
 * than newline and tab) are shown as \xNN, so echo cannot drive the
 * terminal (clear it, move the cursor).
 */
static void answer_echo(capos_cap_t term, const struct shellcmd *cmd)
{
	static const char hex[] = "0123456789abcdef";
	char out[4 * SHELLCMD_LINE_MAX + 2];
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
	(void)terminal_write(term, out, o);
}

bool shell_answer(capos_cap_t term, const struct shellcmd *cmd)
{
	char buf[128];
	const struct shellcmd_info *info = shellcmd_info(cmd->kind);

	switch (cmd->kind) {
	case SHELLCMD_EMPTY:
		return true;
	case SHELLCMD_HELP:
		answer_help(term, cmd->topic);
		return true;
	case SHELLCMD_SESSION:
		shellfmt_session(buf, sizeof(buf), NULL, SHELLFMT_PROFILE_ANONYMOUS);
		shell_say(term, "%s", buf);
		return true;
	case SHELLCMD_CAPS:
		answer_caps(term);
		return true;
	case SHELLCMD_ECHO:
		answer_echo(term, cmd);
		return true;
	case SHELLCMD_EXIT:
		shell_say(term, "no session to leave: the shell exits\n");
		return false;
	default:
		shell_say(term, "%s: not available yet (no accounts, sessions or programs in "
				"this build)\n", info ? info->name : "?");
		return true;
	}
}
