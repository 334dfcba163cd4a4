// SPDX-License-Identifier: MIT
/*
 * What a profile may run and how a spawn's grants are checked
 * (docs/sessions.md). The operator may run every packaged binary but the
 * system's own services: they need capabilities no session holds (a
 * SerialPort, the CredentialStore, a broker of their own), or would be a
 * second copy of a system service that only confuses. The guest runs a
 * fixed allow-list of harmless programs; a name missing from the package
 * is simply not offered.
 */
#include "broker/broker.h"

#include <stddef.h>

static const char *const system_services[] = {
	"init", "terminal", "shell", "broker", "credstore", "sessions", "audit",
};

static const char *const guest_allowed[] = { "hello", "lscaps" };

static bool name_is(const char *name, uint32_t len, const char *want)
{
	uint32_t i = 0;

	for (; i < len && want[i]; i++)
		if (name[i] != want[i])
			return false;
	return i == len && want[i] == '\0';
}

static bool in_list(const char *const *list, size_t n, const char *name, uint32_t len)
{
	for (size_t i = 0; i < n; i++)
		if (name_is(name, len, list[i]))
			return true;
	return false;
}

bool broker_profile_allows(enum broker_profile p, const char *name, uint32_t len)
{
	if (!broker_name_valid(name, len))
		return false;
	if (p == BROKER_OPERATOR)
		return !in_list(system_services, sizeof(system_services) / sizeof(system_services[0]),
				name, len);
	if (p == BROKER_GUEST)
		return in_list(guest_allowed, sizeof(guest_allowed) / sizeof(guest_allowed[0]), name,
			       len);
	return false;
}

bool broker_is_guest(const char *user, uint32_t len)
{
	return user != NULL && name_is(user, len, BROKER_GUEST_USER);
}

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

bool broker_name_valid(const char *name, uint32_t len)
{
	if (name == NULL || len == 0 || len > BROKER_NAME_MAX)
		return false;
	for (uint32_t i = 0; i < len; i++)
		if (!name_char_ok(name[i]))
			return false;
	return true;
}

static bool same_name(const struct broker_grant *a, const struct broker_grant *b)
{
	if (a->len != b->len)
		return false;
	for (uint32_t i = 0; i < a->len; i++)
		if (a->name[i] != b->name[i])
			return false;
	return true;
}

/* Names: valid, not "vm" (the child's own VirtualMemory), unique. */
static int check_names(const struct broker_grant *g, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (!broker_name_valid(g[i].name, g[i].len) || name_is(g[i].name, g[i].len, "vm"))
			return BROKER_GRANTS_BAD_NAME;
		for (uint32_t j = 0; j < i; j++)
			if (same_name(&g[i], &g[j]))
				return BROKER_GRANTS_DUPLICATE;
	}
	return BROKER_GRANTS_OK;
}

int broker_grants_check(const struct broker_grant *g, uint32_t n, uint32_t ncaps)
{
	uint32_t used = 0;	/* bit i: descriptor i named */
	int err;

	if (n > BROKER_GRANTS_MAX || ncaps > BROKER_XFER_MAX)
		return BROKER_GRANTS_TOO_MANY;
	err = check_names(g, n);
	if (err)
		return err;
	for (uint32_t i = 0; i < n; i++) {
		if (g[i].cap >= ncaps)
			return BROKER_GRANTS_BAD_CAP;
		if (used & (1u << g[i].cap))
			return BROKER_GRANTS_CAP_TWICE;
		used |= 1u << g[i].cap;
	}
	if (used != (1u << ncaps) - 1u)	/* ncaps <= 16 */
		return BROKER_GRANTS_CAP_UNUSED;
	return BROKER_GRANTS_OK;
}

const char *broker_grants_reason(int err)
{
	switch (err) {
	case BROKER_GRANTS_TOO_MANY:
		return "at most 15 grants";
	case BROKER_GRANTS_BAD_NAME:
		return "grant name: 1..31 of A-Z a-z 0-9 _ . -, not vm";
	case BROKER_GRANTS_DUPLICATE:
		return "two grants of one name";
	case BROKER_GRANTS_BAD_CAP:
		return "grant names a descriptor not sent";
	case BROKER_GRANTS_CAP_TWICE:
		return "a descriptor used by two grants";
	case BROKER_GRANTS_CAP_UNUSED:
		return "a descriptor sent that no grant uses";
	default:
		return "grants ok";
	}
}
