// SPDX-License-Identifier: MIT
/*
 * Host tests of the CredentialStore's pure logic (lib/creds/creds.h): user
 * names (length, characters, binary bytes), password lengths, the throttle
 * schedule and its cap, the record store (bounds, duplicates, lookup that
 * never matches a prefix) and the throttle bookkeeping per account and per
 * terminal (a success clears it; unknown users and bad terminals touch
 * nothing they should not).
 */
#include <stdint.h>
#include <string.h>

#include "creds/creds.h"
#include "test.h"

#define S_NS 1000000000ull
#define PHC "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA"

static struct creds_store st;

TEST(names_valid_and_invalid)
{
	char longest[CREDS_NAME_MAX + 1];

	CHECK(creds_name_valid("operator", 8));
	CHECK(creds_name_valid("a", 1));
	CHECK(creds_name_valid("a1_b-c", 6));
	memset(longest, 'z', sizeof(longest));
	CHECK(creds_name_valid(longest, CREDS_NAME_MAX));
	CHECK(!creds_name_valid(longest, CREDS_NAME_MAX + 1));
	CHECK(!creds_name_valid("", 0));
	CHECK(!creds_name_valid(NULL, 3));
	CHECK(!creds_name_valid("1abc", 4));	/* starts with a digit */
	CHECK(!creds_name_valid("_abc", 4));
	CHECK(!creds_name_valid("Admin", 5));	/* upper case */
	CHECK(!creds_name_valid("a b", 3));
	CHECK(!creds_name_valid("ab\0c", 4));	/* an embedded NUL */
	CHECK(!creds_name_valid("a\xc3\xa9", 3));	/* UTF-8 beyond ASCII */
	CHECK(!creds_name_valid("a\xff\xfe", 3));	/* not UTF-8 at all */
	CHECK(!creds_name_valid("a\n", 2));
}

TEST(password_lengths)
{
	CHECK(!creds_password_len_valid(0));
	CHECK(creds_password_len_valid(1));
	CHECK(creds_password_len_valid(128));
	CHECK(!creds_password_len_valid(129));
	CHECK(!creds_password_len_valid(UINT32_MAX));
}

TEST(delay_schedule_doubles_and_caps)
{
	CHECK_EQ(creds_delay_ms(0), 0u);
	CHECK_EQ(creds_delay_ms(1), 1000u);
	CHECK_EQ(creds_delay_ms(2), 2000u);
	CHECK_EQ(creds_delay_ms(3), 4000u);
	CHECK_EQ(creds_delay_ms(4), 8000u);
	CHECK_EQ(creds_delay_ms(5), 16000u);
	CHECK_EQ(creds_delay_ms(6), CREDS_DELAY_CAP_MS);
	CHECK_EQ(creds_delay_ms(16), CREDS_DELAY_CAP_MS);
	CHECK_EQ(creds_delay_ms(17), CREDS_DELAY_CAP_MS);
	CHECK_EQ(creds_delay_ms(UINT32_MAX), CREDS_DELAY_CAP_MS);
	for (uint32_t f = 1; f < 100; f++)
		CHECK(creds_delay_ms(f) >= creds_delay_ms(f - 1));
}

TEST(store_adds_finds_and_refuses)
{
	char name[8];

	creds_store_init(&st);
	CHECK(!creds_has_operator(&st));
	CHECK_EQ(creds_add(&st, "root", 4, CREDS_OPERATOR, PHC), CREDS_OK);
	CHECK(creds_has_operator(&st));
	CHECK_EQ(creds_find(&st, "root", 4), 0);
	CHECK_EQ(creds_find(&st, "roo", 3), -1);	/* no prefix match */
	CHECK_EQ(creds_find(&st, "roots", 5), -1);
	CHECK_EQ(creds_find(&st, "root\0", 5), -1);
	CHECK_EQ(creds_find(&st, "", 0), -1);
	CHECK(strcmp(st.accounts[0].verifier, PHC) == 0);
	CHECK_EQ(creds_add(&st, "root", 4, CREDS_GUEST, PHC), CREDS_ERR_EXISTS);
	CHECK_EQ(creds_add(&st, "Root", 4, CREDS_GUEST, PHC), CREDS_ERR_NAME);
	CHECK_EQ(creds_add(&st, "guest", 5, CREDS_GUEST, ""), CREDS_ERR_VERIFIER);
	CHECK_EQ(creds_add(&st, "guest", 5, CREDS_GUEST, NULL), CREDS_ERR_VERIFIER);
	for (uint32_t i = 1; i < CREDS_ACCOUNTS_MAX; i++) {
		snprintf(name, sizeof(name), "u%u", i);
		CHECK_EQ(creds_add(&st, name, (uint32_t)strlen(name), CREDS_GUEST, PHC), CREDS_OK);
	}
	CHECK_EQ(st.count, CREDS_ACCOUNTS_MAX);
	CHECK_EQ(creds_add(&st, "more", 4, CREDS_GUEST, PHC), CREDS_ERR_FULL);
	CHECK_EQ(creds_find(&st, "u15", 3), 15);
}

