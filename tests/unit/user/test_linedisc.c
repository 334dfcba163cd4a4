// SPDX-License-Identifier: MIT
/*
 * user/lib/linedisc.c: editing, events, echo, the line bound, UTF-8, and
 * hostile input (every byte value, escape sequences, random garbage) that
 * must never break it or overrun a buffer (ASan/UBSan watch).
 */
#include "linedisc.h"
#include "shell/history.h"
#include "../test.h"

static struct linedisc ld;
static struct shell_history hist;

/* What one feed loop saw: the events in order, the last line, all echo. */
struct run {
	enum linedisc_event events[64];
	int nevents;
	char line[LINEDISC_LINE_MAX + 1];
	size_t line_len;
	char echo[65536];
	size_t echo_len;
};

static struct run r;

/* Feeds all of in (n bytes) the way a terminal service does. */
static void feed_n(const char *in, size_t n)
{
	const uint8_t *p = (const uint8_t *)in;

	while (n) {
		enum linedisc_event ev;
		size_t used = linedisc_feed(&ld, p, n, &ev), elen;
		const uint8_t *e = linedisc_echo(&ld, &elen);

		if (r.echo_len + elen < sizeof(r.echo)) {
			memcpy(r.echo + r.echo_len, e, elen);
			r.echo_len += elen;
		}
		linedisc_echo_clear(&ld);
		if (ev == LINEDISC_LINE) {
			const uint8_t *l = linedisc_line(&ld, &r.line_len);

			memcpy(r.line, l, r.line_len);
			r.line[r.line_len] = 0;
		}
		if (ev != LINEDISC_NONE && r.nevents < 64)
			r.events[r.nevents++] = ev;
		p += used;
		n -= used;
	}
}

static void feed(const char *in)
{
	feed_n(in, strlen(in));
}

/* The last line reported is exactly want. */
static int line_is(const char *want)
{
	return r.line_len == strlen(want) && memcmp(r.line, want, r.line_len) == 0;
}

static void reset(void)
{
	memset(&r, 0, sizeof(r));
	linedisc_init(&ld);
}

/* reset(), with an empty history set. */
static void reset_with_history(void)
{
	reset();
	shell_history_init(&hist);
	linedisc_set_history(&ld, &hist);
}

/* Forgets the events and echo seen so far (the line discipline keeps its state). */
static void forget_run(void)
{
	memset(&r, 0, sizeof(r));
}

/* The echo since the last forget_run is exactly want. */
static int echo_is(const char *want)
{
	return r.echo_len == strlen(want) && memcmp(r.echo, want, r.echo_len) == 0;
}

TEST(a_line_ends_at_cr_lf_or_crlf_once)
{
	reset();
	feed("one\rtwo\nthree\r\nfour\n\r");
	CHECK_EQ(r.nevents, 5);	/* one, two, three, four, and the lone CR's empty line */
	for (int i = 0; i < 5; i++)
		CHECK_EQ(r.events[i], LINEDISC_LINE);
	CHECK(line_is(""));
	reset();
	feed("abc\r\n");
	CHECK_EQ(r.nevents, 1);
	CHECK(line_is("abc"));
	CHECK_EQ(r.echo_len, 5);
	CHECK(memcmp(r.echo, "abc\r\n", 5) == 0);
}

TEST(backspace_and_del_erase_one_character)
{
	reset();
	feed("abX\x7f" "c\bd\r");
	CHECK(line_is("abd"));
	CHECK(strstr(r.echo, "X\b \bc\b \bd") != NULL);
	reset();
	feed("\x7f\x7f" "ok\r");	/* erasing an empty line does nothing */
	CHECK(line_is("ok"));
	CHECK_EQ(r.echo_len, 4);
}

