// SPDX-License-Identifier: MIT
/*
 * printf engine (see fmt.h for the supported subset). A conversion goes
 * through three steps: parse the specification into struct fmt_spec, fetch the
 * argument with the type its length modifier names, then emit padding, prefix,
 * zeros and digits in that order. Each step is a small function; no step uses
 * libc, so the file builds unchanged for the kernel, user space and the host.
 *
 * Arguments travel as a pointer to a local va_list copy, the portable way to
 * hand a va_list to helpers that consume from it.
 */
#include "fmt/fmt.h"

#include <stdbool.h>
#include <stdint.h>

enum {
	FMT_F_MINUS = 1 << 0,	/* left-justify */
	FMT_F_PLUS = 1 << 1,	/* always print a sign */
	FMT_F_SPACE = 1 << 2,	/* space for a positive sign */
	FMT_F_ZERO = 1 << 3,	/* pad numbers with zeros */
	FMT_F_ALT = 1 << 4,	/* '#': 0x prefix, octal leading zero */
};

enum fmt_len { FMT_LEN_NONE, FMT_LEN_HH, FMT_LEN_H, FMT_LEN_L, FMT_LEN_LL,
	       FMT_LEN_Z, FMT_LEN_T, FMT_LEN_J };

struct fmt_spec {
	unsigned flags;		/* FMT_F_* */
	int width;		/* minimum field width, 0 if none */
	int prec;		/* precision, -1 if none */
	enum fmt_len len;	/* length modifier */
};

struct fmt_out {
	fmt_sink_fn sink;
	void *ctx;
	size_t count;		/* characters produced so far */
};

static void fmt_write(struct fmt_out *o, const char *s, size_t n)
{
	if (n == 0)
		return;
	o->sink(o->ctx, s, n);
	o->count += n;
}

static void fmt_pad(struct fmt_out *o, char c, size_t n)
{
	static const char spaces[] = "                ";
	static const char zeros[] = "0000000000000000";
	const char *src = c == '0' ? zeros : spaces;

	while (n > 0) {
		size_t k = n < 16 ? n : 16;

		fmt_write(o, src, k);
		n -= k;
	}
}

static const char *fmt_parse_flags(const char *f, unsigned *flags)
{
	for (;; f++) {
		switch (*f) {
		case '-': *flags |= FMT_F_MINUS; break;
		case '+': *flags |= FMT_F_PLUS; break;
		case ' ': *flags |= FMT_F_SPACE; break;
		case '0': *flags |= FMT_F_ZERO; break;
		case '#': *flags |= FMT_F_ALT; break;
		default: return f;
		}
	}
}

/* Parses a decimal number or '*'; *from_arg says which, *out gets the value. */
static const char *fmt_parse_num(const char *f, int *out, bool *from_arg, va_list *ap)
{
	int v = 0;

	*from_arg = false;
	if (*f == '*') {
		*from_arg = true;
		*out = va_arg(*ap, int);
		return f + 1;
	}
	while (*f >= '0' && *f <= '9') {
		if (v < FMT_MAX_WIDTH)
			v = v * 10 + (*f - '0');
		f++;
	}
	*out = v > FMT_MAX_WIDTH ? FMT_MAX_WIDTH : v;
	return f;
}

static int fmt_clamp(int v)
{
	return v > FMT_MAX_WIDTH ? FMT_MAX_WIDTH : v;
}

static const char *fmt_parse_width(const char *f, struct fmt_spec *sp, va_list *ap)
{
	bool from_arg;
	int w;

	f = fmt_parse_num(f, &w, &from_arg, ap);
	if (w < 0) {
		/* A negative '*' width means '-' flag plus its magnitude. */
		sp->flags |= FMT_F_MINUS;
		w = w < -FMT_MAX_WIDTH ? FMT_MAX_WIDTH : -w;
	}
	sp->width = fmt_clamp(w);
	return f;
}

static const char *fmt_parse_prec(const char *f, struct fmt_spec *sp, va_list *ap)
{
	bool from_arg;
	int p;

	sp->prec = -1;
	if (*f != '.')
		return f;
	f = fmt_parse_num(f + 1, &p, &from_arg, ap);
	/* A negative '*' precision counts as none. */
	sp->prec = p < 0 ? -1 : fmt_clamp(p);
	return f;
}

