// SPDX-License-Identifier: MIT
/*
 * Host tests of the AuthorityBroker's pure logic (lib/broker/broker.h):
 * what each profile may run, the guest account's name, the checks of a
 * spawn's grants (names, duplicates, each descriptor exactly once), the
 * job table (ids in order per session, the bound of 16, held waits, a
 * session's end orphaning its running jobs), and audit texts (escaped and
 * cut user names, run details).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "broker/broker.h"
#include "test.h"

#define S(lit) (lit), (uint32_t)(sizeof(lit) - 1)

TEST(operator_runs_all_but_the_system_services)
{
	CHECK(broker_profile_allows(BROKER_OPERATOR, S("hello")));
	CHECK(broker_profile_allows(BROKER_OPERATOR, S("lscaps")));
	CHECK(broker_profile_allows(BROKER_OPERATOR, S("spin")));
	CHECK(!broker_profile_allows(BROKER_OPERATOR, S("init")));
	CHECK(!broker_profile_allows(BROKER_OPERATOR, S("credstore")));
	CHECK(!broker_profile_allows(BROKER_OPERATOR, S("broker")));
	CHECK(!broker_profile_allows(BROKER_OPERATOR, S("terminal")));
	CHECK(!broker_profile_allows(BROKER_OPERATOR, S("shell")));
	CHECK(!broker_profile_allows(BROKER_OPERATOR, S("sessions")));
	CHECK(!broker_profile_allows(BROKER_OPERATOR, S("audit")));
	CHECK(broker_profile_allows(BROKER_OPERATOR, S("credstore-check")));	/* no prefix match */
	CHECK(!broker_profile_allows(BROKER_OPERATOR, S("")));
	CHECK(!broker_profile_allows(BROKER_OPERATOR, S("a b")));
}

TEST(guest_runs_the_allow_list_only)
{
	CHECK(broker_profile_allows(BROKER_GUEST, S("hello")));
	CHECK(broker_profile_allows(BROKER_GUEST, S("lscaps")));
	CHECK(!broker_profile_allows(BROKER_GUEST, S("spin")));
	CHECK(!broker_profile_allows(BROKER_GUEST, S("hell")));
	CHECK(!broker_profile_allows(BROKER_GUEST, S("hello2")));
	CHECK(!broker_profile_allows(BROKER_GUEST, S("credstore")));
	CHECK(!broker_profile_allows(BROKER_ANONYMOUS, S("hello")));
	CHECK(!broker_profile_allows((enum broker_profile)7, S("hello")));
}

TEST(guest_name_exact)
{
	CHECK(broker_is_guest(S("guest")));
	CHECK(!broker_is_guest(S("Guest")));
	CHECK(!broker_is_guest(S("guests")));
	CHECK(!broker_is_guest(S("gues")));
	CHECK(!broker_is_guest("guest\0x", 7));
	CHECK(!broker_is_guest(NULL, 0));
}

TEST(names)
{
	char longest[BROKER_NAME_MAX + 1];

	memset(longest, 'a', sizeof(longest));
	CHECK(broker_name_valid(longest, BROKER_NAME_MAX));
	CHECK(!broker_name_valid(longest, BROKER_NAME_MAX + 1));
	CHECK(broker_name_valid(S("A.b-c_9")));
	CHECK(!broker_name_valid(S("a/b")));
	CHECK(!broker_name_valid("a\0b", 3));
	CHECK(!broker_name_valid(NULL, 1));
}

TEST(grants_each_descriptor_exactly_once)
{
	struct broker_grant g[3] = { { S("console"), 1, false }, { S("timer"), 0, false }, { S("x"), 2, false } };

	CHECK_EQ(broker_grants_check(g, 3, 3), BROKER_GRANTS_OK);
	CHECK_EQ(broker_grants_check(g, 0, 0), BROKER_GRANTS_OK);
	CHECK_EQ(broker_grants_check(g, 2, 3), BROKER_GRANTS_CAP_UNUSED);
	CHECK_EQ(broker_grants_check(g, 3, 2), BROKER_GRANTS_BAD_CAP);
	g[2].cap = 1;
	CHECK_EQ(broker_grants_check(g, 3, 3), BROKER_GRANTS_CAP_TWICE);
	g[2].cap = 2;
	CHECK_EQ(broker_grants_check(g, 3, 17), BROKER_GRANTS_TOO_MANY);
	CHECK_EQ(broker_grants_check(g, 16, 3), BROKER_GRANTS_TOO_MANY);
}

TEST(grants_names_checked)
{
	struct broker_grant g[2] = { { S("console"), 0, false }, { S("console"), 1, false } };

	CHECK_EQ(broker_grants_check(g, 2, 2), BROKER_GRANTS_DUPLICATE);
	g[1] = (struct broker_grant){ S("vm"), 1, false };
	CHECK_EQ(broker_grants_check(g, 2, 2), BROKER_GRANTS_BAD_NAME);
	g[1] = (struct broker_grant){ S("a b"), 1, false };
	CHECK_EQ(broker_grants_check(g, 2, 2), BROKER_GRANTS_BAD_NAME);
	g[1] = (struct broker_grant){ S("vm2"), 1, false };
	CHECK_EQ(broker_grants_check(g, 2, 2), BROKER_GRANTS_OK);
	CHECK(strcmp(broker_grants_reason(BROKER_GRANTS_CAP_UNUSED),
		     "a descriptor sent that no grant uses") == 0);
}

