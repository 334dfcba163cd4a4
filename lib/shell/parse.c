// SPDX-License-Identifier: MIT
/*
 * The command parser: the grammar of docs/shell.md, read in one pass with
 * one token of lookahead (p->tok). A command is a word from the table in
 * commands.c, then what that command takes: nothing, a help topic, a job
 * number, echo's words, or a quoted binary with quoted arguments and an
 * optional `with { NAME: [client] @CAP, ... }`. The grant list is the only
 * repetition; it is a loop bounded by the line's length and by
 * SHELLCMD_GRANTS_MAX, and nothing nests, so there is no recursion.
 *
 * The first error ends the parse. Errors are reported where the parser
 * found the unexpected token (or where a name has a byte it may not have),
 * and say what was expected there; a missing closer is reported at the end
 * of the line with the column of its opener.
 */
#include "fmt/fmt.h"
#include "shell/internal.h"

struct sc_parser {
	struct sc_lexer lx;
	struct sc_token tok;	/* the current token */
	struct shellcmd *cmd;
	struct shellcmd_error *err;
	const char *verb;	/* the command's name, for messages */
};

static int sc_advance(struct sc_parser *p)
{
	return sc_lex_next(&p->lx, &p->tok);
}

/* "EXPECTED, found DESCRIPTION" at the current token. */
static int sc_expected(struct sc_parser *p, const char *expected)
{
	char found[40];

	sc_token_describe(&p->lx, &p->tok, found, sizeof(found));
	return shellcmd_error_set(p->err, p->tok.pos, "expected %s, found %s", expected, found);
}

#define SC_NAME_RULE "use A-Z a-z 0-9 _ . -"

static bool sc_is_name_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/*
 * Checks s[0..n) as a name of what (1..31 bytes of [A-Za-z0-9_.-]) and
 * copies it, NUL-terminated, to out. s[i] is at line offset pos + i when
 * exact; otherwise (a string with escapes) errors are blamed on pos.
 */
static int sc_take_name(struct sc_parser *p, const char *s, uint32_t n, uint32_t pos,
			bool exact, const char *what, char out[SHELLCMD_NAME_MAX + 1])
{
	for (uint32_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		uint32_t at = exact ? pos + i : pos;

		if (sc_is_name_byte((char)c))
			continue;
		if (c >= 0x20 && c < 0x7f)
			return shellcmd_error_set(p->err, at, "'%c' is not allowed in %s (%s)", c,
						  what, SC_NAME_RULE);
		return shellcmd_error_set(p->err, at, "byte 0x%02x is not allowed in %s (%s)", c,
					  what, SC_NAME_RULE);
	}
	if (n == 0)
		return shellcmd_error_set(p->err, pos, "%s is empty", what);
	if (n > SHELLCMD_NAME_MAX)
		return shellcmd_error_set(p->err, pos, "%s is %u bytes long; at most %u", what,
					  (unsigned)n, SHELLCMD_NAME_MAX);
	for (uint32_t i = 0; i < n; i++)
		out[i] = s[i];
	out[n] = '\0';
	return 0;
}

static int sc_expect_end(struct sc_parser *p, const char *expected)
{
	if (p->tok.kind == SC_TOK_END)
		return 0;
	return sc_expected(p, expected);
}

static int sc_unknown_command(struct sc_parser *p, const char *what)
{
	const char *w = p->lx.line + p->tok.pos;
	const char *near = sc_command_suggest(w, p->tok.len);
	char found[40];

	sc_token_describe(&p->lx, &p->tok, found, sizeof(found));
	if (near)
		return shellcmd_error_set(p->err, p->tok.pos, "%s %s (did you mean '%s'?)", what,
					  found, near);
	return shellcmd_error_set(p->err, p->tok.pos, "%s %s; 'help' lists the commands", what,
				  found);
}

/* help [COMMAND] */
static int sc_parse_help(struct sc_parser *p)
{
	if (p->tok.kind == SC_TOK_END)
		return 0;
	if (p->tok.kind != SC_TOK_WORD)
		return sc_expected(p, "a command name or the end of the line");
	p->cmd->topic = sc_command_lookup(p->lx.line + p->tok.pos, p->tok.len);
	if (p->cmd->topic == SHELLCMD_EMPTY)
		return sc_unknown_command(p, "no command");
	if (sc_advance(p))
		return -1;
	return sc_expect_end(p, "the end of the line after the command name");
}

/* wait JOB, kill JOB: JOB is 1..SHELLCMD_JOB_MAX in decimal. */
static int sc_parse_job(struct sc_parser *p)
{
	const char *w = p->lx.line + p->tok.pos;
	uint32_t value = 0;
	char expected[48];

	fmt_snprintf(expected, sizeof(expected), "a job number (as in '%s 1')", p->verb);
	if (p->tok.kind != SC_TOK_WORD)
		return sc_expected(p, expected);
	for (uint32_t i = 0; i < p->tok.len; i++) {
		if (w[i] < '0' || w[i] > '9')
			return sc_expected(p, expected);
		if (value <= SHELLCMD_JOB_MAX)
			value = value * 10 + (uint32_t)(w[i] - '0');
	}
	if (value == 0 || value > SHELLCMD_JOB_MAX)
		return shellcmd_error_set(p->err, p->tok.pos, "job numbers are 1..%u",
					  SHELLCMD_JOB_MAX);
	p->cmd->job = value;
	if (sc_advance(p))
		return -1;
	return sc_expect_end(p, "the end of the line after the job number");
}

