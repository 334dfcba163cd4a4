/* SPDX-License-Identifier: MIT */
/*
 * broker-check: qemu/broker's stand-in for the shell. The broker starts it
 * as "shell" with exactly a terminal, the AuthorityBroker's facet, a
 * CapabilityManager and a VirtualMemory; it drives the broker through the
 * schema (calls.c) and prints its verdicts on the terminal (COM1), as the
 * shell would print its answers. main.c holds the checks, in the order of
 * a person's first boot: setup, logins, jobs, logout, the shell's end.
 */
#ifndef CAPOS_BROKER_CHECK_H
#define CAPOS_BROKER_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "capos.capnp.h"
#include "ipc_call.h"
#include "rt.h"
#include "session.capnp.h"
#include "terminal.h"

#define BUNDLE_MAX 8u

struct bundle {
	uint16_t profile;
	char tag[24];
	uint32_t n;
	char name[BUNDLE_MAX][32];
	uint64_t iface[BUNDLE_MAX];
	capos_cap_t cap[BUNDLE_MAX];
};

extern capos_cap_t term, broker;
extern struct ipc_call call;	/* the last call: its exception, its answer */

/* Prints "broker-check: PASS name" or "... FAIL name (got)"; returns ok. */
bool verdict(bool ok, const char *name, long long got);
/* True if the last call raised type with exactly reason (NULL: any reason). */
bool raised(int err, uint16_t type, const char *reason);

int ab_has_operator(bool *present);
/* setup or login (method) of user/password; *b the bundle on success. */
int ab_enter(uint16_t method, const char *user, const char *pw, struct bundle *b);
int ab_logout(void);
/* AuditReader.read(1, 8): *n records. */
int audit_read(capos_cap_t reader, uint32_t *n);
/* The bundle's capability named name, or CAPOS_CAP_INVALID. */
capos_cap_t bundle_cap(const struct bundle *b, const char *name);
void bundle_release(struct bundle *b);

/* Launcher.list: the names joined by ' ' into out. */
int launcher_list(capos_cap_t l, char *out, uint32_t cap);
/* Launcher.spawn of binary with grant `gname` of cap (copied) if gname. */
int launcher_spawn(capos_cap_t l, const char *binary, const char *gname, capos_cap_t cap,
		   uint32_t *job);
/* Launcher.spawn with grants names[i] -> descriptor idx[i], and caps[0..ncaps) sent (copied). */
int launcher_spawn_grants(capos_cap_t l, const char *binary, const char *const *names,
			  const uint16_t *idx, uint32_t n, const capos_cap_t *caps, uint32_t ncaps,
			  uint32_t *job);
int launcher_wait(capos_cap_t l, uint32_t job, int64_t *code);
int launcher_kill(capos_cap_t l, uint32_t job);

#endif
