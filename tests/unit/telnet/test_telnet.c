// SPDX-License-Identifier: MIT
/*
 * Host tests of the telnet protocol (lib/telnet/telnet.h): the opening
 * offers; data through, IAC IAC as 0xff, IAC IP as Ctrl-C, other commands
 * and junk dropped; CR LF, CR NUL and bare LF as one line end, also split
 * across reads and around a command; negotiation (agreement to ECHO, SGA
 * and NAWS without answering an answer, one refusal per option, no
 * answer to a refusal of an option already off, no loop); NAWS recorded,
 * a too-long or broken subnegotiation ignored; and every input parsing
 * the same when split at any byte.
 */
#include <stdint.h>
#include <string.h>

#include "telnet/telnet.h"
#include "test.h"

#define IAC 255

struct out {
	uint8_t data[512];
	size_t data_len;
	uint8_t reply[512];
	size_t reply_len;
};

/* Feeds in[0..n) in pieces of `piece` bytes, collecting data and answers. */
static void feed(struct telnet *t, const uint8_t *in, size_t n, size_t piece, struct out *o)
{
	memset(o, 0, sizeof(*o));
	for (size_t off = 0; off < n; off += piece) {
		size_t k = n - off < piece ? n - off : piece, rl;
		uint8_t reply[TELNET_REPLY_MAX(512)];

		o->data_len += telnet_input(t, in + off, k, o->data + o->data_len, reply, &rl);
		if (rl > TELNET_REPLY_MAX(k))
			abort();
		memcpy(o->reply + o->reply_len, reply, rl);
		o->reply_len += rl;
	}
}

static void feed_fresh(const uint8_t *in, size_t n, struct out *o)
{
	struct telnet t;
	uint8_t start[TELNET_START_LEN];

	telnet_init(&t);
	telnet_start(&t, start);
	feed(&t, in, n, n ? n : 1, o);
}

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ })
#define FEED(o, ...) feed_fresh(BYTES(__VA_ARGS__), sizeof(BYTES(__VA_ARGS__)), o)

static bool same(const uint8_t *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && !memcmp(a, b, blen);
}

TEST(start_offers_echo_sga_and_asks_naws)
{
	struct telnet t;
	uint8_t out[TELNET_START_LEN];
	const uint8_t want[] = { IAC, 251, 1, IAC, 251, 3, IAC, 253, 31 };

	telnet_init(&t);
	CHECK_EQ(telnet_start(&t, out), sizeof(want));
	CHECK(!memcmp(out, want, sizeof(want)));
}

TEST(data_passes_and_iac_iac_is_ff)
{
	struct out o;

	FEED(&o, 'a', IAC, IAC, 'b', 0x80);
	CHECK(same(o.data, o.data_len, "a\xff" "b\x80", 4));
	CHECK_EQ(o.reply_len, 0);
}

TEST(commands_are_dropped_and_ip_is_ctrl_c)
{
	struct out o;

	/* NOP, GA, AYT, DM, junk (IAC 7), then IP. */
	FEED(&o, 'x', IAC, 241, IAC, 249, IAC, 246, IAC, 242, IAC, 7, 'y', IAC, 244);
	CHECK(same(o.data, o.data_len, "xy\x03", 3));
	CHECK_EQ(o.reply_len, 0);
}

TEST(line_ends_are_one_cr)
{
	struct out o;

	FEED(&o, 'a', '\r', '\n', 'b', '\r', 0, 'c', '\n', 'd', '\r', 'e');
	CHECK(same(o.data, o.data_len, "a\rb\rc\rd\re", 9));
	/* Two line ends in a row are two lines. */
	FEED(&o, '\r', '\n', '\r', '\n', '\n');
	CHECK(same(o.data, o.data_len, "\r\r\r", 3));
}

TEST(cr_pair_survives_a_command_between)
{
	struct out o;

	FEED(&o, 'a', '\r', IAC, 241, '\n', 'b', '\r', IAC, 251, 31, 0, 'c');
	CHECK(same(o.data, o.data_len, "a\rb\rc", 5));
	/* But a data 0xff after the CR is data: the line end was bare. */
	FEED(&o, '\r', IAC, IAC, '\n');
	CHECK(same(o.data, o.data_len, "\r\xff\r", 3));
}

TEST(answers_to_our_offers_get_no_answer)
{
	struct out o;

	FEED(&o, IAC, 253, 1, IAC, 253, 3, IAC, 251, 31);
	CHECK_EQ(o.reply_len, 0);
	CHECK_EQ(o.data_len, 0);
	/* Asked again while on: still nothing. */
	FEED(&o, IAC, 253, 1, IAC, 253, 1, IAC, 251, 31, IAC, 251, 31);
	CHECK_EQ(o.reply_len, 0);
}

TEST(refusal_of_our_offer_is_not_answered)
{
	struct out o;

	FEED(&o, IAC, 254, 1, IAC, 252, 31, IAC, 254, 1);
	CHECK_EQ(o.reply_len, 0);
}

TEST(turning_off_an_option_that_is_on_is_acknowledged_once)
{
	struct out o;

	/* DO ECHO (agreed), DONT ECHO (WONT), DONT ECHO (nothing), DO ECHO (WILL). */
	FEED(&o, IAC, 253, 1, IAC, 254, 1, IAC, 254, 1, IAC, 253, 1);
	CHECK(same(o.reply, o.reply_len, "\xff\xfc\x01\xff\xfb\x01", 6));
	/* WILL NAWS, WONT NAWS (DONT), WONT NAWS (nothing). */
	FEED(&o, IAC, 251, 31, IAC, 252, 31, IAC, 252, 31);
	CHECK(same(o.reply, o.reply_len, "\xff\xfe\x1f", 3));
}