static const char *fmt_parse_len(const char *f, enum fmt_len *len)
{
	switch (*f) {
	case 'h':
		if (f[1] == 'h') {
			*len = FMT_LEN_HH;
			return f + 2;
		}
		*len = FMT_LEN_H;
		return f + 1;
	case 'l':
		if (f[1] == 'l') {
			*len = FMT_LEN_LL;
			return f + 2;
		}
		*len = FMT_LEN_L;
		return f + 1;
	case 'z': *len = FMT_LEN_Z; return f + 1;
	case 't': *len = FMT_LEN_T; return f + 1;
	case 'j': *len = FMT_LEN_J; return f + 1;
	default: *len = FMT_LEN_NONE; return f;
	}
}

static int64_t fmt_arg_signed(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case FMT_LEN_HH: return (signed char)va_arg(*ap, int);
	case FMT_LEN_H: return (short)va_arg(*ap, int);
	case FMT_LEN_L: return va_arg(*ap, long);
	case FMT_LEN_LL: return va_arg(*ap, long long);
	case FMT_LEN_Z: return va_arg(*ap, long);	/* ssize_t */
	case FMT_LEN_T: return va_arg(*ap, ptrdiff_t);
	case FMT_LEN_J: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static uint64_t fmt_arg_unsigned(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case FMT_LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
	case FMT_LEN_H: return (unsigned short)va_arg(*ap, unsigned);
	case FMT_LEN_L: return va_arg(*ap, unsigned long);
	case FMT_LEN_LL: return va_arg(*ap, unsigned long long);
	case FMT_LEN_Z: return va_arg(*ap, size_t);
	case FMT_LEN_T: return (uint64_t)va_arg(*ap, ptrdiff_t);
	case FMT_LEN_J: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned);
	}
}

/* Writes the digits of v right-aligned ending at end; returns how many. */
static size_t fmt_digits(uint64_t v, unsigned base, bool upper, char *end)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	do {
		*--end = set[v % base];
		v /= base;
		n++;
	} while (v != 0);
	return n;
}

/*
 * Emits one number: [spaces][prefix][zeros][digits][spaces]. prefix is the
 * sign or "0x"; the precision gives the minimum digit count (0 with value 0
 * gives no digits); the '0' flag pads with zeros only without a precision.
 */
static void fmt_number(struct fmt_out *o, const struct fmt_spec *sp, uint64_t v,
		       unsigned base, bool upper, const char *prefix)
{
	char buf[24];
	size_t nd = fmt_digits(v, base, upper, buf + sizeof(buf));
	size_t np = 0, zeros = 0, prec, used;

	while (prefix[np])
		np++;
	if (sp->prec == 0 && v == 0)
		nd = 0;
	prec = sp->prec < 0 ? 1 : (size_t)sp->prec;
	/* '#' with octal: raise the precision so the first digit is a zero. */
	if (base == 8 && (sp->flags & FMT_F_ALT) && prec <= nd && (nd == 0 || v != 0))
		prec = nd + 1;
	if (prec > nd)
		zeros = prec - nd;
	used = np + zeros + nd;
	if ((sp->flags & (FMT_F_ZERO | FMT_F_MINUS)) == FMT_F_ZERO && sp->prec < 0 &&
	    (size_t)sp->width > used) {
		zeros += (size_t)sp->width - used;
		used = (size_t)sp->width;
	}
	if (!(sp->flags & FMT_F_MINUS) && (size_t)sp->width > used)
		fmt_pad(o, ' ', (size_t)sp->width - used);
	fmt_write(o, prefix, np);
	fmt_pad(o, '0', zeros);
	fmt_write(o, buf + sizeof(buf) - nd, nd);
	if ((sp->flags & FMT_F_MINUS) && (size_t)sp->width > used)
		fmt_pad(o, ' ', (size_t)sp->width - used);
}

/* Emits n characters of s padded with spaces to the field width. */
static void fmt_field(struct fmt_out *o, const struct fmt_spec *sp, const char *s, size_t n)
{
	size_t pad = (size_t)sp->width > n ? (size_t)sp->width - n : 0;

	if (!(sp->flags & FMT_F_MINUS))
		fmt_pad(o, ' ', pad);
	fmt_write(o, s, n);
	if (sp->flags & FMT_F_MINUS)
		fmt_pad(o, ' ', pad);
}

