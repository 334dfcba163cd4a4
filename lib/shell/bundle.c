// SPDX-License-Identifier: MIT
/*
 * The session's bundle and the rules over it (bundle.h). Linear searches:
 * a bundle holds at most 16 capabilities and a command names at most 14.
 */
#include <capos/interfaces.h>

#include "shell/bundle.h"
#include "shell/internal.h"

static bool shell_name_byte_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

bool shell_name_is_valid(const char *name, uint32_t len)
{
	if (len == 0 || len > SHELLCMD_NAME_MAX)
		return false;
	for (uint32_t i = 0; i < len; i++)
		if (!shell_name_byte_ok(name[i]))
			return false;
	return true;
}

const struct shell_bundle_cap *shell_bundle_find(const struct shell_bundle *b, const char *name)
{
	for (uint32_t i = 0; i < b->ncaps && i < SHELL_BUNDLE_MAX; i++)
		if (sc_bytes_eq(name, sc_strlen(name), b->caps[i].name))
			return &b->caps[i];
	return 0;
}

const struct shell_bundle_cap *shell_bundle_find_iface(const struct shell_bundle *b, uint64_t iface)
{
	for (uint32_t i = 0; i < b->ncaps && i < SHELL_BUNDLE_MAX; i++)
		if (b->caps[i].iface == iface)
			return &b->caps[i];
	return 0;
}

bool shell_profile_allows(enum shellfmt_profile profile, enum shellcmd_kind kind)
{
	if (profile != SHELLFMT_PROFILE_ANONYMOUS)
		return true;
	switch (kind) {
	case SHELLCMD_EMPTY:
	case SHELLCMD_HELP:
	case SHELLCMD_SETUP:
	case SHELLCMD_LOGIN:
	case SHELLCMD_SESSION:
	case SHELLCMD_ECHO:
	case SHELLCMD_EXIT:
		return true;
	default:
		return false;
	}
}

/* The child's own capabilities: a grant may not take their names. */
static int shell_grant_name_check(const struct shellcmd_grant *g, struct shellcmd_error *err)
{
	if (sc_bytes_eq(g->name, sc_strlen(g->name), "terminal"))
		return shellcmd_error_set(err, g->name_pos, "a grant may not be named 'terminal': "
					  "the child always gets its own");
	if (sc_bytes_eq(g->name, sc_strlen(g->name), "vm"))
		return shellcmd_error_set(err, g->name_pos, "a grant may not be named 'vm': "
					  "the child always gets its own");
	return 0;
}

int shell_grants_resolve(const struct shellcmd *cmd, const struct shell_bundle *b,
			 uint32_t terminal_cap, struct shell_grant_plan *plan,
			 struct shellcmd_error *err)
{
	plan->n = 0;
	for (uint32_t i = 0; i < cmd->ngrants && i < SHELLCMD_GRANTS_MAX; i++) {
		const struct shellcmd_grant *g = &cmd->grants[i];
		struct shell_grant_plan_entry *e = &plan->g[plan->n];
		const struct shell_bundle_cap *bc;

		if (shell_grant_name_check(g, err))
			return -1;
		e->name = g->name;
		e->client = g->client;
		if (sc_bytes_eq(g->cap, sc_strlen(g->cap), "terminal")) {
			e->cap = terminal_cap;
			e->iface = CAPOS_IFACE_TERMINAL_SESSION;
		} else if ((bc = shell_bundle_find(b, g->cap))) {
			e->cap = bc->cap;
			e->iface = bc->iface;
		} else {
			return shellcmd_error_set(err, g->cap_pos, "unknown capability '@%s': 'caps' "
						  "lists this session's", g->cap);
		}
		plan->n++;
	}
	return 0;
}
