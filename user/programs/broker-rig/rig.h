/* SPDX-License-Identifier: MIT */
/*
 * broker-rig: the scenario qemu/broker's init (docs/sessions.md "Tests").
 * It starts the terminal and the credential store, serves a stand-in
 * SessionManager, AuditLog and AuditReader itself (stubs.c: each record
 * appended is printed and checked), starts the broker with the grants of
 * system/default.capnp, and when the broker has exited checks what it left
 * behind: no session open, the terminal ended; then stops the credential
 * store and exits, so the kernel's leak check judges the whole run.
 */
#ifndef CAPOS_BROKER_RIG_H
#define CAPOS_BROKER_RIG_H

#include <stdbool.h>
#include <stdint.h>

#include "capos.capnp.h"
#include "check.h"
#include "rt.h"
#include "server.h"
#include "session.capnp.h"

#define RIG_CREDSTORE_PAGES 6400u
#define RIG_BROKER_PAGES 11264u		/* the shell's 1,024 + 16 jobs of 512 + its own 2,048 */

struct rig_stats {
	uint32_t open_sessions;
	uint32_t records;
	uint32_t login_failed;
	uint64_t first_failed_ns, second_failed_ns;
	bool password_seen;		/* a record held a password the check typed */
	bool shell_end_logged;		/* a logout whose detail names the shell */
};

extern struct rig_stats rig;
extern capos_cap_t rig_timer;

/* stubs.c: serves SessionManager on ep (port 0), AuditLog and AuditReader on more ports. */
int stubs_init(struct server *s, capos_cap_t sessions_ep, capos_cap_t log_ep,
	       capos_cap_t reader_ep);

#endif
