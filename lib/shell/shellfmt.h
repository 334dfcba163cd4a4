/* SPDX-License-Identifier: MIT */
/*
 * The text of the shell's answers that scripts read (contracts.md,
 * "Terminal (M6)"): the prompt, `session`, `caps` and `help`. Each is a
 * pure function into the caller's buffer, snprintf-style (always
 * NUL-terminated when size > 0; returns the length the whole text has), so
 * the exact bytes are tested on the host and the shell only writes them.
 *
 * Text that comes from elsewhere (a user name from the credential store,
 * a capability name from the broker's bundle) is printed with every control
 * byte (< 0x20, 0x7f) written as \xNN, so it cannot move the cursor or
 * clear the screen of whoever reads it; bytes >= 0x80 (UTF-8) pass.
 */
#ifndef CAPOS_LIB_SHELL_SHELLFMT_H
#define CAPOS_LIB_SHELL_SHELLFMT_H

#include <stddef.h>
#include <stdint.h>

#include "shell/shellcmd.h"

enum shellfmt_profile {
	SHELLFMT_PROFILE_ANONYMOUS = 0,
	SHELLFMT_PROFILE_GUEST,
	SHELLFMT_PROFILE_OPERATOR,
};

/* The interfaces of schema/session.capnp (tests/unit/shell checks them against its ids). */
#define SHELLFMT_IFACE_AUTHORITY_BROKER 0xa209dd96dc85996full
#define SHELLFMT_IFACE_LAUNCHER 0xaa36e5abb6aa18daull
#define SHELLFMT_IFACE_SESSION_MANAGER 0xe3615666e79bc44eull
#define SHELLFMT_IFACE_AUDIT_LOG 0x900dafdf1fd492b6ull
#define SHELLFMT_IFACE_AUDIT_READER 0xc430a49054c9ee4full

/* ProcessHandle.exitFault and exitKilled (schema/capos.capnp), as Launcher.wait answers them. */
#define SHELLFMT_EXIT_FAULT (-1)
#define SHELLFMT_EXIT_KILLED (-2)

#define SHELLFMT_NAME_COLUMN 16	/* caps: interfaces start here when names are shorter */

/* "USER@capos> " (no newline); a NULL or empty user is "anonymous". */
int shellfmt_prompt(char *buf, size_t size, const char *user);

/* "user NAME\nprofile P\n", P one of anonymous, guest, operator. */
int shellfmt_session(char *buf, size_t size, const char *user, enum shellfmt_profile profile);

/* The profile's name, or NULL for a value outside the enum. */
const char *shellfmt_profile_name(enum shellfmt_profile profile);

/*
 * One line of `caps`: the capability's name, padded with spaces to
 * SHELLFMT_NAME_COLUMN (at least one space), then its interface's name
 * (shellfmt_interface_name) or, for an id it does not know, the id as
 * "0x" and 16 hex digits; then "\n".
 */
int shellfmt_cap_line(char *buf, size_t size, const char *name, uint64_t iface);

/* The name of a schema interface ("Console", "Timer", ...) or NULL. */
const char *shellfmt_interface_name(uint64_t iface);

/* One line of `help`'s list: "  NAME" padded to 10 columns, the summary, "\n". */
int shellfmt_help_line(char *buf, size_t size, enum shellcmd_kind kind);

/* `help COMMAND`: "usage: USAGE\nSUMMARY\n". */
int shellfmt_help_topic(char *buf, size_t size, enum shellcmd_kind kind);

/*
 * How a job ended, one line: "[job N] BINARY: exit code C", "[job N]
 * BINARY: killed" (ProcessHandle.exitKilled) or "[job N] BINARY: ended by
 * a fault" (exitFault); then "\n".
 */
int shellfmt_job_end(char *buf, size_t size, uint32_t job, const char *binary, int64_t code);

/* The AuditEvent's name ("setup", "loginOk", ...), or NULL outside the enum. */
const char *shellfmt_audit_event_name(uint16_t event);

/*
 * One audit record, one line: "SEQ SECONDS.MMMs EVENT USER SESSION DETAIL"
 * (an empty user, session or detail is "-"), then "\n". Text from the log
 * is escaped like every name from outside the shell.
 */
int shellfmt_audit_line(char *buf, size_t size, uint64_t seq, uint64_t time_ns, uint16_t event,
			const char *user, const char *session, const char *detail);

#endif