TEST(store_refuses_an_unterminated_verifier)
{
	static char big[CREDS_VERIFIER_MAX + 8];

	creds_store_init(&st);
	memset(big, 'x', sizeof(big));	/* no NUL within the bound */
	CHECK_EQ(creds_add(&st, "root", 4, CREDS_OPERATOR, big), CREDS_ERR_VERIFIER);
	big[CREDS_VERIFIER_MAX - 1] = '\0';	/* 255 bytes: the longest kept */
	CHECK_EQ(creds_add(&st, "root", 4, CREDS_OPERATOR, big), CREDS_OK);
	CHECK_EQ(strlen(st.accounts[0].verifier), CREDS_VERIFIER_MAX - 1);
}

TEST(failures_push_the_next_answer_back)
{
	uint64_t now = 100 * S_NS, at;

	creds_store_init(&st);
	CHECK_EQ(creds_add(&st, "root", 4, CREDS_OPERATOR, PHC), CREDS_OK);
	/* Attempts back to back: each answer waits out the previous failures. */
	uint64_t want_gap[] = { 0, 1, 2, 4, 8, 16, 30, 30 };
	for (uint32_t i = 0; i < sizeof(want_gap) / sizeof(want_gap[0]); i++) {
		at = creds_answer_at(&st, 0, 3, now);
		CHECK_EQ(at - now, want_gap[i] * S_NS);
		creds_note(&st, 0, 3, false, at);
		now = at;
	}
	/* After waiting, no extra delay; a success then clears both throttles. */
	now += 60 * S_NS;
	CHECK_EQ(creds_answer_at(&st, 0, 3, now), now);
	creds_note(&st, 0, 3, true, now);
	CHECK_EQ(st.accounts[0].throttle.failures, 0u);
	CHECK_EQ(st.terminals[3].failures, 0u);
	creds_note(&st, 0, 3, false, now);
	CHECK_EQ(creds_answer_at(&st, 0, 3, now), now + S_NS);
}

TEST(throttles_are_per_account_and_per_terminal)
{
	uint64_t now = 5 * S_NS;

	creds_store_init(&st);
	CHECK_EQ(creds_add(&st, "root", 4, CREDS_OPERATOR, PHC), CREDS_OK);
	CHECK_EQ(creds_add(&st, "bob", 3, CREDS_GUEST, PHC), CREDS_OK);
	creds_note(&st, 0, 1, false, now);
	creds_note(&st, 0, 1, false, now);	/* root: 2 failures from terminal 1 */
	/* root from another terminal: the account's delay holds. */
	CHECK_EQ(creds_answer_at(&st, 0, 2, now), now + 2 * S_NS);
	/* bob from terminal 1: the terminal's delay holds. */
	CHECK_EQ(creds_answer_at(&st, 1, 1, now), now + 2 * S_NS);
	/* bob from terminal 2: nothing. */
	CHECK_EQ(creds_answer_at(&st, 1, 2, now), now);
	/* An unknown user counts on its terminal only. */
	creds_note(&st, -1, 2, false, now);
	CHECK_EQ(st.terminals[2].failures, 1u);
	CHECK_EQ(st.accounts[1].throttle.failures, 0u);
	CHECK_EQ(creds_answer_at(&st, -1, 2, now), now + S_NS);
	/* Out-of-range accounts and terminals are ignored, never indexed. */
	creds_note(&st, 7, CREDS_TERMINALS_MAX, false, now);
	creds_note(&st, -5, UINT32_MAX, false, now);
	CHECK_EQ(creds_answer_at(&st, 9, CREDS_TERMINALS_MAX, now), now);
}

TEST(failure_count_saturates)
{
	creds_store_init(&st);
	CHECK_EQ(creds_add(&st, "root", 4, CREDS_OPERATOR, PHC), CREDS_OK);
	st.accounts[0].throttle.failures = UINT32_MAX;
	creds_note(&st, 0, 0, false, 0);
	CHECK_EQ(st.accounts[0].throttle.failures, UINT32_MAX);
	CHECK_EQ(st.accounts[0].throttle.not_before_ns, (uint64_t)CREDS_DELAY_CAP_MS * 1000000u);
}

int main(void)
{
	RUN(names_valid_and_invalid);
	RUN(password_lengths);
	RUN(delay_schedule_doubles_and_caps);
	RUN(store_adds_finds_and_refuses);
	RUN(store_refuses_an_unterminated_verifier);
	RUN(failures_push_the_next_answer_back);
	RUN(throttles_are_per_account_and_per_terminal);
	RUN(failure_count_saturates);
	TEST_EXIT();
}
