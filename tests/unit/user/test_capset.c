// SPDX-License-Identifier: MIT
/*
 * CapSet lookup (user/lib/capset.c): header checks, exact name match over the
 * NUL-padded field, a capability only for its own interface id, walks bounded
 * by CAPOS_CAPSET_MAX, and a missing CapSet.
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
	TEST_EXIT();
}
