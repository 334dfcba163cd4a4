// SPDX-License-Identifier: MIT
/* The CredentialStore's pure logic (creds.h). */
#include "creds.h"

#include <stddef.h>

static bool name_byte_ok(char c, bool first)
{
	if (c >= 'a' && c <= 'z')
		return true;
	if (first)
		return false;
	return (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool creds_name_valid(const char *name, uint32_t len)
{
	if (!name || len == 0 || len > CREDS_NAME_MAX)
		return false;
	for (uint32_t i = 0; i < len; i++)
		if (!name_byte_ok(name[i], i == 0))
			return false;
	return true;
}

bool creds_password_len_valid(uint32_t len)
{
	return len >= CREDS_PASSWORD_MIN && len <= CREDS_PASSWORD_MAX;
}

uint32_t creds_delay_ms(uint32_t failures)
{
	/* 1 s << 15 is past the cap already: no shift can overflow. */
	if (failures == 0)
		return 0;
	if (failures - 1 >= 15)
		return CREDS_DELAY_CAP_MS;
	uint32_t ms = 1000u << (failures - 1);
	return ms < CREDS_DELAY_CAP_MS ? ms : CREDS_DELAY_CAP_MS;
}

void creds_store_init(struct creds_store *s)
{
	*s = (struct creds_store){ 0 };
}

static bool name_equal(const struct creds_account *a, const char *name, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		if (a->name[i] != name[i])
			return false;
	return a->name[len] == '\0';
}

int creds_find(const struct creds_store *s, const char *name, uint32_t len)
{
	if (!creds_name_valid(name, len))
		return -1;
	for (uint32_t i = 0; i < s->count; i++)
		if (name_equal(&s->accounts[i], name, len))
			return (int)i;
	return -1;
}

bool creds_has_operator(const struct creds_store *s)
{
	for (uint32_t i = 0; i < s->count; i++)
		if (s->accounts[i].profile == CREDS_OPERATOR)
			return true;
	return false;
}

static size_t bounded_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int creds_add(struct creds_store *s, const char *name, uint32_t len, enum creds_profile profile,
	      const char *verifier)
{
	size_t vlen;

	if (!creds_name_valid(name, len))
		return CREDS_ERR_NAME;
	if (!verifier)
		return CREDS_ERR_VERIFIER;
	vlen = bounded_len(verifier, CREDS_VERIFIER_MAX);
	if (vlen == 0 || vlen >= CREDS_VERIFIER_MAX)
		return CREDS_ERR_VERIFIER;
	if (creds_find(s, name, len) >= 0)
		return CREDS_ERR_EXISTS;
	if (s->count >= CREDS_ACCOUNTS_MAX)
		return CREDS_ERR_FULL;

	struct creds_account *a = &s->accounts[s->count++];
	*a = (struct creds_account){ .profile = profile };
	for (uint32_t i = 0; i < len; i++)
		a->name[i] = name[i];
	for (size_t i = 0; i < vlen; i++)
		a->verifier[i] = verifier[i];
	return CREDS_OK;
}

static uint64_t later(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

uint64_t creds_answer_at(const struct creds_store *s, int acct, uint32_t term, uint64_t now)
{
	uint64_t t = now;

	if (acct >= 0 && (uint32_t)acct < s->count)
		t = later(t, s->accounts[acct].throttle.not_before_ns);
	if (term < CREDS_TERMINALS_MAX)
		t = later(t, s->terminals[term].not_before_ns);
	return t;
}

static void throttle_note(struct creds_throttle *t, bool ok, uint64_t answer_at)
{
	if (ok) {
		*t = (struct creds_throttle){ 0 };
		return;
	}
	if (t->failures < UINT32_MAX)
		t->failures++;
	/* The next attempt waits creds_delay_ms(failures) past this answer. */
	t->not_before_ns = answer_at + (uint64_t)creds_delay_ms(t->failures) * 1000000u;
}

void creds_note(struct creds_store *s, int acct, uint32_t term, bool ok, uint64_t answer_at)
{
	if (acct >= 0 && (uint32_t)acct < s->count)
		throttle_note(&s->accounts[acct].throttle, ok, answer_at);
	if (term < CREDS_TERMINALS_MAX)
		throttle_note(&s->terminals[term], ok, answer_at);
}
