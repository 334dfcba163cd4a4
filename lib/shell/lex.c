// SPDX-License-Identifier: MIT
/*
 * The command language's tokenizer. Tokens: words, quoted strings, @names,
 * and the four punctuation marks { } : , separated by optional spaces or
 * tabs. A word is a run of any bytes but whitespace, control bytes and the
 * marks " { } : , @ \ ; it is deliberately wider than a name, so that
 * `echo hello world!` needs no quotes, and the parser checks a word used as
 * a name byte by byte, blaming the first byte that does not belong.
 *
 * A string runs from '"' to the next unescaped '"' on the same line and is
 * decoded into lx->str as it is read. Escapes: \" \\ \n \t and \xHH (two hex
 * digits, not 00: decoded strings never hold a NUL). Raw control bytes other
 * than tab are refused inside strings, so a string cannot smuggle terminal
 * control sequences except through a visible \x escape. Bytes >= 0x80 pass
 * through (UTF-8 is not validated here; the terminal passes it through).
 * Each call reads forward only, so lexing a line is linear in its length.
 */
#include "shell/internal.h"

void sc_lex_init(struct sc_lexer *lx, const char *line, uint32_t len,
		 struct shellcmd_error *err)
{
	lx->line = line;
	lx->len = len;
	lx->pos = 0;
	lx->err = err;
	lx->str_len = 0;
	lx->str[0] = '\0';
}

