// SPDX-License-Identifier: MIT
/*
 * Host tests of the SessionManager's table (lib/sessions/session_table.h):
 * tags (form, determined by key and id, different under another key or
 * for another id, no prefix of the id), the 64-session bound, close and
 * count, stale handles (closed, of a reused slot, out of range, forged)
 * refused, a tag shared with an open session refused, and the id wiped at
 * close.
 */
#include <stdint.h>
#include <string.h>

#include "sessions/session_table.h"
#include "test.h"

static struct session_table tab;
static const uint8_t key_a[SESSION_KEY_BYTES] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t key_b[SESSION_KEY_BYTES] = { 9, 9, 9 };

/* A distinct id for each n. */
static void make_id(uint32_t n, uint8_t id[SESSION_ID_BYTES])
{
	memset(id, 0xa5, SESSION_ID_BYTES);
	memcpy(id, &n, sizeof(n));
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

TEST(tag_has_its_form_and_depends_on_key_and_id)
{
	uint8_t id[SESSION_ID_BYTES], id2[SESSION_ID_BYTES];
	char t1[SESSION_TAG_LEN + 1], t2[SESSION_TAG_LEN + 1], t3[SESSION_TAG_LEN + 1];

	make_id(7, id);
	session_tag(key_a, id, t1);
	CHECK_EQ(strlen(t1), SESSION_TAG_LEN);
	CHECK(t1[0] == 's' && t1[1] == '-');
	for (int i = 2; i < 10; i++)
		CHECK(is_hex(t1[i]));
	session_tag(key_a, id, t2);
	CHECK_STR(t1, t2);
	session_tag(key_b, id, t3);
	CHECK(strcmp(t1, t3) != 0);
	/* Every byte of the id counts, the counter's (12..15) too. */
	memcpy(id2, id, sizeof(id2));
	id2[15] ^= 1;
	session_tag(key_a, id2, t3);
	CHECK(strcmp(t1, t3) != 0);
	memcpy(id2, id, sizeof(id2));
	id2[0] ^= 0x80;
	session_tag(key_a, id2, t3);
	CHECK(strcmp(t1, t3) != 0);
}

TEST(tag_is_not_the_id_in_hex)
{
	uint8_t id[SESSION_ID_BYTES] = { 0x12, 0x34, 0x56, 0x78 };
	char t[SESSION_TAG_LEN + 1];

	session_tag(key_a, id, t);
	CHECK(strcmp(t, "s-12345678") != 0);
}

TEST(open_close_count)
{
	uint8_t id[SESSION_ID_BYTES];
	char tag[SESSION_TAG_LEN + 1];
	uint64_t h1, h2;

	session_table_init(&tab, key_a);
	CHECK_EQ(session_table_count(&tab), 0);
	make_id(1, id);
	CHECK_EQ(session_table_open(&tab, id, &h1, tag), SESSION_OK);
	make_id(2, id);
	CHECK_EQ(session_table_open(&tab, id, &h2, tag), SESSION_OK);
	CHECK(h1 != h2);
	CHECK_EQ(session_table_count(&tab), 2);
	CHECK_EQ(session_table_close(&tab, h1), SESSION_OK);
	CHECK_EQ(session_table_count(&tab), 1);
	CHECK_EQ(session_table_close(&tab, h1), SESSION_ERR_STALE);
	CHECK_EQ(session_table_count(&tab), 1);
	CHECK_EQ(session_table_close(&tab, h2), SESSION_OK);
	CHECK_EQ(session_table_count(&tab), 0);
}

TEST(handle_of_a_reused_slot_is_stale)
{
	uint8_t id[SESSION_ID_BYTES];
	char tag[SESSION_TAG_LEN + 1];
	uint64_t old, fresh;

	session_table_init(&tab, key_a);
	make_id(1, id);
	CHECK_EQ(session_table_open(&tab, id, &old, tag), SESSION_OK);
	CHECK_EQ(session_table_close(&tab, old), SESSION_OK);
	make_id(2, id);
	CHECK_EQ(session_table_open(&tab, id, &fresh, tag), SESSION_OK);
	CHECK_EQ(fresh & 0xffffffffu, old & 0xffffffffu);	/* the same slot */
	CHECK(fresh != old);
	CHECK_EQ(session_table_close(&tab, old), SESSION_ERR_STALE);
	CHECK_EQ(session_table_count(&tab), 1);
	CHECK_EQ(session_table_close(&tab, fresh), SESSION_OK);
}

TEST(forged_handles_refused)
{
	uint8_t id[SESSION_ID_BYTES];
	char tag[SESSION_TAG_LEN + 1];
	uint64_t h;

	session_table_init(&tab, key_a);
	make_id(1, id);
	CHECK_EQ(session_table_open(&tab, id, &h, tag), SESSION_OK);
	CHECK_EQ(session_table_close(&tab, 0), SESSION_ERR_STALE);
	CHECK_EQ(session_table_close(&tab, h & 0xffffffffu), SESSION_ERR_STALE);
	CHECK_EQ(session_table_close(&tab, h + ((uint64_t)1 << 32)), SESSION_ERR_STALE);
	CHECK_EQ(session_table_close(&tab, h + 64), SESSION_ERR_STALE);
	CHECK_EQ(session_table_close(&tab, (h & ~0xffffffffull) | 0xffffffffu), SESSION_ERR_STALE);
	CHECK_EQ(session_table_close(&tab, UINT64_MAX), SESSION_ERR_STALE);
	CHECK_EQ(session_table_count(&tab), 1);
}

TEST(sixty_four_then_full)
{
	uint8_t id[SESSION_ID_BYTES];
	char tags[SESSION_TABLE_MAX][SESSION_TAG_LEN + 1];
	char tag[SESSION_TAG_LEN + 1];
	uint64_t h[SESSION_TABLE_MAX], extra;

	session_table_init(&tab, key_a);
	for (uint32_t i = 0; i < SESSION_TABLE_MAX; i++) {
		make_id(100 + i, id);
		CHECK_EQ(session_table_open(&tab, id, &h[i], tags[i]), SESSION_OK);
	}
	CHECK(session_table_full(&tab));
	make_id(999, id);
	CHECK_EQ(session_table_open(&tab, id, &extra, tag), SESSION_ERR_FULL);
	CHECK_EQ(session_table_count(&tab), SESSION_TABLE_MAX);
	for (uint32_t i = 0; i < SESSION_TABLE_MAX; i++)
		for (uint32_t j = i + 1; j < SESSION_TABLE_MAX; j++)
			CHECK(strcmp(tags[i], tags[j]) != 0);
	for (uint32_t i = 0; i < SESSION_TABLE_MAX; i++)
		CHECK_EQ(session_table_close(&tab, h[i]), SESSION_OK);
	CHECK_EQ(session_table_count(&tab), 0);
	CHECK(!session_table_full(&tab));
}

TEST(tag_of_an_open_session_refused)
{
	uint8_t id[SESSION_ID_BYTES];
	char tag[SESSION_TAG_LEN + 1];
	uint64_t h, h2;

	session_table_init(&tab, key_a);
	make_id(5, id);
	CHECK_EQ(session_table_open(&tab, id, &h, tag), SESSION_OK);
	/* The same id again makes the same tag: refused, nothing changed. */
	CHECK_EQ(session_table_open(&tab, id, &h2, tag), SESSION_ERR_TAG_TAKEN);
	CHECK_EQ(session_table_count(&tab), 1);
	CHECK_EQ(session_table_close(&tab, h), SESSION_OK);
	CHECK_EQ(session_table_open(&tab, id, &h2, tag), SESSION_OK);
}

TEST(close_wipes_the_id)
{
	uint8_t id[SESSION_ID_BYTES], zero[SESSION_ID_BYTES] = { 0 };
	char tag[SESSION_TAG_LEN + 1];
	uint64_t h;

	session_table_init(&tab, key_a);
	make_id(3, id);
	CHECK_EQ(session_table_open(&tab, id, &h, tag), SESSION_OK);
	CHECK(memcmp(tab.slots[h & 0xff].id, id, sizeof(id)) == 0);
	CHECK_EQ(session_table_close(&tab, h), SESSION_OK);
	CHECK(memcmp(tab.slots[h & 0xff].id, zero, sizeof(zero)) == 0);
}

TEST(profiles_valid_and_not)
{
	CHECK(session_profile_valid(0));
	CHECK(session_profile_valid(2));
	CHECK(!session_profile_valid(3));
	CHECK(!session_profile_valid(0xffff));
}

int main(void)
{
	RUN(tag_has_its_form_and_depends_on_key_and_id);
	RUN(tag_is_not_the_id_in_hex);
	RUN(open_close_count);
	RUN(handle_of_a_reused_slot_is_stale);
	RUN(forged_handles_refused);
	RUN(sixty_four_then_full);
	RUN(tag_of_an_open_session_refused);
	RUN(close_wipes_the_id);
	RUN(profiles_valid_and_not);
	TEST_EXIT();
}
