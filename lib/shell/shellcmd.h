/* SPDX-License-Identifier: MIT */
/*
 * The shell's command language (docs/shell.md): one input line in, one
 * command struct or one error out. The grammar is small and flat, so the
 * parser is a single left-to-right pass over tokens with no recursion and
 * no allocation; everything it produces fits in struct shellcmd, whose
 * sizes are the language's limits. A line is a complete command: an
 * unclosed quote or brace is an error at the end of the line naming where
 * it was opened, never a request for more input.
 *
 * Every error carries the byte offset where it was found and a message;
 * shellcmd_error_format() turns it into the one format the shell prints,
 * "error at column N: MESSAGE", with N counted in characters (UTF-8 lead
 * bytes) from 1. The shell uses the same function for its own later errors
 * (an unknown capability, a binary not in the package), with the positions
 * the command keeps for each name.
 *
 * lib/ code: built for user space (the shell) and the host (unit tests,
 * fuzzer); no globals but constant tables, no libc.
 */
#ifndef CAPOS_LIB_SHELL_SHELLCMD_H
#define CAPOS_LIB_SHELL_SHELLCMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHELLCMD_LINE_MAX 1024u		/* bytes of one line; the terminal's bound */
#define SHELLCMD_NAME_MAX 31u		/* bytes of a name: [A-Za-z0-9_.-], as in manifests */
/*
 * Grants one `with { }` may name: ProcessSpawner.spawn takes at most 16,
 * and the shell adds two of its own, the child's terminal and its
 * VirtualMemory.
 */
#define SHELLCMD_GRANTS_MAX 14u
#define SHELLCMD_ARGS_MAX 16u		/* a program's arguments: ProcessSpawner.spawn's */
#define SHELLCMD_ARGS_BYTES 896u	/* their bytes, one NUL after each */
#define SHELLCMD_JOB_MAX 65535u		/* job numbers are 1..SHELLCMD_JOB_MAX */
#define SHELLCMD_MESSAGE_MAX 128u	/* an error message, NUL included */
#define SHELLCMD_ERROR_TEXT_MAX (SHELLCMD_MESSAGE_MAX + 32u)	/* formatted error line */

enum shellcmd_kind {
	SHELLCMD_EMPTY = 0,	/* empty or blank line: nothing to do */
	SHELLCMD_HELP,
	SHELLCMD_SETUP,
	SHELLCMD_LOGIN,
	SHELLCMD_LOGOUT,
	SHELLCMD_SESSION,
	SHELLCMD_CAPS,
	SHELLCMD_LS,
	SHELLCMD_RUN,
	SHELLCMD_SPAWN,
	SHELLCMD_WAIT,
	SHELLCMD_KILL,
	SHELLCMD_ECHO,
	SHELLCMD_EXIT,
	SHELLCMD_AUDIT,
	SHELLCMD_KIND_COUNT
};

/* `NAME: @CAP` or `NAME: client @CAP`; positions are byte offsets in the line. */
struct shellcmd_grant {
	char name[SHELLCMD_NAME_MAX + 1];	/* the child's name for it; NUL-terminated */
	char cap[SHELLCMD_NAME_MAX + 1];	/* the shell's capability, without '@' */
	bool client;				/* hand over the client facet of cap */
	uint32_t name_pos;			/* where NAME starts */
	uint32_t cap_pos;			/* where '@' is */
};

struct shellcmd {
	enum shellcmd_kind kind;
	/* RUN, SPAWN: the binary, 1..31 bytes of [A-Za-z0-9_.-] */
	char binary[SHELLCMD_NAME_MAX + 1];
	uint32_t binary_pos;			/* where its opening quote is */
	/* RUN, SPAWN: the quoted arguments after the binary, unescaped; no NUL inside */
	uint32_t nargs;				/* <= SHELLCMD_ARGS_MAX */
	uint32_t args_len;			/* bytes of args used, NULs included */
	char args[SHELLCMD_ARGS_BYTES];		/* nargs strings, each NUL-terminated */
	uint32_t ngrants;			/* <= SHELLCMD_GRANTS_MAX; names unique */
	struct shellcmd_grant grants[SHELLCMD_GRANTS_MAX];
	uint32_t job;				/* WAIT, KILL: 1..SHELLCMD_JOB_MAX */
	enum shellcmd_kind topic;		/* HELP: a command, or EMPTY for all */
	/* ECHO: the words, unescaped, joined by single spaces; no NUL inside */
	uint32_t text_len;
	char text[SHELLCMD_LINE_MAX + 1];
};

struct shellcmd_error {
	uint32_t pos;				/* byte offset; the line's length: its end */
	char message[SHELLCMD_MESSAGE_MAX];	/* NUL-terminated, printable ASCII */
};

/*
 * Parses line[0..len) (no newline; need not be NUL-terminated) into *cmd.
 * Returns 0, or -1 with *err set and *cmd unspecified. Reads nothing
 * outside line[0..len); time is linear in len (lines longer than
 * SHELLCMD_LINE_MAX are refused before anything else).
 */
int shellcmd_parse(const char *line, size_t len, struct shellcmd *cmd,
		   struct shellcmd_error *err);

/*
 * Formats err as "error at column N: MESSAGE" into buf (size bytes, always
 * NUL-terminated when size > 0), N being the 1-based character column of
 * err->pos in line[0..len). Returns the length the whole text has.
 */
int shellcmd_error_format(const char *line, size_t len, const struct shellcmd_error *err,
			  char *buf, size_t size);

/* Records "MESSAGE" at pos in *err (for the shell's own errors); returns -1. */
int shellcmd_error_set(struct shellcmd_error *err, uint32_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The 1-based character column of byte offset pos in line[0..len). */
uint32_t shellcmd_column(const char *line, size_t len, uint32_t pos);

/* What the help command says of each command (commands.c's table). */
struct shellcmd_info {
	const char *name;
	const char *usage;			/* e.g. run "BINARY" ["ARG" ...] [with { ... }] */
	const char *summary;			/* one line */
};

/* The entry for kind (HELP..AUDIT), or NULL for EMPTY and out-of-range values. */
const struct shellcmd_info *shellcmd_info(enum shellcmd_kind kind);

#endif