static bool sc_is_space(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static bool sc_is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static bool sc_is_word_byte(unsigned char c)
{
	if (sc_is_space(c) || sc_is_control(c))
		return false;
	switch (c) {
	case '"': case '{': case '}': case ':': case ',': case '@': case '\\':
		return false;
	default:
		return true;
	}
}

static int sc_hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int sc_unclosed_string(struct sc_lexer *lx, uint32_t open)
{
	return shellcmd_error_set(lx->err, lx->len,
				  "expected '\"' to close the string opened at column %u",
				  (unsigned)shellcmd_column(lx->line, lx->len, open));
}

/* Decodes the \x escape whose backslash is at esc; returns the byte or -1. */
static int sc_hex_escape(struct sc_lexer *lx, uint32_t esc)
{
	int hi = esc + 2 < lx->len ? sc_hex_value((unsigned char)lx->line[esc + 2]) : -1;
	int lo = esc + 3 < lx->len ? sc_hex_value((unsigned char)lx->line[esc + 3]) : -1;

	if (hi < 0 || lo < 0)
		return shellcmd_error_set(lx->err, esc, "'\\x' needs two hex digits, as in \\x1b");
	if (hi == 0 && lo == 0)
		return shellcmd_error_set(lx->err, esc,
					  "'\\x00' is not allowed: strings hold no NUL");
	return hi * 16 + lo;
}

static int sc_bad_escape(struct sc_lexer *lx, uint32_t esc, unsigned char c)
{
	if (sc_is_control(c) || c >= 0x80)
		return shellcmd_error_set(lx->err, esc, "unknown escape: '\\' before byte 0x%02x",
					  c);
	return shellcmd_error_set(lx->err, esc,
				  "unknown escape '\\%c' (known: \\\" \\\\ \\n \\t \\xHH)", c);
}

/*
 * Decodes the escape whose backslash is at esc (esc + 1 < len), appends the
 * byte to lx->str and returns the escape's length in the line, or -1.
 */
static int sc_escape(struct sc_lexer *lx, uint32_t esc)
{
	unsigned char c = (unsigned char)lx->line[esc + 1];
	int byte;

	switch (c) {
	case '"': byte = '"'; break;
	case '\\': byte = '\\'; break;
	case 'n': byte = '\n'; break;
	case 't': byte = '\t'; break;
	case 'x':
		byte = sc_hex_escape(lx, esc);
		if (byte < 0)
			return -1;
		lx->str[lx->str_len++] = (char)byte;
		return 4;
	default:
		return sc_bad_escape(lx, esc, c);
	}
	lx->str[lx->str_len++] = (char)byte;
	return 2;
}

/* Reads the string whose '"' is at lx->pos. */
static int sc_lex_string(struct sc_lexer *lx, struct sc_token *tok)
{
	uint32_t open = lx->pos, i = open + 1;

	lx->str_len = 0;
	while (i < lx->len) {
		unsigned char c = (unsigned char)lx->line[i];
		int n;

		if (c == '"') {
			lx->str[lx->str_len] = '\0';
			tok->kind = SC_TOK_STRING;
			tok->len = i + 1 - open;
			lx->pos = i + 1;
			return 0;
		}
		if (c == '\\' && i + 1 >= lx->len)
			break;
		if (c == '\\') {
			n = sc_escape(lx, i);
			if (n < 0)
				return -1;
			i += (uint32_t)n;
			continue;
		}
		if (sc_is_control(c) && c != '\t')
			return shellcmd_error_set(lx->err, i, "control byte 0x%02x in a string; "
						  "write it as \\x%02x", c, c);
		/* str_len < i - open <= SHELLCMD_LINE_MAX */
		lx->str[lx->str_len++] = (char)c;
		i++;
	}
	return sc_unclosed_string(lx, open);
}

static uint32_t sc_word_end(const struct sc_lexer *lx, uint32_t from)
{
	while (from < lx->len && sc_is_word_byte((unsigned char)lx->line[from]))
		from++;
	return from;
}

static int sc_unexpected_byte(struct sc_lexer *lx, unsigned char c)
{
	if (sc_is_control(c))
		return shellcmd_error_set(lx->err, lx->pos, "unexpected control byte 0x%02x", c);
	return shellcmd_error_set(lx->err, lx->pos, "unexpected character '%c'", c);
}

static int sc_lex_mark(struct sc_lexer *lx, struct sc_token *tok, enum sc_token_kind kind)
{
	tok->kind = kind;
	tok->len = 1;
	lx->pos++;
	return 0;
}

int sc_lex_next(struct sc_lexer *lx, struct sc_token *tok)
{
	uint32_t start = lx->pos;
	unsigned char c;

	while (lx->pos < lx->len && sc_is_space((unsigned char)lx->line[lx->pos]))
		lx->pos++;
	tok->space_before = lx->pos > start;
	tok->pos = lx->pos;
	tok->len = 0;
	if (lx->pos >= lx->len) {
		tok->kind = SC_TOK_END;
		return 0;
	}
	c = (unsigned char)lx->line[lx->pos];
	switch (c) {
	case '"': return sc_lex_string(lx, tok);
	case '{': return sc_lex_mark(lx, tok, SC_TOK_LBRACE);
	case '}': return sc_lex_mark(lx, tok, SC_TOK_RBRACE);
	case ':': return sc_lex_mark(lx, tok, SC_TOK_COLON);
	case ',': return sc_lex_mark(lx, tok, SC_TOK_COMMA);
	case '@':
		tok->kind = SC_TOK_CAPREF;
		lx->pos = sc_word_end(lx, lx->pos + 1);
		tok->len = lx->pos - tok->pos;
		if (tok->len == 1)
			return shellcmd_error_set(lx->err, tok->pos + 1,
						  "expected a capability name right after '@'");
		return 0;
	}
	if (!sc_is_word_byte(c))
		return sc_unexpected_byte(lx, c);
	tok->kind = SC_TOK_WORD;
	lx->pos = sc_word_end(lx, lx->pos);
	tok->len = lx->pos - tok->pos;
	return 0;
}

/* Appends s to buf[*used..size), keeping room for the NUL. */
static void sc_append(char *buf, size_t size, size_t *used, const char *s)
{
	while (*s && *used + 1 < size)
		buf[(*used)++] = *s++;
	buf[*used] = '\0';
}

/* 'word' with bytes outside printable ASCII as \xNN, cut after 20 source bytes. */
static void sc_describe_word(const char *w, uint32_t n, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t used = 0;
	char one[5];

	sc_append(buf, size, &used, "'");
	for (uint32_t i = 0; i < n && i < 20; i++) {
		unsigned char c = (unsigned char)w[i];

		if (c >= 0x20 && c < 0x7f) {
			one[0] = (char)c;
			one[1] = '\0';
		} else {
			one[0] = '\\';
			one[1] = 'x';
			one[2] = hex[c >> 4];
			one[3] = hex[c & 15];
			one[4] = '\0';
		}
		sc_append(buf, size, &used, one);
	}
	sc_append(buf, size, &used, n > 20 ? "...'" : "'");
}

void sc_token_describe(const struct sc_lexer *lx, const struct sc_token *tok, char *buf,
		       size_t size)
{
	size_t used = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	switch (tok->kind) {
	case SC_TOK_END: sc_append(buf, size, &used, "the end of the line"); return;
	case SC_TOK_STRING: sc_append(buf, size, &used, "a string"); return;
	case SC_TOK_LBRACE: sc_append(buf, size, &used, "'{'"); return;
	case SC_TOK_RBRACE: sc_append(buf, size, &used, "'}'"); return;
	case SC_TOK_COLON: sc_append(buf, size, &used, "':'"); return;
	case SC_TOK_COMMA: sc_append(buf, size, &used, "','"); return;
	case SC_TOK_WORD:
	case SC_TOK_CAPREF:
		sc_describe_word(lx->line + tok->pos, tok->len, buf, size);
		return;
	}
}
