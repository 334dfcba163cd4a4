// SPDX-License-Identifier: MIT
/*
 * The text the broker puts in audit records. A user name is shown as it
 * was typed, but a record must never carry control bytes to whoever reads
 * the log on a terminal, so bytes outside printable ASCII (and the escape
 * character itself) become \xNN; the result is cut at a whole escape. A
 * run's detail names the binary and the grant names, never a capability.
 */
#include "broker/broker.h"

#include <stddef.h>

static const char hex_digits[] = "0123456789abcdef";

/* Appends s[0..len) to out (length *n, room limit) if it fits whole. */
static bool put(char *out, uint32_t *n, uint32_t limit, const char *s, uint32_t len)
{
	if (*n + len > limit)
		return false;
	for (uint32_t i = 0; i < len; i++)
		out[(*n)++] = s[i];
	return true;
}

static uint32_t limit_of(uint32_t cap, uint32_t max)
{
	return cap - 1 < max ? cap - 1 : max;
}

uint32_t broker_audit_user(const char *user, uint32_t len, char *out, uint32_t cap)
{
	uint32_t n = 0, limit;

	if (cap == 0)
		return 0;
	limit = limit_of(cap, BROKER_USER_MAX);
	for (uint32_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)user[i];
		char esc[4] = { '\\', 'x', hex_digits[c >> 4], hex_digits[c & 15] };
		bool plain = c >= 0x20 && c < 0x7f && c != '\\';

		if (!(plain ? put(out, &n, limit, (const char *)&user[i], 1)
			    : put(out, &n, limit, esc, 4)))
			break;
	}
	out[n] = '\0';
	return n;
}

static uint32_t cstr_len(const char *s)
{
	uint32_t n = 0;

	while (s[n])
		n++;
	return n;
}

uint32_t broker_run_detail(const char *binary, uint32_t blen, const struct broker_grant *g,
			   uint32_t n, char *out, uint32_t cap)
{
	static const char label[] = " grants: ";
	uint32_t len = 0, limit;
	bool fits;

	if (cap == 0)
		return 0;
	limit = limit_of(cap, BROKER_DETAIL_MAX);
	fits = put(out, &len, limit, binary, blen) &&
	       put(out, &len, limit, label, cstr_len(label));
	if (fits && n == 0)
		fits = put(out, &len, limit, "none", 4);
	for (uint32_t i = 0; fits && i < n; i++)
		fits = (i == 0 || put(out, &len, limit, ",", 1)) &&
		       put(out, &len, limit, g[i].name, g[i].len);
	out[len] = '\0';
	return len;
}