TEST(erase_takes_a_whole_utf8_character)
{
	reset();
	feed("caf\xc3\xa9\x7f" "e\r");	/* é is 2 bytes */
	CHECK(line_is("cafe"));
	reset();
	feed("x\xe2\x82\xac\x7f\r");	/* € is 3 bytes */
	CHECK(line_is("x"));
	reset();
	feed("y\xf0\x9f\x98\x80\x7f\r");	/* an emoji is 4 */
	CHECK(line_is("y"));
	reset();
	feed("z\x80\x80\x7f\r");	/* stray continuation bytes: one at a time */
	CHECK(line_is("z\x80"));
	reset();
	feed("\xe2\x82\x7f\r");	/* a cut-off sequence: its bytes one at a time */
	CHECK(line_is("\xe2"));
}

TEST(utf8_passes_through_unchanged)
{
	reset();
	feed("h\xc3\xa9llo w\xc3\xb6rld \xe2\x82\xac \xf0\x9f\x98\x80\r");
	CHECK(line_is("h\xc3\xa9llo w\xc3\xb6rld \xe2\x82\xac \xf0\x9f\x98\x80"));
}

TEST(ctrl_u_kills_the_line)
{
	reset();
	feed("junk\x15" "clean\r");
	CHECK(line_is("clean"));
	CHECK(strstr(r.echo, "junk\b \b\b \b\b \b\b \bclean") != NULL);
}

TEST(ctrl_c_discards_the_line_and_reports_an_interrupt)
{
	reset();
	feed("partial\x03" "next\r");
	CHECK_EQ(r.nevents, 2);
	CHECK_EQ(r.events[0], LINEDISC_INTERRUPT);
	CHECK_EQ(r.events[1], LINEDISC_LINE);
	CHECK(line_is("next"));
	CHECK(strstr(r.echo, "^C\r\n") != NULL);
}

TEST(ctrl_d_is_end_of_input_only_on_an_empty_line)
{
	reset();
	feed("ab\x04" "c\r\x04");
	CHECK_EQ(r.nevents, 2);
	CHECK_EQ(r.events[0], LINEDISC_LINE);
	CHECK(line_is("abc"));
	CHECK_EQ(r.events[1], LINEDISC_EOF);
}

TEST(no_echo_mode_echoes_only_the_end_of_line)
{
	reset();
	linedisc_set_echo(&ld, false);
	feed("hunter2\x7f" "2\r");
	CHECK(line_is("hunter2"));
	CHECK_EQ(r.echo_len, 2);
	CHECK(memcmp(r.echo, "\r\n", 2) == 0);
	linedisc_set_echo(&ld, true);
	feed("x\r");
	CHECK(memcmp(r.echo + 2, "x\r\n", 3) == 0);
}

TEST(a_line_at_the_bound_is_kept)
{
	static char in[LINEDISC_LINE_MAX + 2];

	reset();
	memset(in, 'a', LINEDISC_LINE_MAX);
	in[LINEDISC_LINE_MAX] = '\r';
	feed_n(in, LINEDISC_LINE_MAX + 1);
	CHECK_EQ(r.nevents, 1);
	CHECK_EQ(r.events[0], LINEDISC_LINE);
	CHECK_EQ(r.line_len, LINEDISC_LINE_MAX);
}

TEST(a_longer_line_is_refused_and_the_next_one_works)
{
	static char in[4002];

	reset();
	memset(in, 'b', 4000);
	in[4000] = '\r';
	feed_n(in, 4001);
	feed("after\r");
	CHECK_EQ(r.nevents, 2);
	CHECK_EQ(r.events[0], LINEDISC_TOO_LONG);
	CHECK_EQ(r.events[1], LINEDISC_LINE);
	CHECK(line_is("after"));
	/* The echo: the bound's bytes, one bell, the end of line; nothing past. */
	CHECK_EQ(r.echo_len, LINEDISC_LINE_MAX + 1 + 2 + 7);
	CHECK_EQ(r.echo[LINEDISC_LINE_MAX], '\a');
}

TEST(ctrl_u_recovers_from_an_overlong_line)
{
	static char in[LINEDISC_LINE_MAX + 10];

	reset();
	memset(in, 'c', sizeof(in));
	feed_n(in, sizeof(in));
	feed("\x15" "fine\r");
	CHECK_EQ(r.nevents, 1);
	CHECK_EQ(r.events[0], LINEDISC_LINE);
	CHECK(line_is("fine"));
}

