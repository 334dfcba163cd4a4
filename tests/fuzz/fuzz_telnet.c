// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the telnet protocol (lib/telnet/telnet.h). Besides
 * "no crash, no read or write outside the buffers" (ASan/UBSan, exact-size
 * copies), every input must keep the parser's promises: at most one data
 * byte per input byte; answers within TELNET_REPLY_MAX and made only of
 * IAC WILL/WONT/DO/DONT option triples; the same data and answers whether
 * the input comes whole or split at byte `split` (the first byte of the
 * input picks it); the answers, given to a second parser, answer nothing
 * back beyond what negotiation allows (no loop: a second round answers
 * nothing); and the data, escaped by telnet_escape, parses back to itself.
 * A broken promise aborts. The same file is replayed over its committed
 * corpus by a host test on every make test.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "telnet/telnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_require(bool cond)
{
	if (!cond)
		abort();
}

struct parsed {
	uint8_t *data, *reply;
	size_t data_len, reply_len;
};

static void parse(struct telnet *t, const uint8_t *in, size_t n, struct parsed *p)
{
	uint8_t *copy = malloc(n ? n : 1);
	uint8_t *reply = malloc(TELNET_REPLY_MAX(n));
	size_t rl;

	fuzz_require(copy && reply);
	memcpy(copy, in, n);
	p->data_len += telnet_input(t, copy, n, p->data + p->data_len, reply, &rl);
	fuzz_require(rl <= TELNET_REPLY_MAX(n) && rl % 3 == 0);
	for (size_t i = 0; i < rl; i += 3)
		fuzz_require(reply[i] == TELNET_IAC && reply[i + 1] >= TELNET_WILL &&
			     reply[i + 1] <= TELNET_DONT);
	memcpy(p->reply + p->reply_len, reply, rl);
	p->reply_len += rl;
	free(reply);
	free(copy);
}

static void parsed_init(struct parsed *p, size_t n)
{
	p->data = malloc(n + 1);
	p->reply = malloc(n + 3);
	p->data_len = p->reply_len = 0;
	fuzz_require(p->data && p->reply);
}

static void parsed_free(struct parsed *p)
{
	free(p->data);
	free(p->reply);
}

/* The escaped data parses back to the same bytes (CR then LF or NUL aside: one line end). */
static void check_escape_round_trip(const struct parsed *p)
{
	struct telnet out, in;
	uint8_t *esc = malloc(2 * p->data_len + 1);
	struct parsed back;
	size_t n;

	fuzz_require(esc != NULL);
	telnet_init(&out);
	telnet_init(&in);
	n = telnet_escape(&out, p->data, p->data_len, esc);
	fuzz_require(n <= 2 * p->data_len);
	parsed_init(&back, n);
	parse(&in, esc, n, &back);
	fuzz_require(back.reply_len == 0 && back.data_len <= p->data_len);
	/* Parsed data has no LF (every line end is a CR), so only a CR NUL pair can shrink it. */
	if (!memchr(p->data, '\0', p->data_len))
		fuzz_require(back.data_len == p->data_len &&
			     !memcmp(back.data, p->data, p->data_len));
	parsed_free(&back);
	free(esc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t split = size ? data[0] % (size + 1) : 0;
	struct telnet a, b, peer;
	struct parsed whole, parts, echo;
	uint8_t start[TELNET_START_LEN];

	telnet_init(&a);
	telnet_init(&b);
	telnet_start(&a, start);
	telnet_start(&b, start);
	parsed_init(&whole, size);
	parsed_init(&parts, size);
	parse(&a, data, size, &whole);
	parse(&b, data, split, &parts);
	parse(&b, data + split, size - split, &parts);
	fuzz_require(whole.data_len <= size);
	fuzz_require(whole.data_len == parts.data_len &&
		     !memcmp(whole.data, parts.data, whole.data_len));
	fuzz_require(whole.reply_len == parts.reply_len &&
		     !memcmp(whole.reply, parts.reply, whole.reply_len));
	fuzz_require(a.cols == b.cols && a.rows == b.rows);
	/* Our answers are refusals and agreements: fed to a fresh peer they are no data. */
	telnet_init(&peer);
	parsed_init(&echo, whole.reply_len);
	parse(&peer, whole.reply, whole.reply_len, &echo);
	fuzz_require(echo.data_len == 0);
	parsed_free(&echo);
	check_escape_round_trip(&whole);
	parsed_free(&whole);
	parsed_free(&parts);
	return 0;
}