TEST(other_options_are_refused_once)
{
	struct out o;

	/* DO TTYPE(24) x2, WILL LINEMODE(34) x2, DONT 24, WONT 34: one WONT and one DONT. */
	FEED(&o, IAC, 253, 24, IAC, 253, 24, IAC, 251, 34, IAC, 251, 34, IAC, 254, 24, IAC, 252,
	     34);
	CHECK(same(o.reply, o.reply_len, "\xff\xfc\x18\xff\xfe\x22", 6));
	/* Turning off an option never asked for: nothing. */
	FEED(&o, IAC, 254, 40, IAC, 252, 41);
	CHECK_EQ(o.reply_len, 0);
	/* Options 0 and 255 too. */
	FEED(&o, IAC, 253, 0, IAC, 251, 255, IAC, 253, 255);
	CHECK(same(o.reply, o.reply_len, "\xff\xfc\x00\xff\xfe\xff\xff\xfc\xff", 9));
}

TEST(naws_is_recorded)
{
	struct telnet t;
	struct out o;
	const uint8_t in[] = { IAC, 250, 31, 0, 80, 0, 24, IAC, 240, 'z' };
	const uint8_t ff[] = { IAC, 250, 31, 1, IAC, IAC, 0, 50, IAC, 240 };

	telnet_init(&t);
	feed(&t, in, sizeof(in), sizeof(in), &o);
	CHECK_EQ(t.cols, 80);
	CHECK_EQ(t.rows, 24);
	CHECK(same(o.data, o.data_len, "z", 1));
	feed(&t, ff, sizeof(ff), 1, &o);
	CHECK_EQ(t.cols, 0x1ff);
	CHECK_EQ(t.rows, 50);
	CHECK_EQ(o.data_len, 0);
}

TEST(bad_subnegotiations_are_ignored)
{
	struct telnet t;
	uint8_t in[TELNET_SB_MAX + 20];
	struct out o;
	size_t n = 0;

	telnet_init(&t);
	/* Too long: ignored, nothing after it lost. */
	in[n++] = IAC;
	in[n++] = 250;
	in[n++] = 31;
	for (int i = 0; i < (int)TELNET_SB_MAX + 4; i++)
		in[n++] = 1;
	memcpy(in + n, BYTES(IAC, 240, 'k'), 3);
	n += 3;
	feed(&t, in, n, 7, &o);
	CHECK_EQ(t.cols, 0);
	CHECK(same(o.data, o.data_len, "k", 1));
	/* Wrong length, then one broken by IAC WILL: the command is still read. */
	feed(&t, BYTES(IAC, 250, 31, 0, 80, IAC, 240, IAC, 250, 31, 0, 80, 0, 24, IAC, 251, 24, 'q'),
	     18, 18, &o);
	CHECK_EQ(t.cols, 0);
	CHECK(same(o.reply, o.reply_len, "\xff\xfe\x18", 3));
	CHECK(same(o.data, o.data_len, "q", 1));
}

TEST(every_split_parses_the_same)
{
	static const uint8_t in[] = { 'l', 'o', IAC, 253, 1, 'g', IAC, IAC, '\r', 0, IAC, 250, 31,
				      0, 100, 0, 40, IAC, 240, 'p', '\r', IAC, 241, '\n', IAC,
				      253, 24, IAC, 251, 5, 'w', '\n', IAC, 244, IAC, 253, 24 };
	struct out whole, split;
	struct telnet t;

	telnet_init(&t);
	feed(&t, in, sizeof(in), sizeof(in), &whole);
	CHECK(same(whole.data, whole.data_len, "log\xff\rp\rw\r\x03", 10));
	CHECK(same(whole.reply, whole.reply_len, "\xff\xfb\x01\xff\xfc\x18\xff\xfe\x05", 9));
	for (size_t piece = 1; piece < sizeof(in); piece++) {
		telnet_init(&t);
		feed(&t, in, sizeof(in), piece, &split);
		CHECK(same(split.data, split.data_len, (const char *)whole.data, whole.data_len));
		CHECK(same(split.reply, split.reply_len, (const char *)whole.reply,
			   whole.reply_len));
		CHECK_EQ(t.cols, 100);
		CHECK_EQ(t.rows, 40);
	}
}

TEST(escape_doubles_iac_and_makes_lf_crlf)
{
	struct telnet t;
	uint8_t out[32];
	size_t n;

	telnet_init(&t);
	n = telnet_escape(&t, (const uint8_t *)"a\nb\r\n\xff", 6, out);
	CHECK(same(out, n, "a\r\nb\r\n\xff\xff", 8));
	/* A CR at the end of one write pairs with the LF that starts the next. */
	n = telnet_escape(&t, (const uint8_t *)"x\r", 2, out);
	n += telnet_escape(&t, (const uint8_t *)"\n", 1, out + n);
	CHECK(same(out, n, "x\r\n", 3));
}

int main(void)
{
	RUN(start_offers_echo_sga_and_asks_naws);
	RUN(data_passes_and_iac_iac_is_ff);
	RUN(commands_are_dropped_and_ip_is_ctrl_c);
	RUN(line_ends_are_one_cr);
	RUN(cr_pair_survives_a_command_between);
	RUN(answers_to_our_offers_get_no_answer);
	RUN(refusal_of_our_offer_is_not_answered);
	RUN(turning_off_an_option_that_is_on_is_acknowledged_once);
	RUN(other_options_are_refused_once);
	RUN(naws_is_recorded);
	RUN(bad_subnegotiations_are_ignored);
	RUN(every_split_parses_the_same);
	RUN(escape_doubles_iac_and_makes_lf_crlf);
	return test_failures ? 1 : 0;
}