TEST(escape_sequences_are_dropped)
{
	reset();
	feed("a\x1b[A\x1b[1;5Cb\x1bOPc\x1bxd\x1b[200~e\r");
	CHECK(line_is("abcde"));
	CHECK(memchr(r.echo, 0x1b, r.echo_len) == NULL);
}

TEST(a_control_byte_ends_an_escape_sequence_and_acts)
{
	reset();
	feed("ok\x1b[12\r");	/* a cut-off CSI must not swallow Enter */
	CHECK_EQ(r.nevents, 1);
	CHECK(line_is("ok"));
	reset();
	feed("\x1b[999999999999999999999999999999x\r");	/* too long: given up */
	CHECK_EQ(r.nevents, 1);
	CHECK(r.line_len < 32);
}

TEST(other_control_bytes_never_reach_a_line)
{
	reset();
	feed_n("a\0b\x01\x07\x0b\x0c\x1a" "c\td\r", 13);
	CHECK(line_is("abc\td"));
}

/* xorshift: the same garbage every run. */
static uint32_t rng_state = 0x2545f491;

static uint8_t rand_byte(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return (uint8_t)rng_state;
}

TEST(binary_garbage_never_breaks_it)
{
	static char in[200000];

	reset();
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (char)rand_byte();
	feed_n(in, sizeof(in));
	CHECK(ld.len <= LINEDISC_LINE_MAX);
	feed("\x15\x1b" "\x15" "after garbage\r");
	CHECK_EQ(r.events[r.nevents - 1], LINEDISC_LINE);
	CHECK(line_is("after garbage"));
}

TEST(every_byte_value_alone_and_in_pairs)
{
	for (int a = 0; a < 256; a++) {
		for (int b = 0; b < 256; b++) {
			char in[2] = { (char)a, (char)b };

			linedisc_init(&ld);
			memset(&r, 0, sizeof(r.events) + sizeof(int));
			r.echo_len = 0;
			feed_n(in, 2);
			CHECK(ld.len <= 2);
		}
	}
	reset();
	feed("\x15" "still\r");
	CHECK(line_is("still"));
}

TEST(echo_never_overflows_with_many_kills_in_one_feed)
{
	static char in[3 * (LINEDISC_LINE_MAX + 1)];

	reset();
	for (int k = 0; k < 3; k++) {
		memset(in + k * (LINEDISC_LINE_MAX + 1), 'k', LINEDISC_LINE_MAX);
		in[k * (LINEDISC_LINE_MAX + 1) + LINEDISC_LINE_MAX] = 0x15;
	}
	feed_n(in, sizeof(in));
	/* Each line echoed (1,024 bytes) and erased (3 each): all of it came out. */
	CHECK_EQ(r.echo_len, 3 * 4 * LINEDISC_LINE_MAX);
	CHECK_EQ(ld.len, 0);
}

#define UP "\x1b[A"
#define DOWN "\x1b[B"

TEST(up_arrow_recalls_older_lines_and_redraws)
{
	reset_with_history();
	feed("abc\rdef\r");
	forget_run();
	feed("xy" UP);
	CHECK(echo_is("xy\b \b\b \bdef"));	/* the draft erased, the entry shown */
	feed(UP "\r");
	CHECK(line_is("abc"));
	CHECK_EQ(r.nevents, 1);
	feed(UP "\r");	/* the recalled line joined the history again as the newest */
	CHECK(line_is("abc"));
	feed(UP UP "\r");
	CHECK(line_is("def"));
}

TEST(down_arrow_walks_back_to_the_draft)
{
	reset_with_history();
	feed("one\rtwo\r");
	forget_run();
	feed("dr" UP UP DOWN);
	CHECK(echo_is("dr\b \b\b \btwo\b \b\b \b\b \bone\b \b\b \b\b \btwo"));
	feed(DOWN "\r");
	CHECK(line_is("dr"));
	forget_run();
	feed(DOWN "\r");	/* not browsing: nothing happens */
	CHECK(line_is(""));
	CHECK(echo_is("\r\n"));
}

