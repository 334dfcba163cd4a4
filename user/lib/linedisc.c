// SPDX-License-Identifier: MIT
/*
 * The line discipline (linedisc.h). One byte at a time through a small
 * state machine: escape sequences first (their bytes are dropped; the
 * arrow keys browse the history, if one is set), then control bytes, then
 * the line. Every step appends at most LINEDISC_STEP_ECHO_MAX echo bytes
 * (a recall: 3 per character erased, 1 per byte shown), and the feed stops
 * before the echo could overflow, so no input can overrun either buffer.
 */
#include "linedisc.h"
#include "shell/history.h"

_Static_assert(SHELLCMD_LINE_MAX <= LINEDISC_LINE_MAX, "a history entry fits a line");

#define CTRL_C 0x03
#define CTRL_D 0x04
#define BACKSPACE 0x08
#define TAB 0x09
#define LF 0x0a
#define CR 0x0d
#define CTRL_U 0x15
#define ESC 0x1b
#define DEL 0x7f

/* The feed stops once this much echo waits, leaving room for any one step. */
#define ECHO_STOP (LINEDISC_ECHO_MAX - LINEDISC_STEP_ECHO_MAX)

void linedisc_init(struct linedisc *ld)
{
	ld->len = 0;
	ld->echo_len = 0;
	ld->echo_on = true;
	ld->overflowed = false;
	ld->after_cr = false;
	ld->esc_state = LINEDISC_ESC_NONE;
	ld->esc_len = 0;
	ld->line_ready = false;
	ld->history = NULL;
}

void linedisc_set_echo(struct linedisc *ld, bool on)
{
	ld->echo_on = on;
}

void linedisc_set_history(struct linedisc *ld, struct shell_history *h)
{
	ld->history = h;
}

static void echo_put(struct linedisc *ld, const char *s, size_t n)
{
	for (size_t i = 0; i < n && ld->echo_len < LINEDISC_ECHO_MAX; i++)
		ld->echo[ld->echo_len++] = (uint8_t)s[i];
}

static void echo_byte(struct linedisc *ld, uint8_t b)
{
	if (ld->echo_on)
		echo_put(ld, (const char *)&b, 1);
}

static bool is_utf8_continuation(uint8_t b)
{
	return (b & 0xc0) == 0x80;
}

/*
 * Bytes of the line's last character: a lead byte and the continuation
 * bytes it announces, when they are all there; otherwise one byte (a
 * stray continuation byte or an invalid lead is a character of its own).
 */
static size_t last_char_len(const struct linedisc *ld)
{
	size_t conts = 0, want;
	uint8_t lead;

	while (conts < 3 && conts < ld->len && is_utf8_continuation(ld->line[ld->len - 1 - conts]))
		conts++;
	if (conts == 0 || conts == ld->len)
		return 1;
	lead = ld->line[ld->len - 1 - conts];
	want = (lead & 0xe0) == 0xc0 ? 1 : (lead & 0xf0) == 0xe0 ? 2 : (lead & 0xf8) == 0xf0 ? 3 : 0;
	return want == conts ? conts + 1 : 1;
}

static void erase_char(struct linedisc *ld)
{
	if (ld->len == 0)
		return;
	ld->len -= last_char_len(ld);
	if (ld->echo_on)
		echo_put(ld, "\b \b", 3);
}

static void erase_line(struct linedisc *ld)
{
	while (ld->len)
		erase_char(ld);
	ld->overflowed = false;
}

/* The key a sequence's final byte names: only the bare arrow forms count. */
static enum linedisc_key arrow_key(const struct linedisc *ld, uint8_t final)
{
	if (ld->esc_len != 2)	/* ESC [ 1 ; 5 A and the like carry parameters */
		return LINEDISC_KEY_NONE;
	return final == 'A' ? LINEDISC_KEY_UP : final == 'B' ? LINEDISC_KEY_DOWN
							  : LINEDISC_KEY_NONE;
}

/*
 * An escape sequence's byte: true if it was one (and is dropped), with *key
 * what a sequence ending here asks for. A control byte (CR, Ctrl-C, ...)
 * inside one ends it and acts as itself, so a cut-off sequence never
 * swallows the end of a line.
 */
static bool escape_step(struct linedisc *ld, uint8_t b, enum linedisc_key *key)
{
	*key = LINEDISC_KEY_NONE;
	if (b == ESC) {		/* a new sequence, abandoning any unfinished one */
		ld->esc_state = LINEDISC_ESC_START;
		ld->esc_len = 1;
		return true;
	}
	if (ld->esc_state == LINEDISC_ESC_NONE)
		return false;
	if (b < 0x20) {		/* a control byte inside a sequence acts as itself */
		ld->esc_state = LINEDISC_ESC_NONE;
		return false;
	}
	switch (ld->esc_state) {
	case LINEDISC_ESC_START:
		ld->esc_state = b == '[' ? LINEDISC_ESC_CSI : b == 'O' ? LINEDISC_ESC_SS3
								   : LINEDISC_ESC_NONE;
		break;
	case LINEDISC_ESC_CSI:
		/* Parameters and intermediates are 0x20-0x3f; a final byte 0x40-0x7e ends it. */
		if (b > 0x3f) {
			*key = arrow_key(ld, b);
			ld->esc_state = LINEDISC_ESC_NONE;
		}
		break;
	default:		/* SS3: this byte is the key */
		*key = arrow_key(ld, b);
		ld->esc_state = LINEDISC_ESC_NONE;
		break;
	}
	if (++ld->esc_len >= LINEDISC_ESC_MAX)
		ld->esc_state = LINEDISC_ESC_NONE;	/* too long to be one: give it up */
	return true;
}

