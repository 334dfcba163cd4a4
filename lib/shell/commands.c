// SPDX-License-Identifier: MIT
/*
 * The command table: each command's name, usage and one-line summary, in
 * the order of enum shellcmd_kind. The parser looks names up here and
 * `help` prints from here, so the two cannot disagree. An unknown command
 * is answered with the closest known name when one is at most two edits
 * away (insert, delete, substitute, or swap two neighbours; letters
 * compared without case), which catches the common typos ("hepl", "sl",
 * "RUN") at the cost of one small table walk.
 */
#include "shell/internal.h"

static const struct shellcmd_info sc_commands[SHELLCMD_KIND_COUNT] = {
	[SHELLCMD_HELP] = { "help", "help [COMMAND]", "list the commands, or explain one" },
	[SHELLCMD_SETUP] = { "setup", "setup",
			     "create the operator account (first boot) and log in" },
	[SHELLCMD_LOGIN] = { "login", "login", "log in; asks for the user name and password" },
	[SHELLCMD_LOGOUT] = { "logout", "logout", "end the session; back to anonymous" },
	[SHELLCMD_SESSION] = { "session", "session", "show the session's user and profile" },
	[SHELLCMD_CAPS] = { "caps", "caps", "list the session's capabilities: name, interface" },
	[SHELLCMD_LS] = { "ls", "ls", "list the packaged programs" },
	[SHELLCMD_RUN] = { "run",
			   "run \"BINARY\" [\"ARG\"...] [with { NAME: [client] @CAP, ... }]",
			   "run a program with its terminal and the named caps; wait for it" },
	[SHELLCMD_SPAWN] = { "spawn",
			     "spawn \"BINARY\" [\"ARG\"...] [with { NAME: [client] @CAP, ... }]",
			     "start a program in the background; prints its job number" },
	[SHELLCMD_WAIT] = { "wait", "wait JOB", "wait for a background job; prints its exit code" },
	[SHELLCMD_KILL] = { "kill", "kill JOB", "end a background job" },
	[SHELLCMD_ECHO] = { "echo", "echo [WORD | \"STRING\"]...", "print the words" },
	[SHELLCMD_EXIT] = { "exit", "exit", "log out, or end the shell when anonymous" },
	[SHELLCMD_AUDIT] = { "audit", "audit", "show the audit log (operators)" },
};

const struct shellcmd_info *shellcmd_info(enum shellcmd_kind kind)
{
	if (kind <= SHELLCMD_EMPTY || kind >= SHELLCMD_KIND_COUNT)
		return 0;
	return &sc_commands[kind];
}

size_t sc_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Whether w[0..n) is exactly the NUL-terminated z. */
bool sc_bytes_eq(const char *w, size_t n, const char *z)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (z[i] == '\0' || z[i] != w[i])
			return false;
	return z[n] == '\0';
}

enum shellcmd_kind sc_command_lookup(const char *w, size_t n)
{
	for (int k = SHELLCMD_HELP; k < SHELLCMD_KIND_COUNT; k++)
		if (sc_bytes_eq(w, n, sc_commands[k].name))
			return (enum shellcmd_kind)k;
	return SHELLCMD_EMPTY;
}

#define SC_SUGGEST_LEN 16u	/* longer words are not typos of a command */
#define SC_SUGGEST_EDITS 2u

static char sc_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static uint32_t sc_min3(uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * Optimal string alignment distance between a[0..n) and the NUL-terminated
 * b, both at most SC_SUGGEST_LEN bytes: the classic table, filled row by row.
 */
static uint32_t sc_distance(const char *a, size_t n, const char *b)
{
	uint32_t d[SC_SUGGEST_LEN + 1][SC_SUGGEST_LEN + 1];
	size_t m = sc_strlen(b);

	for (size_t i = 0; i <= n; i++)
		d[i][0] = (uint32_t)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (uint32_t)j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			uint32_t cost = sc_lower(a[i - 1]) != b[j - 1];

			d[i][j] = sc_min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && sc_lower(a[i - 1]) == b[j - 2] &&
			    sc_lower(a[i - 2]) == b[j - 1] && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[n][m];
}

const char *sc_command_suggest(const char *w, size_t n)
{
	const char *best = 0;
	uint32_t best_d = SC_SUGGEST_EDITS + 1;

	if (n == 0 || n > SC_SUGGEST_LEN)
		return 0;
	for (int k = SHELLCMD_HELP; k < SHELLCMD_KIND_COUNT; k++) {
		const char *name = sc_commands[k].name;
		uint32_t d = sc_distance(w, n, name);

		/* "xy" is two edits from "ls" too: demand that something is kept. */
		if (d < best_d && d < sc_strlen(name) && d < n) {
			best = name;
			best_d = d;
		}
	}
	return best;
}
