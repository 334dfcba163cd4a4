// SPDX-License-Identifier: MIT
/*
 * The telnet protocol (telnet.h): one byte at a time through a small state
 * machine, so a sequence split anywhere across reads parses the same as
 * in one piece. No recursion, one pass over the input, bounded output.
 */
#include "telnet/telnet.h"

#include <string.h>

#define CTRL_C 0x03

void telnet_init(struct telnet *t)
{
	memset(t, 0, sizeof(*t));
	t->state = TELNET_DATA;
}

static void put3(uint8_t *out, size_t *len, uint8_t verb, uint8_t opt)
{
	out[(*len)++] = TELNET_IAC;
	out[(*len)++] = verb;
	out[(*len)++] = opt;
}

size_t telnet_start(struct telnet *t, uint8_t *out)
{
	size_t len = 0;

	put3(out, &len, TELNET_WILL, TELNET_OPT_ECHO);
	put3(out, &len, TELNET_WILL, TELNET_OPT_SGA);
	put3(out, &len, TELNET_DO, TELNET_OPT_NAWS);
	t->us_echo = TELNET_WANT_YES;
	t->us_sga = TELNET_WANT_YES;
	t->him_naws = TELNET_WANT_YES;
	return len;
}

/* The state of an option we support on our side (DO/DONT) or his (WILL/WONT), or NULL. */
static uint8_t *supported(struct telnet *t, uint8_t verb, uint8_t opt)
{
	if (verb == TELNET_DO || verb == TELNET_DONT) {
		if (opt == TELNET_OPT_ECHO)
			return &t->us_echo;
		if (opt == TELNET_OPT_SGA)
			return &t->us_sga;
		return NULL;
	}
	return opt == TELNET_OPT_NAWS ? &t->him_naws : NULL;
}

/* True once per option and direction: the first request of an option we refuse. */
static bool first_refusal(uint8_t *bits, uint8_t opt)
{
	uint8_t bit = (uint8_t)(1u << (opt & 7));

	if (bits[opt >> 3] & bit)
		return false;
	bits[opt >> 3] |= bit;
	return true;
}

/*
 * Answers IAC verb opt. Enabling asks (DO, WILL) agree to a supported
 * option (answering only if we had not asked ourselves) and refuse the
 * rest once; disabling ones (DONT, WONT) are acknowledged only if the
 * option was on: an option already in the state asked for gets no answer.
 */
static void negotiate(struct telnet *t, uint8_t verb, uint8_t opt, uint8_t *reply, size_t *rl)
{
	bool enable = verb == TELNET_DO || verb == TELNET_WILL;
	bool our_side = verb == TELNET_DO || verb == TELNET_DONT;
	uint8_t yes = our_side ? TELNET_WILL : TELNET_DO;
	uint8_t no = our_side ? TELNET_WONT : TELNET_DONT;
	uint8_t *st = supported(t, verb, opt);

	if (!st) {
		if (enable && first_refusal(our_side ? t->refused_do : t->refused_will, opt))
			put3(reply, rl, no, opt);
		return;
	}
	if (enable) {
		if (*st == TELNET_NO)
			put3(reply, rl, yes, opt);
		*st = TELNET_YES;
	} else {
		if (*st == TELNET_YES)
			put3(reply, rl, no, opt);
		*st = TELNET_NO;
	}
}

static void sb_put(struct telnet *t, uint8_t b)
{
	if (t->sb_len < TELNET_SB_MAX)
		t->sb[t->sb_len++] = b;
	else
		t->sb_overflow = true;
}

/* IAC SE: a complete subnegotiation; only NAWS (option, width, height) is read. */
static void sb_end(struct telnet *t)
{
	if (t->sb_overflow || t->sb_len != 5 || t->sb[0] != TELNET_OPT_NAWS)
		return;
	t->cols = (uint16_t)(t->sb[1] << 8 | t->sb[2]);
	t->rows = (uint16_t)(t->sb[3] << 8 | t->sb[4]);
}

/* The state after a command: a CR before it may still get its LF or NUL. */
static uint8_t after_command(const struct telnet *t)
{
	return t->cr_pending ? TELNET_CR : TELNET_DATA;
}

/* A byte after IAC; returns a data byte, or -1 for none. */
static int command(struct telnet *t, uint8_t b)
{
	switch (b) {
	case TELNET_IAC:
		t->state = TELNET_DATA;
		return TELNET_IAC;
	case TELNET_WILL:
	case TELNET_WONT:
	case TELNET_DO:
	case TELNET_DONT:
		t->verb = b;
		t->state = TELNET_VERB;
		return -1;
	case TELNET_SB:
		t->sb_len = 0;
		t->sb_overflow = false;
		t->state = TELNET_SB_DATA;
		return -1;
	case TELNET_IP:
		t->state = TELNET_DATA;
		return CTRL_C;
	default:		/* NOP, DM, GA, ..., or no command at all: dropped */
		t->state = after_command(t);
		return -1;
	}
}

/* A data byte (state DATA or CR); returns the byte for the line, or -1. */
static int data_byte(struct telnet *t, uint8_t b)
{
	bool after_cr = t->state == TELNET_CR;

	t->state = TELNET_DATA;
	if (b == TELNET_IAC) {
		t->cr_pending = after_cr;
		t->state = TELNET_IAC_SEEN;
		return -1;
	}
	t->cr_pending = false;
	if (after_cr && (b == '\n' || b == '\0'))
		return -1;	/* the CR's pair: the line ended at the CR */
	if (b == '\r') {
		t->state = TELNET_CR;
		return '\r';
	}
	return b == '\n' ? '\r' : b;
}

/* One byte; returns a data byte or -1. */
static int step(struct telnet *t, uint8_t b, uint8_t *reply, size_t *rl)
{
	switch (t->state) {
	case TELNET_IAC_SEEN:
		return command(t, b);
	case TELNET_VERB:
		negotiate(t, t->verb, b, reply, rl);
		t->state = after_command(t);
		return -1;
	case TELNET_SB_DATA:
		if (b == TELNET_IAC)
			t->state = TELNET_SB_IAC;
		else
			sb_put(t, b);
		return -1;
	case TELNET_SB_IAC:
		if (b == TELNET_IAC) {
			sb_put(t, TELNET_IAC);
			t->state = TELNET_SB_DATA;
			return -1;
		}
		if (b == TELNET_SE) {
			sb_end(t);
			t->state = after_command(t);
			return -1;
		}
		/* A broken subnegotiation: dropped, and b is the command after its IAC. */
		return command(t, b);
	default:
		return data_byte(t, b);
	}
}

size_t telnet_input(struct telnet *t, const uint8_t *in, size_t n, uint8_t *data,
		    uint8_t *reply, size_t *reply_len)
{
	size_t out = 0;

	*reply_len = 0;
	for (size_t i = 0; i < n; i++) {
		int b = step(t, in[i], reply, reply_len);

		if (b >= 0) {
			data[out++] = (uint8_t)b;
			if (b != '\r')
				t->cr_pending = false;
		}
	}
	return out;
}

size_t telnet_escape(struct telnet *t, const uint8_t *in, size_t n, uint8_t *out)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		uint8_t b = in[i];

		if (b == TELNET_IAC)
			out[len++] = TELNET_IAC;
		else if (b == '\n' && !t->out_cr)
			out[len++] = '\r';
		out[len++] = b;
		t->out_cr = b == '\r';
	}
	return len;
}
