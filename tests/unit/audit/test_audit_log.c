// SPDX-License-Identifier: MIT
/*
 * Host tests of the audit log's record store (lib/audit/audit_log.h): seq
 * and time kept, the 256-record bound (the oldest dropped and counted),
 * reads by seq (from before the oldest, in the middle, past the newest,
 * bounded by max), fields cut to their bounds, and escaping: no control
 * byte, DEL, high byte or lone backslash ever stored, and a cut never
 * splits an escape.
 */
#include <stdint.h>
#include <string.h>

#include "audit/audit_log.h"
#include "test.h"

static struct audit_log log_;
static const struct audit_record *got[AUDIT_LOG_RECORDS];

static uint64_t append_plain(uint16_t event, uint64_t t, const char *user)
{
	return audit_log_append(&log_, event, t, user, (uint32_t)strlen(user), "s-0000abcd", 10,
				"detail", 6);
}

/* True if s holds only printable ASCII. */
static int printable(const char *s)
{
	for (; *s; s++)
		if ((uint8_t)*s < 0x20 || (uint8_t)*s > 0x7e)
			return 0;
	return 1;
}

TEST(append_then_read_round_trip)
{
	audit_log_init(&log_);
	CHECK_EQ(append_plain(1, 111, "root"), 1);
	CHECK_EQ(append_plain(3, 222, "guest"), 2);
	CHECK_EQ(audit_log_read(&log_, 1, AUDIT_READ_MAX, got), 2);
	CHECK_EQ(got[0]->seq, 1);
	CHECK_EQ(got[0]->time_ns, 111);
	CHECK_EQ(got[0]->event, 1);
	CHECK_STR(got[0]->user, "root");
	CHECK_STR(got[0]->session, "s-0000abcd");
	CHECK_STR(got[0]->detail, "detail");
	CHECK_EQ(got[1]->seq, 2);
	CHECK_EQ(got[1]->event, 3);
	CHECK_STR(got[1]->user, "guest");
	CHECK_EQ(audit_log_next_seq(&log_, got[1]), 3);
	CHECK_EQ(log_.dropped, 0);
}

TEST(read_from_zero_and_from_the_future)
{
	audit_log_init(&log_);
	CHECK_EQ(audit_log_read(&log_, 0, AUDIT_READ_MAX, got), 0);
	CHECK_EQ(audit_log_next_seq(&log_, NULL), 1);
	append_plain(0, 1, "a");
	append_plain(0, 2, "b");
	CHECK_EQ(audit_log_read(&log_, 0, AUDIT_READ_MAX, got), 2);
	CHECK_EQ(audit_log_read(&log_, 2, AUDIT_READ_MAX, got), 1);
	CHECK_EQ(got[0]->seq, 2);
	CHECK_EQ(audit_log_read(&log_, 3, AUDIT_READ_MAX, got), 0);
	CHECK_EQ(audit_log_read(&log_, UINT64_MAX, AUDIT_READ_MAX, got), 0);
	CHECK_EQ(audit_log_next_seq(&log_, NULL), 3);
}

TEST(read_stops_at_max)
{
	audit_log_init(&log_);
	for (int i = 0; i < 100; i++)
		append_plain(4, (uint64_t)i, "u");
	CHECK_EQ(audit_log_read(&log_, 1, AUDIT_READ_MAX, got), 64);
	CHECK_EQ(got[63]->seq, 64);
	CHECK_EQ(audit_log_next_seq(&log_, got[63]), 65);
	CHECK_EQ(audit_log_read(&log_, 65, AUDIT_READ_MAX, got), 36);
	CHECK_EQ(got[0]->seq, 65);
	CHECK_EQ(audit_log_read(&log_, 10, 1, got), 1);
	CHECK_EQ(got[0]->seq, 10);
}

TEST(bound_drops_the_oldest_and_counts)
{
	audit_log_init(&log_);
	for (int i = 1; i <= 300; i++)
		CHECK_EQ(append_plain(2, (uint64_t)i * 10, "u"), i);
	CHECK_EQ(log_.count, AUDIT_LOG_RECORDS);
	CHECK_EQ(log_.dropped, 44);
	CHECK_EQ(audit_log_read(&log_, 1, AUDIT_READ_MAX, got), 64);
	CHECK_EQ(got[0]->seq, 45);
	CHECK_EQ(got[0]->time_ns, 450);
	CHECK_EQ(audit_log_read(&log_, 290, AUDIT_READ_MAX, got), 11);
	CHECK_EQ(got[10]->seq, 300);
	CHECK_EQ(audit_log_next_seq(&log_, got[10]), 301);
	/* The ring wraps many times over without losing order. */
	for (int i = 301; i <= 1000; i++)
		append_plain(2, (uint64_t)i, "u");
	CHECK_EQ(log_.dropped, 744);
	CHECK_EQ(audit_log_read(&log_, 0, AUDIT_READ_MAX, got), 64);
	CHECK_EQ(got[0]->seq, 745);
	CHECK_EQ(got[63]->seq, 808);
}