TEST(up_at_the_oldest_entry_stays_there)
{
	reset_with_history();
	feed("only\r");
	feed(UP UP UP "\r");
	CHECK(line_is("only"));
	reset_with_history();
	forget_run();
	feed("typed" UP "\r");	/* an empty history: the line stays */
	CHECK(line_is("typed"));
	CHECK(echo_is("typed\r\n"));
}

TEST(ss3_arrow_forms_browse_too)
{
	reset_with_history();
	feed("first\rsecond\r");
	feed("\x1bOA\x1bOA\x1bOB\r");
	CHECK(line_is("second"));
}

TEST(other_escape_sequences_are_ignored_while_browsing)
{
	reset_with_history();
	feed("kept\r");
	forget_run();
	/* Ctrl-Up (parameters), right, left, Home, End, F1, F5, paste marks, Alt-x. */
	feed("a\x1b[1;5A\x1b[C\x1b[D\x1b[H\x1b[F\x1bOP\x1b[15~\x1b[200~\x1bxb\r");
	CHECK(line_is("ab"));
	CHECK(echo_is("ab\r\n"));
	feed(UP "\r");
	CHECK(line_is("ab"));
}

TEST(without_a_history_the_arrows_are_dropped)
{
	reset();
	feed("abc\r");
	forget_run();
	feed("x" UP DOWN "\x1bOAy\r");
	CHECK(line_is("xy"));
	CHECK(echo_is("xy\r\n"));
}

TEST(blank_lines_and_lines_read_without_history_stay_out)
{
	reset_with_history();
	feed("cmd\r\r   \r\t\r");
	linedisc_set_history(&ld, NULL);	/* a password's readLine */
	linedisc_set_echo(&ld, false);
	feed("hunter2\r");
	linedisc_set_echo(&ld, true);
	linedisc_set_history(&ld, &hist);
	CHECK_EQ(hist.count, 1);
	feed(UP "\r");
	CHECK(line_is("cmd"));
	feed(UP UP UP "\r");
	CHECK(line_is("cmd"));
}

TEST(ctrl_c_and_ctrl_u_end_browsing)
{
	reset_with_history();
	feed("old\rnew\r");
	feed(UP UP "\x15" UP "\r");	/* Ctrl-U: the next up starts from the newest */
	CHECK(line_is("new"));
	feed(UP UP "\x03");
	CHECK_EQ(r.events[r.nevents - 1], LINEDISC_INTERRUPT);
	feed(UP "\r");
	CHECK(line_is("new"));
	feed(UP UP "\x03" DOWN "\r");	/* after Ctrl-C, down has nothing to walk back to */
	CHECK(line_is(""));
}

TEST(a_recall_replaces_an_overlong_line)
{
	static char in[LINEDISC_LINE_MAX + 10];

	reset_with_history();
	feed("short\r");
	memset(in, 'o', sizeof(in));
	feed_n(in, sizeof(in));
	feed(UP "\r");
	CHECK_EQ(r.events[r.nevents - 1], LINEDISC_LINE);
	CHECK(line_is("short"));
}

TEST(recalling_full_lines_never_overflows_the_echo)
{
	static char in[8 * LINEDISC_LINE_MAX];
	size_t n = 0;

	reset_with_history();
	memset(in, 'p', LINEDISC_LINE_MAX);
	in[LINEDISC_LINE_MAX] = '\r';
	feed_n(in, LINEDISC_LINE_MAX + 1);	/* a full line joins the history */
	memset(in, 'q', LINEDISC_LINE_MAX);
	n = LINEDISC_LINE_MAX;
	for (int k = 0; k < 6; k++) {	/* up, down, up... each a full erase and redraw */
		memcpy(in + n, k % 2 ? DOWN : UP, 3);
		n += 3;
	}
	forget_run();
	feed_n(in, n);
	/* typed q's, then 6 times: 1,024 erased (3 bytes each) and 1,024 shown */
	CHECK_EQ(r.echo_len, LINEDISC_LINE_MAX + 6 * 4 * LINEDISC_LINE_MAX);
	CHECK_EQ(ld.len, LINEDISC_LINE_MAX);
	CHECK_EQ(ld.line[0], 'q');	/* the last down came back to the draft */
}

