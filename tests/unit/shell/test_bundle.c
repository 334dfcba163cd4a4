// SPDX-License-Identifier: MIT
/*
 * Host tests of the shell's session rules (lib/shell/bundle.h) and its job
 * table (lib/shell/jobs.h): what each profile may use, resolving a
 * `with { }` list against the bundle (unknown capabilities and the child's
 * own names refused at their column, nothing resolved on a mistake), and
 * the 16-job table.
 */
#include <string.h>

#include <capos/interfaces.h>

#include "shell/bundle.h"
#include "shell/jobs.h"
#include "test.h"

#define TERM_CAP 7u

static struct shellcmd cmd;
static struct shell_bundle bundle;
static struct shell_grant_plan plan;
static char text[SHELLCMD_ERROR_TEXT_MAX];

static void bundle_add(const char *name, uint64_t iface, uint32_t cap)
{
	struct shell_bundle_cap *c = &bundle.caps[bundle.ncaps++];

	strcpy(c->name, name);
	c->iface = iface;
	c->cap = cap;
}

static void operator_bundle(void)
{
	memset(&bundle, 0, sizeof(bundle));
	strcpy(bundle.user, "alice");
	bundle.profile = SHELLFMT_PROFILE_OPERATOR;
	bundle_add("launcher", 0xaa36e5abb6aa18daull, 20);
	bundle_add("timer", CAPOS_IFACE_TIMER, 21);
	bundle_add("audit", 0xc430a49054c9ee4full, 22);
}

/* Parses line and resolves its grants; returns the resolver's answer, the error in text. */
static int resolve(const char *line)
{
	struct shellcmd_error err;
	int rc;

	text[0] = '\0';
	if (shellcmd_parse(line, strlen(line), &cmd, &err))
		return 99;
	memset(&plan, 0xa5, sizeof(plan));
	rc = shell_grants_resolve(&cmd, &bundle, TERM_CAP, &plan, &err);
	if (rc)
		shellcmd_error_format(line, strlen(line), &err, text, sizeof(text));
	return rc;
}

TEST(anonymous_may_use_only_the_door_commands)
{
	static const enum shellcmd_kind allowed[] = {
		SHELLCMD_EMPTY, SHELLCMD_HELP, SHELLCMD_SETUP, SHELLCMD_LOGIN,
		SHELLCMD_SESSION, SHELLCMD_ECHO, SHELLCMD_EXIT,
	};

	for (int k = SHELLCMD_EMPTY; k < SHELLCMD_KIND_COUNT; k++) {
		bool want = false;

		for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
			want |= allowed[i] == (enum shellcmd_kind)k;
		CHECK_EQ(shell_profile_allows(SHELLFMT_PROFILE_ANONYMOUS, (enum shellcmd_kind)k),
			 want);
		CHECK(shell_profile_allows(SHELLFMT_PROFILE_GUEST, (enum shellcmd_kind)k));
		CHECK(shell_profile_allows(SHELLFMT_PROFILE_OPERATOR, (enum shellcmd_kind)k));
	}
}

TEST(bundle_finds_by_name_and_interface)
{
	operator_bundle();
	CHECK_EQ(shell_bundle_find(&bundle, "timer")->cap, 21u);
	CHECK(shell_bundle_find(&bundle, "time") == NULL);
	CHECK(shell_bundle_find(&bundle, "timers") == NULL);
	CHECK_EQ(shell_bundle_find_iface(&bundle, 0xc430a49054c9ee4full)->cap, 22u);
	CHECK(shell_bundle_find_iface(&bundle, CAPOS_IFACE_CONSOLE) == NULL);
	bundle.ncaps = 0;
	CHECK(shell_bundle_find(&bundle, "timer") == NULL);
}

TEST(names_follow_the_capset_rule)
{
	CHECK(shell_name_is_valid("timer", 5));
	CHECK(shell_name_is_valid("a.b-c_D9", 8));
	CHECK(!shell_name_is_valid("", 0));
	CHECK(!shell_name_is_valid("a b", 3));
	CHECK(!shell_name_is_valid("a\x1b", 2));
	CHECK(!shell_name_is_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 32));
	CHECK(shell_name_is_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 31));
}

