/* SPDX-License-Identifier: MIT */
/*
 * The AuthorityBroker's pure logic (docs/sessions.md): what a profile may
 * run, the checks of a Launcher.spawn's grants, the job table of a
 * session, and the text of audit records (a typed user name escaped and
 * cut, the grant names of a run). No I/O: user/programs/broker asks this
 * code and acts. Built into the user runtime and for the host unit tests
 * (tests/unit/broker).
 */
#ifndef CAPOS_LIB_BROKER_H
#define CAPOS_LIB_BROKER_H

#include <stdbool.h>
#include <stdint.h>

/* Profiles, value for value as session.capnp's Profile. */
enum broker_profile { BROKER_ANONYMOUS = 0, BROKER_OPERATOR = 1, BROKER_GUEST = 2 };

#define BROKER_NAME_MAX 31u		/* bytes of a binary or grant name */
#define BROKER_GRANTS_MAX 15u		/* grants of one Launcher.spawn ("vm" is the 16th) */
#define BROKER_XFER_MAX 16u		/* transfer descriptors one CALL may carry */
#define BROKER_USER_MAX 32u		/* bytes of a user name in an audit record */
#define BROKER_DETAIL_MAX 200u		/* bytes of an audit record's detail */
#define BROKER_GUEST_USER "guest"	/* logs in to the guest profile without a password */

/* True if the profile may run binary name[0..len) (a name from the package). */
bool broker_profile_allows(enum broker_profile p, const char *name, uint32_t len);

/* True if name[0..len) is a CapSet name: 1..31 bytes of [A-Za-z0-9_.-]. */
bool broker_name_valid(const char *name, uint32_t len);

/* True if user[0..len) is the guest account's name. */
bool broker_is_guest(const char *user, uint32_t len);

/* One grant of a Launcher.spawn, as read from the params. */
struct broker_grant {
	const char *name;
	uint32_t len;
	uint32_t cap;		/* index of a transfer descriptor sent with the call */
	bool client;		/* the child may not send it on */
};

#define BROKER_GRANTS_OK 0
#define BROKER_GRANTS_TOO_MANY (-1)	/* more than BROKER_GRANTS_MAX */
#define BROKER_GRANTS_BAD_NAME (-2)	/* not a CapSet name, or "vm" */
#define BROKER_GRANTS_DUPLICATE (-3)	/* two grants of one name */
#define BROKER_GRANTS_BAD_CAP (-4)	/* an index past the descriptors sent */
#define BROKER_GRANTS_CAP_TWICE (-5)	/* one descriptor named by two grants */
#define BROKER_GRANTS_CAP_UNUSED (-6)	/* a descriptor sent that no grant names */

/*
 * Checks g[0..n) against ncaps descriptors sent: valid unique names, each
 * descriptor used exactly once. Returns BROKER_GRANTS_OK or the first
 * problem found.
 */
int broker_grants_check(const struct broker_grant *g, uint32_t n, uint32_t ncaps);

/* A reason text for a broker_grants_check result. */
const char *broker_grants_reason(int err);

/*
 * Writes user[0..len) as an audit record may show it into out[0..cap):
 * printable ASCII as is, other bytes (and '\') as \xNN, cut (whole escapes
 * only) to BROKER_USER_MAX bytes and cap - 1. Returns the length written;
 * out is NUL-terminated.
 */
uint32_t broker_audit_user(const char *user, uint32_t len, char *out, uint32_t cap);

/*
 * Writes "BINARY grants: a,b,c" (or "BINARY grants: none") into out[0..cap),
 * cut to BROKER_DETAIL_MAX bytes and cap - 1. Returns the length written.
 */
uint32_t broker_run_detail(const char *binary, uint32_t blen, const struct broker_grant *g,
			   uint32_t n, char *out, uint32_t cap);

/* ---- Jobs: what a session has spawned and not yet waited for. ---- */

#define BROKER_JOBS_PER_SESSION 16u	/* not yet waited for (schema) */
#define BROKER_JOB_SLOTS 32u		/* with the killed jobs of ended sessions */
#define BROKER_JOB_ID_MAX 65535u

enum broker_job_state {
	BROKER_JOB_FREE = 0,
	BROKER_JOB_RUNNING,	/* its ProcessHandle.wait is in flight */
	BROKER_JOB_EXITED,	/* exited; code kept until a wait takes it */
	BROKER_JOB_ORPHAN,	/* its session ended: only the wait's completion is awaited */
};

struct broker_job {
	enum broker_job_state state;
	uint32_t session;	/* the session's number (never reused in a boot) */
	uint32_t id;		/* 1..65535 within the session */
	int64_t code;		/* with EXITED */
	bool held;		/* a Launcher.wait is held for it */
	uint32_t held_call;	/* that call's id */
};

struct broker_jobs {
	struct broker_job slot[BROKER_JOB_SLOTS];
	uint32_t next_id;	/* of the current session */
	uint32_t session;	/* the current session (0: none) */
};

void broker_jobs_init(struct broker_jobs *t);

/* A new session: job ids start at 1 again. */
void broker_jobs_begin_session(struct broker_jobs *t, uint32_t session);

#define BROKER_JOBS_FULL (-1)		/* 16 jobs of this session not yet waited for */
#define BROKER_JOBS_NO_SLOT (-2)	/* every slot is in use (killed jobs not yet reaped) */
#define BROKER_JOBS_IDS_SPENT (-3)	/* 65535 jobs were given in this session */

/* Reserves a slot for the session's next job; returns the slot or BROKER_JOBS_*. */
int broker_jobs_reserve(struct broker_jobs *t);

/* Makes reserved slot s the session's next job (RUNNING); returns its id. */
uint32_t broker_jobs_commit(struct broker_jobs *t, int s);

/* The slot of the current session's job id, or -1. */
int broker_jobs_find(const struct broker_jobs *t, uint32_t id);

/*
 * Slot s's wait completed with code. Returns true if a held Launcher.wait
 * is to be answered with it (*call: its id); the slot is then free, as it
 * is for an ORPHAN. Otherwise the job keeps its code until a wait takes it.
 */
bool broker_jobs_exited(struct broker_jobs *t, int s, int64_t code, uint32_t *call);

/* Frees slot s (a wait answered with its code). */
void broker_jobs_forget(struct broker_jobs *t, int s);

/*
 * The current session ended: its EXITED jobs are freed, its RUNNING ones
 * become ORPHANs (the caller has killed them; their completions free them).
 * Returns how many held waits were dropped (their calls die with the port).
 */
uint32_t broker_jobs_end_session(struct broker_jobs *t);

/* Jobs of the current session not yet waited for (RUNNING or EXITED). */
uint32_t broker_jobs_live(const struct broker_jobs *t);

#endif