/*
 * echo: every token's text (strings decoded, everything else as typed),
 * with one space wherever the line had whitespace between two tokens. The
 * text is never longer than the line, so it always fits.
 */
static int sc_parse_echo(struct sc_parser *p)
{
	struct shellcmd *cmd = p->cmd;
	bool first = true;

	while (p->tok.kind != SC_TOK_END) {
		const char *src = p->lx.line + p->tok.pos;
		uint32_t n = p->tok.len;

		if (p->tok.kind == SC_TOK_STRING) {
			src = p->lx.str;
			n = p->lx.str_len;
		}
		if (!first && p->tok.space_before)
			cmd->text[cmd->text_len++] = ' ';
		for (uint32_t i = 0; i < n; i++)
			cmd->text[cmd->text_len++] = src[i];
		first = false;
		if (sc_advance(p))
			return -1;
	}
	cmd->text[cmd->text_len] = '\0';
	return 0;
}

static int sc_named_twice(struct sc_parser *p, const char *name, uint32_t first)
{
	return shellcmd_error_set(p->err, p->tok.pos,
				  "grant '%s' is named twice (first at column %u)", name,
				  shellcmd_column(p->lx.line, p->lx.len, first));
}

/* Checks the grant name at the current word, then its room and its uniqueness. */
static int sc_grant_name(struct sc_parser *p, struct shellcmd_grant *g)
{
	const struct shellcmd *cmd = p->cmd;

	if (p->tok.kind != SC_TOK_WORD)
		return sc_expected(p, "a grant name");
	if (sc_take_name(p, p->lx.line + p->tok.pos, p->tok.len, p->tok.pos, true,
			 "a grant name", g->name))
		return -1;
	if (cmd->ngrants == SHELLCMD_GRANTS_MAX)
		return shellcmd_error_set(p->err, p->tok.pos, "too many grants: at most %u",
					  SHELLCMD_GRANTS_MAX);
	for (uint32_t k = 0; k < cmd->ngrants; k++)
		if (sc_bytes_eq(g->name, sc_strlen(g->name), cmd->grants[k].name))
			return sc_named_twice(p, g->name, cmd->grants[k].name_pos);
	g->name_pos = p->tok.pos;
	return 0;
}

/* After NAME ':': [client] @CAP. */
static int sc_grant_source(struct sc_parser *p, struct shellcmd_grant *g)
{
	g->client = p->tok.kind == SC_TOK_WORD &&
		    sc_bytes_eq(p->lx.line + p->tok.pos, p->tok.len, "client");
	if (g->client && sc_advance(p))
		return -1;
	if (p->tok.kind != SC_TOK_CAPREF)
		return sc_expected(p, g->client ? "'@CAP' after 'client'" :
						  "'@CAP' or 'client @CAP'");
	g->cap_pos = p->tok.pos;
	return sc_take_name(p, p->lx.line + p->tok.pos + 1, p->tok.len - 1, p->tok.pos + 1, true,
			    "a capability name", g->cap);
}

static int sc_unclosed_brace(struct sc_parser *p, uint32_t open)
{
	return shellcmd_error_set(p->err, p->lx.len,
				  "expected '}' to close '{' opened at column %u",
				  shellcmd_column(p->lx.line, p->lx.len, open));
}

/*
 * The grants after '{' (at line offset open), up to and including '}',
 * which is the current token on success. An empty list is refused: leaving
 * out `with` is the way to grant nothing, so `with { }` is likely a slip.
 */
static int sc_parse_grants(struct sc_parser *p, uint32_t open)
{
	struct shellcmd *cmd = p->cmd;

	if (p->tok.kind == SC_TOK_RBRACE)
		return shellcmd_error_set(p->err, p->tok.pos,
					  "empty 'with { }': leave out 'with' to grant nothing");
	for (;;) {
		struct shellcmd_grant next;

		if (p->tok.kind == SC_TOK_END)
			return sc_unclosed_brace(p, open);
		if (sc_grant_name(p, &next) || sc_advance(p))
			return -1;
		if (p->tok.kind != SC_TOK_COLON)
			return sc_expected(p, "':' after the grant name");
		if (sc_advance(p) || sc_grant_source(p, &next) || sc_advance(p))
			return -1;
		cmd->grants[cmd->ngrants++] = next;	/* sc_grant_name checked the room */
		if (p->tok.kind == SC_TOK_RBRACE)
			return 0;
		if (p->tok.kind == SC_TOK_END)
			return sc_unclosed_brace(p, open);
		if (p->tok.kind != SC_TOK_COMMA)
			return sc_expected(p, "',' or '}' after the grant");
		if (sc_advance(p))
			return -1;
	}
}