TEST(grants_resolve_against_terminal_and_bundle)
{
	operator_bundle();
	CHECK_EQ(resolve("run \"lscaps\""), 0);
	CHECK_EQ(plan.n, 0u);
	CHECK_EQ(resolve("run \"lscaps\" with { t: @timer, tty: @terminal, a: @timer }"), 0);
	CHECK_EQ(plan.n, 3u);
	CHECK_STR(plan.g[0].name, "t");
	CHECK_EQ(plan.g[0].cap, 21u);
	CHECK_EQ(plan.g[0].iface, CAPOS_IFACE_TIMER);
	CHECK_STR(plan.g[1].name, "tty");
	CHECK_EQ(plan.g[1].cap, TERM_CAP);
	CHECK_EQ(plan.g[1].iface, CAPOS_IFACE_TERMINAL_SESSION);
	CHECK_EQ(plan.g[2].cap, 21u);
	CHECK(!plan.g[0].client);
}

TEST(unknown_capability_is_an_error_at_its_column)
{
	operator_bundle();
	CHECK_EQ(resolve("run \"lscaps\" with { t: @timer, x: @nosuch }"), -1);
	CHECK_STR(text, "error at column 35: unknown capability '@nosuch': 'caps' lists this "
		  "session's");
	CHECK_EQ(plan.n, 1u);
	bundle.ncaps = 0;	/* anonymous: only the terminal */
	CHECK_EQ(resolve("spawn \"x\" with { t: @timer }"), -1);
	CHECK_STR(text, "error at column 21: unknown capability '@timer': 'caps' lists this "
		  "session's");
}

TEST(the_childs_own_names_are_refused)
{
	operator_bundle();
	CHECK_EQ(resolve("run \"x\" with { terminal: @timer }"), -1);
	CHECK_STR(text, "error at column 16: a grant may not be named 'terminal': the child "
		  "always gets its own");
	CHECK_EQ(resolve("run \"x\" with { a: @timer, vm: @timer }"), -1);
	CHECK_STR(text, "error at column 27: a grant may not be named 'vm': the child always "
		  "gets its own");
	CHECK_EQ(resolve("run \"x\" with { vmx: @timer, terminal2: @terminal }"), 0);
}

TEST(client_grants_are_marked_for_the_launcher)
{
	operator_bundle();
	CHECK_EQ(resolve("run \"x\" with { t: client @timer, u: @timer }"), 0);
	CHECK_EQ(plan.n, 2);
	CHECK(plan.g[0].client);
	CHECK(!plan.g[1].client);
}

TEST(job_table_adds_finds_and_removes)
{
	static struct shell_jobs t;
	struct shell_job *j;

	memset(&t, 0, sizeof(t));
	CHECK(shell_jobs_add(&t, 0, 5, "hello") == NULL);
	j = shell_jobs_add(&t, 3, 5, "hello");
	CHECK(j != NULL);
	CHECK_STR(j->binary, "hello");
	CHECK_EQ(j->revoker, 5u);
	CHECK(shell_jobs_add(&t, 3, 6, "again") == NULL);
	CHECK(shell_jobs_find(&t, 3) == j);
	CHECK(shell_jobs_find(&t, 4) == NULL);
	CHECK(shell_jobs_find(&t, 0) == NULL);
	CHECK_EQ(shell_jobs_count(&t), 1u);
	shell_jobs_remove(j);
	CHECK(shell_jobs_find(&t, 3) == NULL);
	CHECK_EQ(shell_jobs_count(&t), 0u);
	for (uint32_t i = 1; i <= SHELL_JOBS_MAX; i++)
		CHECK(shell_jobs_add(&t, i, 100 + i, "spin") != NULL);
	CHECK(!shell_jobs_has_room(&t));
	CHECK(shell_jobs_add(&t, 99, 1, "spin") == NULL);
	shell_jobs_remove(shell_jobs_find(&t, 7));
	CHECK(shell_jobs_has_room(&t));
	CHECK(shell_jobs_add(&t, 99, 1, "a-name-of-exactly-31-bytes-long") != NULL);
	CHECK_STR(shell_jobs_find(&t, 99)->binary, "a-name-of-exactly-31-bytes-long");
}

int main(void)
{
	RUN(anonymous_may_use_only_the_door_commands);
	RUN(bundle_finds_by_name_and_interface);
	RUN(names_follow_the_capset_rule);
	RUN(grants_resolve_against_terminal_and_bundle);
	RUN(unknown_capability_is_an_error_at_its_column);
	RUN(the_childs_own_names_are_refused);
	RUN(client_grants_are_marked_for_the_launcher);
	RUN(job_table_adds_finds_and_removes);
	TEST_EXIT();
}
