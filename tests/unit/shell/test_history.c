// SPDX-License-Identifier: MIT
/*
 * Host tests of the shell's line history (lib/shell/history.h): order,
 * the draft kept while browsing, the bound of 32 entries, what is not
 * added, and that browsing ends at an add or a reset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell/history.h"
#include "test.h"

static struct shell_history h;
static char got[SHELLCMD_LINE_MAX + 1];

static void add(const char *s)
{
	shell_history_add(&h, s, strlen(s));
}

/* The result of prev/next as a string ("" when it returned false). */
static const char *as_string(bool ok, const char *out, size_t n)
{
	if (!ok)
		return "(none)";
	memcpy(got, out, n);
	got[n] = '\0';
	return got;
}

static const char *prev(const char *cur)
{
	const char *out = NULL;
	size_t n = 0;
	bool ok = shell_history_prev(&h, cur, strlen(cur), &out, &n);

	return as_string(ok, out, n);
}

static const char *next(void)
{
	const char *out = NULL;
	size_t n = 0;
	bool ok = shell_history_next(&h, &out, &n);

	return as_string(ok, out, n);
}

TEST(history_empty_has_nothing_to_recall)
{
	shell_history_init(&h);
	CHECK_STR(prev("draft"), "(none)");
	CHECK_STR(next(), "(none)");
}

TEST(history_prev_goes_back_next_returns_to_the_draft)
{
	shell_history_init(&h);
	add("caps");
	add("session");
	add("run \"hello\"");
	CHECK_STR(prev("ec"), "run \"hello\"");
	CHECK_STR(prev("ignored"), "session");
	CHECK_STR(prev("ignored"), "caps");
	CHECK_STR(prev("ignored"), "(none)");
	CHECK_STR(next(), "session");
	CHECK_STR(next(), "run \"hello\"");
	CHECK_STR(next(), "ec");
	CHECK_STR(next(), "(none)");
}

TEST(history_keeps_the_newest_32)
{
	char line[16];

	shell_history_init(&h);
	for (int i = 0; i < 40; i++) {
		snprintf(line, sizeof(line), "echo %d", i);
		add(line);
	}
	CHECK_STR(prev(""), "echo 39");
	for (int i = 38; i >= 8; i--) {
		snprintf(line, sizeof(line), "echo %d", i);
		CHECK_STR(prev(""), line);
	}
	CHECK_STR(prev(""), "(none)");
	CHECK_EQ(h.count, SHELL_HISTORY_ENTRIES);
}

TEST(history_skips_blank_lines_and_repeats_of_the_newest)
{
	const char *out;
	size_t n;

	shell_history_init(&h);
	CHECK(!shell_history_add(&h, "", 0));
	CHECK(!shell_history_add(&h, " \t ", 3));
	CHECK(shell_history_add(&h, "ls", 2));
	CHECK(!shell_history_add(&h, "ls", 2));
	CHECK(shell_history_add(&h, "caps", 4));
	CHECK(shell_history_add(&h, "ls", 2));	/* not the newest: added again */
	CHECK(shell_history_add(&h, "sl", 2));	/* same length, other bytes */
	CHECK_EQ(h.count, 4);
	CHECK(shell_history_entry(&h, 4, &out, &n));
	CHECK_STR(as_string(true, out, n), "ls");
	CHECK(!shell_history_entry(&h, 5, &out, &n));
	CHECK(!shell_history_entry(&h, 0, &out, &n));
}

TEST(history_refuses_over_long_lines_and_keeps_full_length_ones)
{
	static char line[SHELLCMD_LINE_MAX + 1];
	const char *out;
	size_t n;

	shell_history_init(&h);
	memset(line, 'x', sizeof(line));
	CHECK(!shell_history_add(&h, line, SHELLCMD_LINE_MAX + 1));
	CHECK(shell_history_add(&h, line, SHELLCMD_LINE_MAX));
	CHECK(shell_history_entry(&h, 1, &out, &n));
	CHECK_EQ(n, SHELLCMD_LINE_MAX);
	CHECK(memcmp(out, line, n) == 0);
}

TEST(history_lines_are_bytes)
{
	const char *out;
	size_t n;

	shell_history_init(&h);
	CHECK(shell_history_add(&h, "echo a\0b", 8));
	CHECK(shell_history_entry(&h, 1, &out, &n));
	CHECK_EQ(n, 8);
	CHECK(memcmp(out, "echo a\0b", 8) == 0);
}

TEST(history_add_and_reset_end_browsing)
{
	shell_history_init(&h);
	add("one");
	add("two");
	CHECK_STR(prev("draft1"), "two");
	CHECK_STR(prev(""), "one");
	add("three");
	CHECK_STR(next(), "(none)");
	CHECK_STR(prev("draft2"), "three");
	shell_history_reset(&h);
	CHECK_STR(next(), "(none)");
	CHECK_STR(prev("draft3"), "three");
	CHECK_STR(next(), "draft3");
}

int main(void)
{
	RUN(history_empty_has_nothing_to_recall);
	RUN(history_prev_goes_back_next_returns_to_the_draft);
	RUN(history_keeps_the_newest_32);
	RUN(history_skips_blank_lines_and_repeats_of_the_newest);
	RUN(history_refuses_over_long_lines_and_keeps_full_length_ones);
	RUN(history_lines_are_bytes);
	RUN(history_add_and_reset_end_browsing);
	TEST_EXIT();
}
