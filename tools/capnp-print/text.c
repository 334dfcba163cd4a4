// SPDX-License-Identifier: MIT
/*
 * Text formatting for capnp-print, matching the official `capnp convert
 * binary:text` byte for byte. Every rule here is transcribed from KJ 0.9.2
 * (kj/string.c++ DoubleToBuffer/FloatToBuffer, kj/encoding.c++
 * encodeCEscapeImpl, capnp/stringify.c++ Indent); the agreement tests in
 * tests/capnp/ compare against the real tool. Allocation failure aborts: this
 * is a host tool.
 */
#include "text.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	TEXT_MAX_INLINE_VALUE = 24,	/* KJ maxInlineValueSize */
	TEXT_MAX_INLINE_RECORD = 64,	/* KJ maxInlineRecordSize */
};

static void pstr_reserve(struct pstr *s, size_t extra)
{
	size_t need = s->len + extra + 1;

	if (need <= s->cap)
		return;
	s->cap = s->cap ? s->cap : 32;
	while (s->cap < need)
		s->cap *= 2;
	s->buf = realloc(s->buf, s->cap);
	if (!s->buf) {
		fprintf(stderr, "capnp-print: out of memory\n");
		exit(2);
	}
}

void pstr_add(struct pstr *s, const char *p, size_t n)
{
	pstr_reserve(s, n);
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

void pstr_puts(struct pstr *s, const char *p)
{
	pstr_add(s, p, strlen(p));
}

void pstr_addf(struct pstr *s, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		pstr_add(s, tmp, (size_t)n);
		return;
	}
	pstr_reserve(s, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
}

void pstr_free(struct pstr *s)
{
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

/* KJ RemovePlus: "1e+40" -> "1e40". Radix is '.' in the C locale we run in. */
static void text_add_number(struct pstr *s, const char *b)
{
	for (; *b; b++)
		if (*b != '+')
			pstr_add(s, b, 1);
}

static bool text_special(struct pstr *s, double v)
{
	if (isnan(v))
		pstr_puts(s, "nan");
	else if (isinf(v))
		pstr_puts(s, v > 0 ? "inf" : "-inf");
	else
		return false;
	return true;
}

void text_double(struct pstr *s, double v)
{
	char b[32];
	volatile double back;

	if (text_special(s, v))
		return;
	snprintf(b, sizeof(b), "%.*g", DBL_DIG, v);
	back = strtod(b, NULL);
	if (back != v)
		snprintf(b, sizeof(b), "%.*g", DBL_DIG + 2, v);
	text_add_number(s, b);
}

void text_float(struct pstr *s, float v)
{
	char b[24];
	char *end;
	float back;

	if (text_special(s, v))
		return;
	snprintf(b, sizeof(b), "%.*g", FLT_DIG, (double)v);
	errno = 0;
	back = strtof(b, &end);
	if (*end != '\0' || errno != 0 || back != v)
		snprintf(b, sizeof(b), "%.*g", FLT_DIG + 2, (double)v);
	text_add_number(s, b);
}

void text_escape(struct pstr *s, const uint8_t *p, size_t n, bool binary)
{
	static const char esc_from[] = "\a\b\f\n\r\t\v'\"\\";
	static const char esc_to[] = "abfnrtv'\"\\";
	char tmp[4];

	for (size_t i = 0; i < n; i++) {
		uint8_t b = p[i];
		const char *e = b ? memchr(esc_from, b, sizeof(esc_from) - 1) : NULL;

		if (e) {
			tmp[0] = '\\';
			tmp[1] = esc_to[e - esc_from];
			pstr_add(s, tmp, 2);
		} else if (b < 0x20 || b == 0x7f || (binary && b > 0x7f)) {
			tmp[0] = '\\';
			tmp[1] = (char)('0' + b / 64);
			tmp[2] = (char)('0' + (b / 8) % 8);
			tmp[3] = (char)('0' + b % 8);
			pstr_add(s, tmp, 4);
		} else {
			pstr_add(s, (const char *)&b, 1);
		}
	}
}

static bool text_can_inline(const struct pstr *item)
{
	return item->len <= TEXT_MAX_INLINE_VALUE &&
	       (item->len == 0 || !memchr(item->buf, '\n', item->len));
}

static bool text_can_inline_all(const struct pstr *items, size_t n, enum text_kind kind)
{
	size_t total = 0;

	for (size_t i = 0; i < n; i++) {
		if (!text_can_inline(&items[i]))
			return false;
		if (kind == TEXT_RECORD) {
			total += items[i].len;
			if (total > TEXT_MAX_INLINE_RECORD)
				return false;
		}
	}
	return true;
}

void text_delimit(struct pstr *out, struct pstr *items, size_t n, unsigned indent,
		  enum text_mode mode, enum text_kind kind)
{
	bool inline_all = indent == 0 || text_can_inline_all(items, n, kind);

	if (!inline_all)
		pstr_puts(out, mode == TEXT_BARE ? " " : "\n");
	if (!inline_all && mode != TEXT_BARE)
		for (unsigned j = 0; j < indent * 2; j++)
			pstr_add(out, " ", 1);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && inline_all) {
			pstr_puts(out, ", ");
		} else if (i > 0) {
			pstr_puts(out, ",\n");
			for (unsigned j = 0; j < indent * 2; j++)
				pstr_add(out, " ", 1);
		}
		if (items[i].len)
			pstr_add(out, items[i].buf, items[i].len);
		pstr_free(&items[i]);
	}
	if (!inline_all)
		pstr_add(out, " ", 1);
}