TEST(job_ids_in_order_and_bounded)
{
	static struct broker_jobs t;
	uint32_t call = 0;
	int s;

	broker_jobs_init(&t);
	broker_jobs_begin_session(&t, 1);
	for (uint32_t i = 1; i <= BROKER_JOBS_PER_SESSION; i++) {
		s = broker_jobs_reserve(&t);
		CHECK(s >= 0);
		CHECK_EQ(broker_jobs_commit(&t, s), i);
	}
	CHECK_EQ(broker_jobs_reserve(&t), BROKER_JOBS_FULL);
	s = broker_jobs_find(&t, 3);
	CHECK(s >= 0);
	CHECK(!broker_jobs_exited(&t, s, 42, &call));	/* exited, not waited: still counted */
	CHECK_EQ(broker_jobs_reserve(&t), BROKER_JOBS_FULL);
	CHECK_EQ(t.slot[s].code, 42);
	broker_jobs_forget(&t, s);
	CHECK_EQ(broker_jobs_find(&t, 3), -1);
	s = broker_jobs_reserve(&t);
	CHECK(s >= 0);
	CHECK_EQ(broker_jobs_commit(&t, s), 17u);	/* ids never reused in a session */
	CHECK_EQ(broker_jobs_live(&t), 16u);
}

TEST(held_wait_answered_by_the_exit)
{
	static struct broker_jobs t;
	uint32_t call = 0;
	int s;

	broker_jobs_init(&t);
	broker_jobs_begin_session(&t, 5);
	s = broker_jobs_reserve(&t);
	CHECK_EQ(broker_jobs_commit(&t, s), 1u);
	t.slot[s].held = true;
	t.slot[s].held_call = 77;
	CHECK(broker_jobs_exited(&t, s, -2, &call));
	CHECK_EQ(call, 77u);
	CHECK_EQ(t.slot[s].state, BROKER_JOB_FREE);
	CHECK_EQ(broker_jobs_find(&t, 1), -1);
}

TEST(session_end_orphans_running_jobs)
{
	static struct broker_jobs t;
	uint32_t call = 0;
	int a, b;

	broker_jobs_init(&t);
	broker_jobs_begin_session(&t, 1);
	a = broker_jobs_reserve(&t);
	broker_jobs_commit(&t, a);
	b = broker_jobs_reserve(&t);
	broker_jobs_commit(&t, b);
	t.slot[a].held = true;
	CHECK(!broker_jobs_exited(&t, b, 0, &call));
	CHECK_EQ(broker_jobs_end_session(&t), 1u);
	CHECK_EQ(t.slot[a].state, BROKER_JOB_ORPHAN);
	CHECK_EQ(t.slot[b].state, BROKER_JOB_FREE);
	CHECK_EQ(broker_jobs_live(&t), 0u);
	broker_jobs_begin_session(&t, 2);
	CHECK_EQ(broker_jobs_find(&t, 1), -1);	/* the old session's job 1 is not this one's */
	b = broker_jobs_reserve(&t);
	CHECK(b != a);				/* the orphan's slot is still in use */
	CHECK_EQ(broker_jobs_commit(&t, b), 1u);
	CHECK(!broker_jobs_exited(&t, a, -2, &call));	/* the orphan's completion frees it */
	CHECK_EQ(t.slot[a].state, BROKER_JOB_FREE);
	CHECK_EQ(broker_jobs_live(&t), 1u);
}

TEST(no_session_no_jobs)
{
	static struct broker_jobs t;

	broker_jobs_init(&t);
	CHECK_EQ(broker_jobs_find(&t, 0), -1);
	CHECK_EQ(broker_jobs_live(&t), 0u);
}

TEST(audit_user_escaped_and_cut)
{
	char out[64];
	char longest[40];

	CHECK_EQ(broker_audit_user(S("alice"), out, sizeof(out)), 5u);
	CHECK_STR(out, "alice");
	broker_audit_user(S("a\x1b[2Jb\\"), out, sizeof(out));
	CHECK_STR(out, "a\\x1b[2Jb\\x5c");
	broker_audit_user(S("\xff\n"), out, sizeof(out));
	CHECK_STR(out, "\\xff\\x0a");
	memset(longest, 'z', sizeof(longest));
	CHECK_EQ(broker_audit_user(longest, sizeof(longest), out, sizeof(out)), BROKER_USER_MAX);
	memset(longest, 'z', 30);
	longest[30] = '\n';
	CHECK_EQ(broker_audit_user(longest, 31, out, sizeof(out)), 30u);	/* whole escapes */
	CHECK_EQ(broker_audit_user(S("abc"), out, 3), 2u);
	CHECK_STR(out, "ab");
	CHECK_EQ(broker_audit_user(S("abc"), out, 0), 0u);
}

TEST(run_detail)
{
	struct broker_grant g[2] = { { S("console"), 0, false }, { S("timer"), 1, false } };
	char out[256];
	char big[300];

	broker_run_detail(S("hello"), g, 2, out, sizeof(out));
	CHECK_STR(out, "hello grants: console,timer");
	broker_run_detail(S("hello"), g, 0, out, sizeof(out));
	CHECK_STR(out, "hello grants: none");
	memset(big, 'b', sizeof(big));
	CHECK_EQ(broker_run_detail(big, sizeof(big), g, 2, out, sizeof(out)), 0u);
	CHECK_EQ(broker_run_detail(S("hello"), g, 2, out, 20), 14u);	/* "hello grants: " */
}

int main(void)
{
	RUN(operator_runs_all_but_the_system_services);
	RUN(guest_runs_the_allow_list_only);
	RUN(guest_name_exact);
	RUN(names);
	RUN(grants_each_descriptor_exactly_once);
	RUN(grants_names_checked);
	RUN(job_ids_in_order_and_bounded);
	RUN(held_wait_answered_by_the_exit);
	RUN(session_end_orphans_running_jobs);
	RUN(no_session_no_jobs);
	RUN(audit_user_escaped_and_cut);
	RUN(run_detail);
	TEST_EXIT();
}