TEST(fields_cut_to_their_bounds)
{
	char big[5000];

	memset(big, 'x', sizeof(big));
	audit_log_init(&log_);
	audit_log_append(&log_, 0, 0, big, sizeof(big), big, sizeof(big), big, sizeof(big));
	CHECK_EQ(audit_log_read(&log_, 1, 1, got), 1);
	CHECK_EQ(strlen(got[0]->user), AUDIT_USER_MAX);
	CHECK_EQ(strlen(got[0]->session), AUDIT_SESSION_MAX);
	CHECK_EQ(strlen(got[0]->detail), AUDIT_DETAIL_MAX);
	audit_log_append(&log_, 0, 0, big, AUDIT_USER_MAX, big, 0, NULL, 0);
	CHECK_EQ(audit_log_read(&log_, 2, 1, got), 1);
	CHECK_EQ(strlen(got[0]->user), AUDIT_USER_MAX);
	CHECK_STR(got[0]->session, "");
	CHECK_STR(got[0]->detail, "");
}

TEST(control_bytes_stored_escaped)
{
	static const char evil[] = "a\x1b[2Jb\r\nc\x07\x7f\x9b\xc2\x9b\\d";

	audit_log_init(&log_);
	audit_log_append(&log_, 5, 0, evil, sizeof(evil) - 1, "\x1b]0;x\x07", 6, evil,
			 sizeof(evil) - 1);
	CHECK_EQ(audit_log_read(&log_, 1, 1, got), 1);
	CHECK_STR(got[0]->detail, "a\\x1b[2Jb\\x0d\\x0ac\\x07\\x7f\\x9b\\xc2\\x9b\\\\d");
	CHECK(printable(got[0]->user));
	CHECK_STR(got[0]->user, "a\\x1b[2Jb\\x0d\\x0ac\\x07\\x7f\\x9b");
	CHECK_STR(got[0]->session, "\\x1b]0;x\\x07");
	CHECK(printable(got[0]->detail));
	CHECK(printable(got[0]->session));
}

TEST(nul_bytes_escaped_not_cutting)
{
	audit_log_init(&log_);
	audit_log_append(&log_, 0, 0, "ro\0ot", 5, "", 0, "", 0);
	CHECK_EQ(audit_log_read(&log_, 1, 1, got), 1);
	CHECK_STR(got[0]->user, "ro\\x00ot");
}

TEST(cut_never_splits_an_escape)
{
	char out[AUDIT_SESSION_MAX + 1];
	char ctl[40];

	memset(ctl, 0x1b, sizeof(ctl));
	/* 16 bytes hold four "\x1b" escapes exactly. */
	CHECK_EQ(audit_escape(ctl, sizeof(ctl), out, AUDIT_SESSION_MAX), 16);
	/* After "ab", 14 bytes hold three escapes (12); the fourth would split. */
	ctl[0] = 'a';
	ctl[1] = 'b';
	CHECK_EQ(audit_escape(ctl, sizeof(ctl), out, AUDIT_SESSION_MAX), 14);
	CHECK_STR(out, "ab\\x1b\\x1b\\x1b");
	memset(ctl, '\\', sizeof(ctl));
	ctl[0] = 'a';
	CHECK_EQ(audit_escape(ctl, sizeof(ctl), out, AUDIT_SESSION_MAX), 15);
	CHECK_EQ(audit_escape("abc", 3, out, 0), 0);
	CHECK_STR(out, "");
}

TEST(events_valid_and_not)
{
	CHECK(audit_event_valid(0));
	CHECK(audit_event_valid(5));
	CHECK(!audit_event_valid(6));
	CHECK(!audit_event_valid(0xffff));
}

TEST(wire_bytes_of_the_largest_record)
{
	char big[300];

	memset(big, 'y', sizeof(big));
	audit_log_init(&log_);
	audit_log_append(&log_, 0, 0, big, sizeof(big), big, sizeof(big), big, sizeof(big));
	audit_log_read(&log_, 1, 1, got);
	/* 48 + 40 (32 + NUL) + 24 (16 + NUL) + 208 (200 + NUL). */
	CHECK_EQ(audit_record_wire_bytes(got[0]), 320);
	audit_log_append(&log_, 0, 0, "", 0, "", 0, "", 0);
	audit_log_read(&log_, 2, 1, got);
	CHECK_EQ(audit_record_wire_bytes(got[0]), 72);
}

int main(void)
{
	RUN(append_then_read_round_trip);
	RUN(read_from_zero_and_from_the_future);
	RUN(read_stops_at_max);
	RUN(bound_drops_the_oldest_and_counts);
	RUN(fields_cut_to_their_bounds);
	RUN(control_bytes_stored_escaped);
	RUN(nul_bytes_escaped_not_cutting);
	RUN(cut_never_splits_an_escape);
	RUN(events_valid_and_not);
	RUN(wire_bytes_of_the_largest_record);
	TEST_EXIT();
}
