/* SPDX-License-Identifier: MIT */
/*
 * Text building blocks of capnp-print, each a faithful copy of what the
 * official tool (KJ 0.9.2) prints: growable strings, float and double
 * formatting, C escapes for Text and Data, and the pretty-printer's rule for
 * putting a list or record on one line or one item per line.
 */
#ifndef CAPOS_TOOLS_CAPNP_PRINT_TEXT_H
#define CAPOS_TOOLS_CAPNP_PRINT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A heap string; `buf` is NUL-terminated whenever len > 0. */
struct pstr {
	char *buf;
	size_t len;
	size_t cap;
};

enum text_mode {
	TEXT_BARE,	/* printed on its own line unless short */
	TEXT_PREFIXED,	/* printed after "name = " */
};

enum text_kind {
	TEXT_LIST,
	TEXT_RECORD,
};

void pstr_add(struct pstr *s, const char *p, size_t n);
void pstr_puts(struct pstr *s, const char *p);
void pstr_addf(struct pstr *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pstr_free(struct pstr *s);

/* KJ's FloatToBuffer/DoubleToBuffer: "%.6g" / "%.15g", widened to 9 / 17
 * digits when that does not read back exactly; "inf", "-inf", "nan". */
void text_float(struct pstr *s, float v);
void text_double(struct pstr *s, double v);

/* KJ's encodeCEscape; Data (`binary`) also escapes bytes above 0x7f. */
void text_escape(struct pstr *s, const uint8_t *p, size_t n, bool binary);

/*
 * KJ's Indent::delimit: joins `items` (consumed) with ", " when they fit on
 * one line, else one per line indented by `indent` levels. indent == 0 means
 * the compact one-line form.
 */
void text_delimit(struct pstr *out, struct pstr *items, size_t n, unsigned indent,
		  enum text_mode mode, enum text_kind kind);

#endif