/* Zero or more quoted arguments after the binary, packed into cmd->args. */
static int sc_parse_args(struct sc_parser *p)
{
	struct shellcmd *cmd = p->cmd;

	while (p->tok.kind == SC_TOK_STRING) {
		if (cmd->nargs == SHELLCMD_ARGS_MAX)
			return shellcmd_error_set(p->err, p->tok.pos, "at most %u arguments",
						  SHELLCMD_ARGS_MAX);
		if (p->lx.str_len >= SHELLCMD_ARGS_BYTES - cmd->args_len)
			return shellcmd_error_set(p->err, p->tok.pos,
						  "the arguments take more than %u bytes "
						  "(one more after each)",
						  SHELLCMD_ARGS_BYTES);
		for (uint32_t i = 0; i < p->lx.str_len; i++)	/* the lexer let no NUL in */
			cmd->args[cmd->args_len++] = p->lx.str[i];
		cmd->args[cmd->args_len++] = '\0';
		cmd->nargs++;
		if (sc_advance(p))
			return -1;
	}
	return 0;
}

/* run|spawn "BINARY" ["ARG" ...] [with { GRANTS }] */
static int sc_parse_launch(struct sc_parser *p)
{
	struct shellcmd *cmd = p->cmd;
	bool exact = p->tok.len == p->lx.str_len + 2;	/* no escapes: bytes map one to one */
	uint32_t open;

	if (p->tok.kind == SC_TOK_WORD)
		return shellcmd_error_set(p->err, p->tok.pos,
					  "the binary's name goes in quotes, as in %s \"hello\"",
					  p->verb);
	if (p->tok.kind != SC_TOK_STRING)
		return sc_expected(p, "the binary's name in quotes");
	if (sc_take_name(p, p->lx.str, p->lx.str_len, p->tok.pos + 1, exact, "a binary name",
			 cmd->binary))
		return -1;
	cmd->binary_pos = p->tok.pos;
	if (sc_advance(p) || sc_parse_args(p))
		return -1;
	if (p->tok.kind == SC_TOK_END)
		return 0;
	if (p->tok.kind != SC_TOK_WORD || !sc_bytes_eq(p->lx.line + p->tok.pos, p->tok.len, "with"))
		return sc_expected(p, "'with' or the end of the line");
	if (sc_advance(p))
		return -1;
	if (p->tok.kind != SC_TOK_LBRACE)
		return sc_expected(p, "'{' after 'with'");
	open = p->tok.pos;
	if (sc_advance(p) || sc_parse_grants(p, open) || sc_advance(p))
		return -1;
	return sc_expect_end(p, "the end of the line after '}'");
}

static int sc_parse_arguments(struct sc_parser *p)
{
	switch (p->cmd->kind) {
	case SHELLCMD_HELP:
		return sc_parse_help(p);
	case SHELLCMD_RUN:
	case SHELLCMD_SPAWN:
		return sc_parse_launch(p);
	case SHELLCMD_WAIT:
	case SHELLCMD_KILL:
		return sc_parse_job(p);
	case SHELLCMD_ECHO:
		return sc_parse_echo(p);
	default:
		if (p->tok.kind == SC_TOK_END)
			return 0;
		return shellcmd_error_set(p->err, p->tok.pos, "'%s' takes no arguments", p->verb);
	}
}

static void sc_command_init(struct shellcmd *cmd)
{
	cmd->kind = SHELLCMD_EMPTY;
	cmd->binary[0] = '\0';
	cmd->binary_pos = 0;
	cmd->nargs = 0;
	cmd->args_len = 0;
	cmd->ngrants = 0;
	cmd->job = 0;
	cmd->topic = SHELLCMD_EMPTY;
	cmd->text_len = 0;
	cmd->text[0] = '\0';
}

int shellcmd_parse(const char *line, size_t len, struct shellcmd *cmd,
		   struct shellcmd_error *err)
{
	struct sc_parser p;

	sc_command_init(cmd);
	if (len > SHELLCMD_LINE_MAX)
		return shellcmd_error_set(err, SHELLCMD_LINE_MAX,
					  "the line is %zu bytes long; at most %u", len,
					  SHELLCMD_LINE_MAX);
	sc_lex_init(&p.lx, line, (uint32_t)len, err);
	p.cmd = cmd;
	p.err = err;
	if (sc_advance(&p))
		return -1;
	if (p.tok.kind == SC_TOK_END)
		return 0;
	if (p.tok.kind != SC_TOK_WORD)
		return sc_expected(&p, "a command");
	cmd->kind = sc_command_lookup(line + p.tok.pos, p.tok.len);
	if (cmd->kind == SHELLCMD_EMPTY)
		return sc_unknown_command(&p, "unknown command");
	p.verb = shellcmd_info(cmd->kind)->name;
	if (sc_advance(&p))
		return -1;
	return sc_parse_arguments(&p);
}
