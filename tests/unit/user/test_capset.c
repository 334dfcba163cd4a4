// SPDX-License-Identifier: MIT
/*
 * CapSet lookup (user/lib/capset.c): header checks, exact name match over the
 * NUL-padded field, a capability only for its own interface id, walks bounded
 * by CAPOS_CAPSET_MAX, and a missing CapSet; the program arguments on the
 * page, at their limits, and refused when the header's counts are corrupt.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "../test.h"
#include "capset.h"

static struct capos_capset cs;

static void tc_add(const char *name, uint64_t iface, uint32_t cap)
{
	struct capos_capset_entry *e = &cs.entries[cs.count++];

	strncpy((char *)e->name, name, CAPOS_CAPSET_NAME_LEN - 1);
	e->interface_id = iface;
	e->cap_id = cap;
}

static void tc_setup(void)
{
	memset(&cs, 0, sizeof(cs));
	cs.magic = CAPOS_CAPSET_MAGIC;
	cs.version = CAPOS_CAPSET_VERSION;
	cs.entry_size = sizeof(struct capos_capset_entry);
	tc_add("console", CAPOS_IFACE_CONSOLE, 0x10001);
	tc_add("boot", CAPOS_IFACE_BOOT_PACKAGE, 0x10002);
	tc_add("spawner", CAPOS_IFACE_PROCESS_SPAWNER, 0x10003);
}

TEST(check_accepts_kernel_layout_and_rejects_others)
{
	tc_setup();
	CHECK_EQ(capset_check(&cs), 0);
	CHECK_EQ(capset_check(NULL), CAPOS_ERR_INVALID_ARGUMENT);
	cs.magic = 0;
	CHECK_EQ(capset_check(&cs), CAPOS_ERR_INVALID_ARGUMENT);
	tc_setup();
	cs.version = 2;
	CHECK_EQ(capset_check(&cs), CAPOS_ERR_INVALID_ARGUMENT);
	tc_setup();
	cs.entry_size = 40;
	CHECK_EQ(capset_check(&cs), CAPOS_ERR_INVALID_ARGUMENT);
	tc_setup();
	cs.count = CAPOS_CAPSET_MAX + 1;
	CHECK_EQ(capset_check(&cs), CAPOS_ERR_INVALID_ARGUMENT);
}

TEST(get_returns_cap_for_matching_name_and_interface)
{
	tc_setup();
	CHECK_EQ(capset_get(&cs, "console", CAPOS_IFACE_CONSOLE), 0x10001);
	CHECK_EQ(capset_get(&cs, "spawner", CAPOS_IFACE_PROCESS_SPAWNER), 0x10003);
	CHECK_EQ(capset_get(&cs, "boot", CAPOS_IFACE_BOOT_PACKAGE), 0x10002);
}

TEST(get_refuses_wrong_interface)
{
	tc_setup();
	CHECK_EQ(capset_get(&cs, "console", CAPOS_IFACE_PROCESS_SPAWNER), CAPOS_CAP_INVALID);
	CHECK(capset_find(&cs, "console") != NULL);
}

TEST(names_match_exactly_not_by_prefix)
{
	tc_setup();
	CHECK(capset_find(&cs, "con") == NULL);
	CHECK(capset_find(&cs, "console2") == NULL);
	CHECK(capset_find(&cs, "Console") == NULL);
	CHECK(capset_find(&cs, "") == NULL);
}

TEST(longest_name_matches_and_longer_never_does)
{
	static const char n31[] = "abcdefghijklmnopqrstuvwxyz01234";

	tc_setup();
	tc_add(n31, CAPOS_IFACE_CONSOLE, 0x10009);
	CHECK_EQ(capset_get(&cs, n31, CAPOS_IFACE_CONSOLE), 0x10009);
	CHECK(capset_find(&cs, "abcdefghijklmnopqrstuvwxyz012345") == NULL);
}

TEST(entries_beyond_count_are_invisible)
{
	tc_setup();
	cs.count = 1;
	CHECK(capset_find(&cs, "boot") == NULL);
	CHECK_EQ(capset_get_any(&cs, CAPOS_IFACE_PROCESS_SPAWNER), CAPOS_CAP_INVALID);
}

TEST(get_any_returns_first_of_interface)
{
	tc_setup();
	tc_add("console2", CAPOS_IFACE_CONSOLE, 0x10007);
	CHECK_EQ(capset_get_any(&cs, CAPOS_IFACE_CONSOLE), 0x10001);
	CHECK_EQ(capset_get_any(&cs, CAPOS_IFACE_PROCESS_HANDLE), CAPOS_CAP_INVALID);
}

TEST(missing_or_corrupt_capset_finds_nothing)
{
	CHECK(capset_find(NULL, "console") == NULL);
	CHECK_EQ(capset_get(NULL, "console", CAPOS_IFACE_CONSOLE), CAPOS_CAP_INVALID);
	CHECK_EQ(capset_get_any(NULL, CAPOS_IFACE_CONSOLE), CAPOS_CAP_INVALID);
	tc_setup();
	cs.count = 1000;
	CHECK(capset_find(&cs, "console") == NULL);
}

/* Packs args the way the kernel does (kernel/proc/spawn.c fill_args). */
static void tc_args(uint32_t n, const char *const *v)
{
	uint32_t at = 0;

	for (uint32_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]);

		memcpy(&cs.args[at], v[i], len);
		at += (uint32_t)len;
		cs.args[at++] = 0;
	}
	cs.argc = n;
	cs.args_len = at;
}

