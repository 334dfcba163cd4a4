/* SPDX-License-Identifier: MIT */
/*
 * Launcher client (schema/session.capnp; docs/sessions.md): a session's
 * right to run packaged programs. spawn sends each grant's capability as a
 * transfer descriptor of the CALL and names it in the Grant list by its
 * index; wait can be queued and left in flight (launcher_wait_submit) like
 * ProcessHandle.wait (process.h), so a shell can wait for a job and for
 * Ctrl-C together (uring_find on each, ipc_call_complete). Calls go
 * through a struct ipc_call the caller owns; a CapException's reason is in
 * c->exc_reason.
 */
#ifndef CAPOS_USER_LAUNCHER_H
#define CAPOS_USER_LAUNCHER_H

#include <stdint.h>

#include <capos/cap.h>

#include "ipc_call.h"

struct spawn_args;	/* client.h */

#define LAUNCHER_GRANTS_MAX 15u		/* spawn's limit (schema) */
#define LAUNCHER_NAME_MAX 31u		/* a binary's or a grant's name */

struct launcher_grant {
	const char *name;	/* the child's name for it: 1..31 bytes, not "vm" */
	capos_cap_t cap;	/* the caller's capability */
	uint8_t mode;		/* CAPOS_XFER_COPY or CAPOS_XFER_MOVE */
	bool client;		/* the child may not send it on (Launcher.Grant.client) */
};

/*
 * list(): the binaries this session may run, in package order, into
 * names[0..max) (NUL-terminated); *count is how many the answer had (it
 * may exceed max). A name that is not 1..31 bytes without NUL is
 * CAPOS_ERR_MALFORMED_MESSAGE.
 */
int launcher_list(struct ipc_call *c, capos_cap_t launcher, char (*names)[LAUNCHER_NAME_MAX + 1],
		  uint32_t max, uint32_t *count);

/* spawn(binary, grants g[0..n)): *job is the new job's number (1..65535). */
int launcher_spawn(struct ipc_call *c, capos_cap_t launcher, const char *binary,
		   const struct launcher_grant *g, uint32_t n, uint32_t *job);

/* launcher_spawn with program arguments (NULL: none; client.h struct spawn_args). */
int launcher_spawn_args(struct ipc_call *c, capos_cap_t launcher, const char *binary,
			const struct spawn_args *args, const struct launcher_grant *g, uint32_t n,
			uint32_t *job);

/* Queues wait(job) in c; the next enter or wait sends it. 0 or an error. */
int launcher_wait_submit(struct ipc_call *c, capos_cap_t launcher, uint32_t job);

/* Reads a completed wait; status is what ipc_call_wait(_any) returned. 0 with *code. */
int launcher_wait_read(struct ipc_call *c, int status, int64_t *code);

/* wait(job) until it answers: submit, wait, read. */
int launcher_wait(struct ipc_call *c, capos_cap_t launcher, uint32_t job, int64_t *code);

/* kill(job): its wait answers exitKilled. */
int launcher_kill(struct ipc_call *c, capos_cap_t launcher, uint32_t job);

#endif
