// SPDX-License-Identifier: MIT
/*
 * The SessionManager's table (session_table.h). Every loop runs over the
 * table's 64 slots at most; nothing here depends on a caller's count.
 */
#include "sessions/session_table.h"

#include <stddef.h>

#include "crypto/chacha20.h"

#define HANDLE_SLOT_MASK 0xffffffffull

static const char hex_digits[] = "0123456789abcdef";

void session_table_init(struct session_table *t, const uint8_t key[SESSION_KEY_BYTES])
{
	for (uint32_t i = 0; i < SESSION_KEY_BYTES; i++)
		t->key[i] = key[i];
	t->open = 0;
	for (uint32_t i = 0; i < SESSION_TABLE_MAX; i++) {
		t->slots[i].open = false;
		t->slots[i].generation = 0;
	}
}

bool session_profile_valid(uint32_t profile)
{
	return profile <= SESSION_PROFILE_MAX;
}

bool session_table_full(const struct session_table *t)
{
	return t->open >= SESSION_TABLE_MAX;
}

void session_tag(const uint8_t key[SESSION_KEY_BYTES], const uint8_t id[SESSION_ID_BYTES],
		 char out[SESSION_TAG_LEN + 1])
{
	uint8_t block[CHACHA20_BLOCK_SIZE];
	uint32_t counter = (uint32_t)id[12] | (uint32_t)id[13] << 8 | (uint32_t)id[14] << 16 |
			   (uint32_t)id[15] << 24;

	/* The id is the block's whole 128-bit input: 96-bit nonce and 32-bit counter. */
	chacha20_block(key, counter, id, block);
	out[0] = 's';
	out[1] = '-';
	for (uint32_t i = 0; i < 4; i++) {
		out[2 + 2 * i] = hex_digits[block[i] >> 4];
		out[3 + 2 * i] = hex_digits[block[i] & 0xf];
	}
	out[SESSION_TAG_LEN] = '\0';
	crypto_wipe(block, sizeof(block));
}

static bool tag_taken(const struct session_table *t, const char *tag)
{
	for (uint32_t i = 0; i < SESSION_TABLE_MAX; i++) {
		const struct session_slot *s = &t->slots[i];
		uint32_t k = 0;

		while (s->open && k < SESSION_TAG_LEN && s->tag[k] == tag[k])
			k++;
		if (k == SESSION_TAG_LEN)
			return true;
	}
	return false;
}

static int free_slot(const struct session_table *t)
{
	for (uint32_t i = 0; i < SESSION_TABLE_MAX; i++)
		if (!t->slots[i].open)
			return (int)i;
	return -1;
}

int session_table_open(struct session_table *t, const uint8_t id[SESSION_ID_BYTES],
		       uint64_t *handle, char *tag)
{
	int i = free_slot(t);
	char fresh[SESSION_TAG_LEN + 1];
	struct session_slot *s;

	if (i < 0)
		return SESSION_ERR_FULL;
	session_tag(t->key, id, fresh);
	if (tag_taken(t, fresh))
		return SESSION_ERR_TAG_TAKEN;
	s = &t->slots[i];
	for (uint32_t k = 0; k < SESSION_ID_BYTES; k++)
		s->id[k] = id[k];
	for (uint32_t k = 0; k <= SESSION_TAG_LEN; k++)
		s->tag[k] = fresh[k];
	s->generation++;
	if (s->generation == 0)		/* 0 is never a live generation */
		s->generation = 1;
	s->open = true;
	t->open++;
	*handle = (uint64_t)s->generation << 32 | (uint64_t)i;
	for (uint32_t k = 0; k <= SESSION_TAG_LEN; k++)
		tag[k] = s->tag[k];
	return SESSION_OK;
}

int session_table_close(struct session_table *t, uint64_t handle)
{
	uint64_t slot = handle & HANDLE_SLOT_MASK;
	struct session_slot *s;

	if (slot >= SESSION_TABLE_MAX)
		return SESSION_ERR_STALE;
	s = &t->slots[slot];
	if (!s->open || s->generation != (uint32_t)(handle >> 32))
		return SESSION_ERR_STALE;
	s->open = false;
	crypto_wipe(s->id, sizeof(s->id));
	t->open--;
	return SESSION_OK;
}

uint32_t session_table_count(const struct session_table *t)
{
	return t->open;
}

void session_table_wipe(struct session_table *t)
{
	crypto_wipe(t, sizeof(*t));
}