/* Ends history browsing (the next up arrow starts from the line being typed). */
static void history_reset(struct linedisc *ld)
{
	if (ld->history)
		shell_history_reset(ld->history);
}

/* Shows entry[0..n) in place of the line: erased, then typed anew. */
static void replace_line(struct linedisc *ld, const char *entry, size_t n)
{
	while (ld->len)
		erase_char(ld);
	ld->overflowed = false;
	for (size_t i = 0; i < n && ld->len < LINEDISC_LINE_MAX; i++) {
		ld->line[ld->len++] = (uint8_t)entry[i];
		echo_byte(ld, (uint8_t)entry[i]);
	}
}

/* An arrow key: the previous or next history entry replaces the line. */
static void browse(struct linedisc *ld, enum linedisc_key key)
{
	const char *entry;
	size_t n;
	bool moved;

	if (!ld->history || key == LINEDISC_KEY_NONE)
		return;
	if (key == LINEDISC_KEY_UP)
		moved = shell_history_prev(ld->history, (const char *)ld->line, ld->len, &entry, &n);
	else
		moved = shell_history_next(ld->history, &entry, &n);
	if (moved)
		replace_line(ld, entry, n);
}

static enum linedisc_event end_of_line(struct linedisc *ld)
{
	bool refused = ld->overflowed;

	echo_put(ld, "\r\n", 2);	/* even without echo: the cursor moves on */
	ld->overflowed = false;
	if (refused) {
		ld->len = 0;
		history_reset(ld);
		return LINEDISC_TOO_LONG;
	}
	ld->line_ready = true;
	if (ld->history)	/* blank lines and repeats stay out; browsing ends */
		shell_history_add(ld->history, (const char *)ld->line, ld->len);
	return LINEDISC_LINE;
}

static void insert(struct linedisc *ld, uint8_t b)
{
	if (ld->overflowed)
		return;
	if (ld->len == LINEDISC_LINE_MAX) {
		ld->overflowed = true;
		echo_byte(ld, '\a');	/* one bell, then silence to the end of the line */
		return;
	}
	ld->line[ld->len++] = b;
	echo_byte(ld, b);
}

/* One byte that is not part of an escape sequence. */
static enum linedisc_event step(struct linedisc *ld, uint8_t b)
{
	bool pair_of_cr = ld->after_cr && b == LF;

	ld->after_cr = b == CR;
	if (pair_of_cr)
		return LINEDISC_NONE;
	switch (b) {
	case CR:
	case LF:
		return end_of_line(ld);
	case BACKSPACE:
	case DEL:
		if (!ld->overflowed)
			erase_char(ld);
		return LINEDISC_NONE;
	case CTRL_U:
		erase_line(ld);
		history_reset(ld);
		return LINEDISC_NONE;
	case CTRL_C:
		history_reset(ld);
		ld->len = 0;
		ld->overflowed = false;
		echo_put(ld, "^C\r\n", 4);
		return LINEDISC_INTERRUPT;
	case CTRL_D:
		if (ld->len || ld->overflowed)
			return LINEDISC_NONE;
		history_reset(ld);
		return LINEDISC_EOF;
	default:
		if (b >= 0x20 || b == TAB)
			insert(ld, b);
		return LINEDISC_NONE;	/* other control bytes are dropped */
	}
}

size_t linedisc_feed(struct linedisc *ld, const uint8_t *in, size_t n, enum linedisc_event *ev)
{
	size_t i = 0;

	*ev = LINEDISC_NONE;
	if (ld->line_ready) {
		ld->line_ready = false;
		ld->len = 0;
	}
	while (i < n && ld->echo_len <= ECHO_STOP) {
		uint8_t b = in[i++];
		enum linedisc_key key;

		if (escape_step(ld, b, &key)) {
			browse(ld, key);
			continue;
		}
		*ev = step(ld, b);
		if (*ev != LINEDISC_NONE)
			break;
	}
	return i;
}

const uint8_t *linedisc_echo(const struct linedisc *ld, size_t *len)
{
	*len = ld->echo_len;
	return ld->echo;
}

void linedisc_echo_clear(struct linedisc *ld)
{
	ld->echo_len = 0;
}

const uint8_t *linedisc_line(const struct linedisc *ld, size_t *len)
{
	*len = ld->line_ready ? ld->len : 0;
	return ld->line;
}