static void fmt_string(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
	size_t n = 0;

	if (!s)
		s = "(null)";
	/* Never read past the precision: the string need not be terminated. */
	while ((sp->prec < 0 || n < (size_t)sp->prec) && s[n])
		n++;
	fmt_field(o, sp, s, n);
}

static void fmt_signed(struct fmt_out *o, const struct fmt_spec *sp, va_list *ap)
{
	int64_t v = fmt_arg_signed(sp->len, ap);
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	const char *sign = "";

	if (v < 0)
		sign = "-";
	else if (sp->flags & FMT_F_PLUS)
		sign = "+";
	else if (sp->flags & FMT_F_SPACE)
		sign = " ";
	fmt_number(o, sp, mag, 10, false, sign);
}

static void fmt_pointer(struct fmt_out *o, const struct fmt_spec *sp, va_list *ap)
{
	struct fmt_spec p = { sp->flags & FMT_F_MINUS, sp->width, 16, FMT_LEN_NONE };

	fmt_number(o, &p, (uint64_t)(uintptr_t)va_arg(*ap, void *), 16, false, "0x");
}

/* Handles one conversion character; returns false if it is unknown. */
static bool fmt_convert(struct fmt_out *o, const struct fmt_spec *sp, char conv, va_list *ap)
{
	uint64_t u;
	char c;

	switch (conv) {
	case 'd':
	case 'i':
		fmt_signed(o, sp, ap);
		return true;
	case 'u':
		fmt_number(o, sp, fmt_arg_unsigned(sp->len, ap), 10, false, "");
		return true;
	case 'o':
		fmt_number(o, sp, fmt_arg_unsigned(sp->len, ap), 8, false, "");
		return true;
	case 'x':
	case 'X':
		u = fmt_arg_unsigned(sp->len, ap);
		fmt_number(o, sp, u, 16, conv == 'X',
			   (sp->flags & FMT_F_ALT) && u ? (conv == 'X' ? "0X" : "0x") : "");
		return true;
	case 'c':
		c = (char)va_arg(*ap, int);
		fmt_field(o, sp, &c, 1);
		return true;
	case 's':
		fmt_string(o, sp, va_arg(*ap, const char *));
		return true;
	case 'p':
		fmt_pointer(o, sp, ap);
		return true;
	default:
		return false;
	}
}

/* Formats the conversion starting after '%' at f; returns where to continue. */
static const char *fmt_one(struct fmt_out *o, const char *pct, va_list *ap)
{
	struct fmt_spec sp = { 0, 0, -1, FMT_LEN_NONE };
	const char *f = pct + 1;

	if (*f == '%') {
		fmt_write(o, "%", 1);
		return f + 1;
	}
	f = fmt_parse_flags(f, &sp.flags);
	f = fmt_parse_width(f, &sp, ap);
	f = fmt_parse_prec(f, &sp, ap);
	f = fmt_parse_len(f, &sp.len);
	if (*f != '\0' && fmt_convert(o, &sp, *f, ap))
		return f + 1;
	/* Unknown or truncated conversion: print it as written. */
	if (*f != '\0')
		f++;
	fmt_write(o, pct, (size_t)(f - pct));
	return f;
}

int fmt_vformat(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out o = { sink, ctx, 0 };
	const char *run;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		run = fmt;
		while (*fmt && *fmt != '%')
			fmt++;
		fmt_write(&o, run, (size_t)(fmt - run));
		if (*fmt == '%')
			fmt = fmt_one(&o, fmt, &args);
	}
	va_end(args);
	return o.count > INT32_MAX ? INT32_MAX : (int)o.count;
}

struct fmt_buf {
	char *buf;
	size_t size;		/* capacity including the terminating NUL */
	size_t pos;		/* characters stored so far (< size) */
};

static void fmt_buf_sink(void *ctx, const char *s, size_t n)
{
	struct fmt_buf *b = ctx;
	size_t room;

	if (b->size == 0)
		return;
	room = b->size - 1 - b->pos;
	if (n > room)
		n = room;
	for (size_t i = 0; i < n; i++)
		b->buf[b->pos + i] = s[i];
	b->pos += n;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = { buf, size, 0 };
	int n = fmt_vformat(fmt_buf_sink, &b, fmt, ap);

	if (size > 0)
		buf[b.pos] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
