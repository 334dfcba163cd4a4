/* SPDX-License-Identifier: MIT */
/*
 * Shared by the command parser's files (not part of its interface): the
 * tokens lex.c produces, the command table's lookups (commands.c) and the
 * small string helpers lib/ code writes for itself (no libc here).
 */
#ifndef CAPOS_LIB_SHELL_INTERNAL_H
#define CAPOS_LIB_SHELL_INTERNAL_H

#include "shell/shellcmd.h"

enum sc_token_kind {
	SC_TOK_END,	/* the end of the line */
	SC_TOK_WORD,	/* a run of word bytes (see lex.c) */
	SC_TOK_STRING,	/* "...", decoded into the lexer's str */
	SC_TOK_CAPREF,	/* @ followed by word bytes */
	SC_TOK_LBRACE,
	SC_TOK_RBRACE,
	SC_TOK_COLON,
	SC_TOK_COMMA,
};

struct sc_token {
	enum sc_token_kind kind;
	uint32_t pos;		/* first byte in the line (the quote, the '@') */
	uint32_t len;		/* bytes in the line */
	bool space_before;	/* whitespace separates it from the previous token */
};

struct sc_lexer {
	const char *line;
	uint32_t len;		/* <= SHELLCMD_LINE_MAX */
	uint32_t pos;		/* next byte to read */
	struct shellcmd_error *err;
	uint32_t str_len;	/* the last SC_TOK_STRING, decoded */
	char str[SHELLCMD_LINE_MAX + 1];
};

void sc_lex_init(struct sc_lexer *lx, const char *line, uint32_t len,
		 struct shellcmd_error *err);

/* The next token into *tok; returns 0, or -1 with the lexer's error set. */
int sc_lex_next(struct sc_lexer *lx, struct sc_token *tok);

/*
 * Describes tok for a message ("'foo'", "a string", "the end of the line")
 * into buf: printable ASCII only, a long word cut with "...".
 */
void sc_token_describe(const struct sc_lexer *lx, const struct sc_token *tok, char *buf,
		       size_t size);

/* The command named w[0..n), or SHELLCMD_EMPTY if none is. */
enum shellcmd_kind sc_command_lookup(const char *w, size_t n);

/* The known command closest to w[0..n) (at most 2 edits, any case), or NULL. */
const char *sc_command_suggest(const char *w, size_t n);

bool sc_bytes_eq(const char *a, size_t n, const char *z);
size_t sc_strlen(const char *s);

#endif