TEST(args_read_back_in_order_with_empty_ones)
{
	const char *const v[] = { "ping", "", "a b", "10.0.2.2" };
	const char *argv[CAPOS_ARGS_MAX];

	tc_setup();
	CHECK_EQ(capset_args(&cs, argv), 0);	/* none: argc 0, old spawners */
	CHECK_EQ(capset_args(NULL, argv), 0);
	tc_args(4, v);
	CHECK_EQ(capset_args(&cs, argv), 4);
	for (int i = 0; i < 4; i++)
		CHECK_STR(argv[i], v[i]);
}

TEST(args_at_their_limits_read_back)
{
	static char big[CAPOS_ARGS_BYTES];
	const char *v[CAPOS_ARGS_MAX];
	const char *argv[CAPOS_ARGS_MAX];

	tc_setup();
	for (uint32_t i = 0; i < CAPOS_ARGS_MAX; i++)
		v[i] = "";
	tc_args(CAPOS_ARGS_MAX, v);
	CHECK_EQ(capset_args(&cs, argv), (int)CAPOS_ARGS_MAX);
	memset(big, 'x', CAPOS_ARGS_BYTES - 1);	/* one argument of 895 bytes + NUL */
	tc_setup();
	v[0] = big;
	tc_args(1, v);
	CHECK_EQ(cs.args_len, CAPOS_ARGS_BYTES);
	CHECK_EQ(capset_args(&cs, argv), 1);
	CHECK_EQ(strlen(argv[0]), CAPOS_ARGS_BYTES - 1);
}

TEST(corrupt_arg_counts_are_refused)
{
	const char *const v[] = { "a", "bc" };
	const char *argv[CAPOS_ARGS_MAX];

	tc_setup();
	tc_args(2, v);
	cs.argc = 3;				/* fewer strings than argc */
	CHECK_EQ(capset_args(&cs, argv), -1);
	cs.argc = 1;				/* more strings than argc */
	CHECK_EQ(capset_args(&cs, argv), -1);
	cs.argc = CAPOS_ARGS_MAX + 1;
	CHECK_EQ(capset_args(&cs, argv), -1);
	cs.argc = 2;
	cs.args_len = 4;			/* the last string is cut before its NUL */
	CHECK_EQ(capset_args(&cs, argv), -1);
	cs.args_len = CAPOS_ARGS_BYTES + 1;	/* past args[] */
	CHECK_EQ(capset_args(&cs, argv), -1);
	memset(cs.args, 'x', CAPOS_ARGS_BYTES);	/* no NUL at all */
	cs.args_len = CAPOS_ARGS_BYTES;
	cs.argc = 1;
	CHECK_EQ(capset_args(&cs, argv), -1);
	cs.args_len = 0;			/* argc 1 but no bytes */
	CHECK_EQ(capset_args(&cs, argv), -1);
}

int main(void)
{
	RUN(check_accepts_kernel_layout_and_rejects_others);
	RUN(get_returns_cap_for_matching_name_and_interface);
	RUN(get_refuses_wrong_interface);
	RUN(names_match_exactly_not_by_prefix);
	RUN(longest_name_matches_and_longer_never_does);
	RUN(entries_beyond_count_are_invisible);
	RUN(get_any_returns_first_of_interface);
	RUN(missing_or_corrupt_capset_finds_nothing);
	RUN(args_read_back_in_order_with_empty_ones);
	RUN(args_at_their_limits_read_back);
	RUN(corrupt_arg_counts_are_refused);
	TEST_EXIT();
}
