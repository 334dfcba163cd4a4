/* SPDX-License-Identifier: MIT */
/*
 * broker: the AuthorityBroker service (schema/session.capnp,
 * docs/sessions.md). Its parts: main.c starts the shell and serves until
 * the shell ends; authority.c serves AuthorityBroker (hasOperator, setup,
 * login, logout); session.c opens and ends the one session and makes its
 * bundle; launcher.c serves the session's Launcher; jobs.c keeps the
 * ProcessHandle.waits of the jobs and answers held waits; outcalls.c
 * calls the CredentialStore, SessionManager and AuditLog. The pure logic
 * (profiles, grant checks, job table, audit texts) is lib/broker.
 */
#ifndef CAPOS_BROKER_H
#define CAPOS_BROKER_H

#include <stdbool.h>
#include <stdint.h>

#include "broker/broker.h"
#include "capos.capnp.h"
#include "credentials.capnp.h"
#include "net.capnp.h"
#include "ipc_call.h"
#include "process.h"
#include "rt.h"
#include "server.h"
#include "session.capnp.h"

#define BROKER_TERMINAL_DEFAULT 0u	/* COM1's CredentialStore terminal number */
#define BROKER_TERMINAL_MAX 63u		/* the CredentialStore's highest */
#define BROKER_SHELL_PAGES 1024u	/* the shell's VirtualMemory quota */
#define BROKER_JOB_PAGES 512u		/* each job's, from the broker's quota */
#define BROKER_PACKAGE_MAX 256u		/* binaries in a boot package (schema) */
#define BROKER_TAG_MAX 16u		/* bytes of a session tag kept */
#define BROKER_WHY_MAX 64u

/* The capabilities the manifest grants (docs/sessions.md has the table). */
struct broker_caps {
	capos_cap_t terminal, creds, sessions, audit, audit_reader;
	capos_cap_t spawner, endpoints, caps, timer, boot;
	capos_cap_t net;		/* optional NetworkManager: operators get a copy */
};

/*
 * The CredentialStore terminal number of our logins, for its per-terminal
 * throttle: args "--terminal" "N" (the telnet gateway gives each connection
 * slot its own), BROKER_TERMINAL_DEFAULT without them. False for bad args.
 */
bool broker_terminal_from_args(uint32_t *out);
extern uint32_t broker_terminal;

/* The one session (a terminal has at most one at a time). */
struct session {
	bool open;
	uint32_t number;		/* 1, 2, ... over the broker's life */
	enum broker_profile profile;
	char user[BROKER_USER_MAX + 1];
	char tag[BROKER_TAG_MAX + 1];
	uint64_t handle;		/* SessionManager's */
	capos_cap_t revoker;		/* every bundle capability is a copy under it */
	capos_cap_t launcher_ep;	/* the Launcher endpoint's owner side */
	int port;			/* the server port that serves it */
};

extern struct broker_caps bk;
extern struct server broker_srv;
extern struct session broker_session;
extern struct broker_jobs broker_jobs;
/* The boot package's binaries, read at start (the package never changes). */
extern struct bootpkg_entry broker_package[BROKER_PACKAGE_MAX];
extern uint32_t broker_package_count;

/* authority.c */
extern const struct session_AuthorityBroker_server broker_authority_impl;

/* launcher.c */
extern const struct session_Launcher_server broker_launcher_impl;

/*
 * session.c: opens a session for user as profile and writes the answer
 * (user, profile, tag, bundle) into r; audits `event` (setup or loginOk).
 * Returns 0 or SERVER_RAISED with nothing left open.
 */
int session_open(struct server_call *c, const char *user, uint32_t ulen,
		 enum broker_profile profile, uint16_t event,
		 struct session_AuthorityBroker_login_Results_builder r);

/* Ends the open session (if any): jobs killed, bundle revoked, audit `logout` with why. */
void session_end(const char *why);

/* jobs.c */
struct job_proc {
	capos_cap_t handle;		/* the job's ProcessHandle */
	struct process_wait wait;	/* its wait, in flight while the slot is in use */
};
extern struct job_proc broker_procs[BROKER_JOB_SLOTS];

/* Starts job slot s's wait on handle; 0 or CAPOS_ERR_CQ_FULL. */
int jobs_watch(int s, capos_cap_t handle);
/* Kills every running job of the open session. */
void jobs_kill_session(void);
/* A completion that is not the server loop's: a job's or the shell's wait. */
void jobs_on_completion(void *arg, const struct capos_cqe *cqe);
/* Answers held Launcher.wait call_id with code. */
void jobs_answer_wait(uint32_t call_id, int64_t code);

/* main.c: the shell's end, seen by jobs_on_completion. */
bool broker_shell_is(const struct capos_cqe *cqe);
void broker_shell_ended(const struct capos_cqe *cqe);

/* outcalls.c: calls to the services the broker holds. Each returns 0, a
 * transport error, or CAPOS_ERR_APPLICATION_EXCEPTION with the exception
 * in outcall_exc(). */
struct outcall_exc {
	uint16_t type;
	const char *reason;
};
struct outcall_exc outcall_exc(void);
int creds_has_operator(bool *present);
int creds_setup(const char *user, uint32_t ulen, const void *pw, uint32_t plen);
int creds_verify(const char *user, uint32_t ulen, const void *pw, uint32_t plen,
		 uint16_t *profile);
/* SessionManager and AuditLog go through user/lib/sessions.h and audit.h. */

#endif
