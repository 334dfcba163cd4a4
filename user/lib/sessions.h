/* SPDX-License-Identifier: MIT */
/*
 * SessionManager client (schema/session.capnp; docs/session-manager.md), through
 * client_ring (client.h): the broker opens a session when a person logs in
 * and closes it at logout. Each returns 0 or a negative CAPOS_ERR_*;
 * CAPOS_ERR_APPLICATION_EXCEPTION means the service raised (type and reason
 * in client_exception(): overloaded with 64 sessions open, invalidArgument
 * for a bad user name or profile, or a handle not open), and
 * CAPOS_ERR_MALFORMED_MESSAGE an answer out of the schema's bounds. The
 * calls share static buffers: one thread of a process uses them at a time.
 */
#ifndef CAPOS_USER_SESSIONS_H
#define CAPOS_USER_SESSIONS_H

#include <stdint.h>

#include <capos/cap.h>

#define SESSIONS_TAG_SIZE 11u	/* "s-", 8 hex digits and a NUL */

/*
 * open(user, profile): *handle ends the session (sessions_close), tag (a
 * SESSIONS_TAG_SIZE buffer) names it in the audit log. user is a
 * NUL-terminated name (1..32 of a-z 0-9 _ -, starting with a letter);
 * profile a Profile (session.capnp.h).
 */
int sessions_open(capos_cap_t mgr, const char *user, uint16_t profile, uint64_t *handle,
		  char *tag);

/* close(handle). */
int sessions_close(capos_cap_t mgr, uint64_t handle);

/* count(): *open is the number of sessions open now. */
int sessions_count(capos_cap_t mgr, uint32_t *open);

#endif
