/* SPDX-License-Identifier: MIT */
/*
 * A shell session as the shell keeps it (docs/shell.md): the user, the
 * profile and the audit tag the broker answered with, and the bundle's
 * capabilities by name. Pure bookkeeping over capability ids the caller
 * owns: nothing here makes a call, so the rules the shell applies before
 * acting are tested on the host. Those rules are:
 *   - which commands a profile may use (anonymous: help, setup, login,
 *     session, echo, exit);
 *   - resolving a `with { }` list against the session: every @CAP must be
 *     `terminal` or a bundle name, and no grant may be named `terminal` or
 *     `vm` (the child always gets its own). Decode, then invoke: the whole
 *     list is checked before the first capability is wrapped or sent.
 */
#ifndef CAPOS_LIB_SHELL_BUNDLE_H
#define CAPOS_LIB_SHELL_BUNDLE_H

#include <stdbool.h>
#include <stdint.h>

#include "shell/shellcmd.h"
#include "shell/shellfmt.h"

#define SHELL_BUNDLE_MAX 16u	/* capabilities a bundle may hold (one CALL's transfers) */
#define SHELL_USER_MAX 32u	/* bytes of a user name (AuditLog's bound) */
#define SHELL_TAG_MAX 16u	/* bytes of a session tag ("s-" and 8 hex digits) */

struct shell_bundle_cap {
	char name[SHELLCMD_NAME_MAX + 1];	/* NUL-terminated, [A-Za-z0-9_.-] */
	uint64_t iface;				/* its interface id, checked on receipt */
	uint32_t cap;				/* the shell's capability id */
};

struct shell_bundle {
	char user[SHELL_USER_MAX + 1];		/* empty: anonymous */
	enum shellfmt_profile profile;
	char tag[SHELL_TAG_MAX + 1];
	uint32_t ncaps;
	struct shell_bundle_cap caps[SHELL_BUNDLE_MAX];
};

/* One grant ready to be wrapped and sent: the child's name, the shell's cap. */
struct shell_grant_plan_entry {
	const char *name;	/* points into the command */
	uint32_t cap;
	uint64_t iface;
	bool client;		/* `client @CAP`: a copy that may not be sent on */
};

struct shell_grant_plan {
	uint32_t n;
	struct shell_grant_plan_entry g[SHELLCMD_GRANTS_MAX];
};

/* True if name[0..len) is 1..31 bytes of [A-Za-z0-9_.-] (the CapSet's rule). */
bool shell_name_is_valid(const char *name, uint32_t len);

/* The bundle capability called name, or NULL. */
const struct shell_bundle_cap *shell_bundle_find(const struct shell_bundle *b, const char *name);

/* The first bundle capability with interface iface, or NULL. */
const struct shell_bundle_cap *shell_bundle_find_iface(const struct shell_bundle *b, uint64_t iface);

/* True if a session of this profile may use the command at all. */
bool shell_profile_allows(enum shellfmt_profile profile, enum shellcmd_kind kind);

/*
 * Resolves cmd's grants (RUN or SPAWN) against the session: `terminal` is
 * the shell's terminal (terminal_cap, TerminalSession), any other @CAP a
 * bundle name. Returns 0 with *plan filled in grant order, or -1 with *err
 * at the position of the first mistake (shellcmd_error_format prints it).
 */
int shell_grants_resolve(const struct shellcmd *cmd, const struct shell_bundle *b,
			 uint32_t terminal_cap, struct shell_grant_plan *plan,
			 struct shellcmd_error *err);

#endif