TEST(a_recall_late_in_a_long_feed_keeps_all_its_echo)
{
	static char in[3 * LINEDISC_LINE_MAX];
	size_t n = LINEDISC_LINE_MAX;

	reset_with_history();
	memset(in, 'p', LINEDISC_LINE_MAX);
	in[LINEDISC_LINE_MAX] = '\r';
	feed_n(in, LINEDISC_LINE_MAX + 1);
	memset(in, 'q', LINEDISC_LINE_MAX);	/* a full line, then echo piling up in one feed */
	for (int k = 0; k < 254; k++) {
		in[n++] = 0x7f;
		in[n++] = 'q';
	}
	memcpy(in + n, UP, 3);
	n += 3;
	forget_run();
	feed_n(in, n);
	CHECK_EQ(r.echo_len, LINEDISC_LINE_MAX + 254 * 4 + 4 * LINEDISC_LINE_MAX);
	CHECK_EQ(ld.line[LINEDISC_LINE_MAX - 1], 'p');
}

TEST(garbage_with_arrow_keys_never_breaks_the_history)
{
	static const char *keys[] = { UP, DOWN, "\x1bOA", "\x1bOB", "\r", "\x15", "\x03" };
	static char in[300000];
	size_t n = 0;

	reset_with_history();
	while (n + 8 < sizeof(in)) {
		uint8_t b = rand_byte();

		if (b < 64) {
			const char *k = keys[b % 7];

			memcpy(in + n, k, strlen(k));
			n += strlen(k);
		} else {
			in[n++] = (char)rand_byte();
		}
	}
	feed_n(in, n);
	CHECK(ld.len <= LINEDISC_LINE_MAX);
	CHECK(hist.count <= SHELL_HISTORY_ENTRIES);
	feed("\x15\x1b\x15" "after garbage\r");
	CHECK(line_is("after garbage"));
	feed(UP "\r");
	CHECK(line_is("after garbage"));
}

int main(void)
{
	RUN(a_line_ends_at_cr_lf_or_crlf_once);
	RUN(backspace_and_del_erase_one_character);
	RUN(erase_takes_a_whole_utf8_character);
	RUN(utf8_passes_through_unchanged);
	RUN(ctrl_u_kills_the_line);
	RUN(ctrl_c_discards_the_line_and_reports_an_interrupt);
	RUN(ctrl_d_is_end_of_input_only_on_an_empty_line);
	RUN(no_echo_mode_echoes_only_the_end_of_line);
	RUN(a_line_at_the_bound_is_kept);
	RUN(a_longer_line_is_refused_and_the_next_one_works);
	RUN(ctrl_u_recovers_from_an_overlong_line);
	RUN(escape_sequences_are_dropped);
	RUN(a_control_byte_ends_an_escape_sequence_and_acts);
	RUN(other_control_bytes_never_reach_a_line);
	RUN(binary_garbage_never_breaks_it);
	RUN(every_byte_value_alone_and_in_pairs);
	RUN(echo_never_overflows_with_many_kills_in_one_feed);
	RUN(up_arrow_recalls_older_lines_and_redraws);
	RUN(down_arrow_walks_back_to_the_draft);
	RUN(up_at_the_oldest_entry_stays_there);
	RUN(ss3_arrow_forms_browse_too);
	RUN(other_escape_sequences_are_ignored_while_browsing);
	RUN(without_a_history_the_arrows_are_dropped);
	RUN(blank_lines_and_lines_read_without_history_stay_out);
	RUN(ctrl_c_and_ctrl_u_end_browsing);
	RUN(a_recall_replaces_an_overlong_line);
	RUN(recalling_full_lines_never_overflows_the_echo);
	RUN(a_recall_late_in_a_long_feed_keeps_all_its_echo);
	RUN(garbage_with_arrow_keys_never_breaks_the_history);
	return test_failures ? 1 : 0;
}
