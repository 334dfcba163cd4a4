/* SPDX-License-Identifier: MIT */
/*
 * The cases of spawn-hostile: each sends one bad ProcessSpawner.spawn and
 * checks its outcome and that the caller's capability table kept exactly
 * its used slots (hostile.c runs them, fields.c, buffers.c and malformed.c
 * hold them).
 */
#ifndef SPAWN_HOSTILE_HOSTILE_H
#define SPAWN_HOSTILE_HOSTILE_H

#include <capos/errors.h>

#include "capos.capnp.h"
#include "req.h"

/* The expected outcome: a transport error, or a CapException of a type whose reason has a part. */
struct want {
	int ret;
	uint16_t exc_type;
	const char *reason;
};
#define WANT_EXC(type, part) \
	((struct want){ CAPOS_ERR_APPLICATION_EXCEPTION, capos_CapException_Type_##type, (part) })
#define WANT_ERR(err) ((struct want){ (err), 0, NULL })

/* What the cases send besides their params. */
struct hostile_caps {
	capos_cap_t console;	/* copied */
	capos_cap_t facet;	/* an endpoint's client facet, moved (it must stay ours) */
	capos_cap_t handle;	/* a ProcessHandle: not transferable */
};

/* Sends q (result buffer REQ_RESULT_BYTES) and checks the outcome against w. */
void hostile_run(const char *name, const struct spawn_req *q, struct want w);
/* Checks an outcome already had (the call made by the case itself) against w. */
void hostile_expect(const char *name, const struct outcome *o, struct want w,
		    uint32_t used_before);
/* Used slots of this process's capability table now. */
uint32_t hostile_used(void);

/* A request that would spawn the probe child (no grants). */
struct spawn_req hostile_probe_req(void);

void hostile_names(void);
void hostile_grants(const struct hostile_caps *c);
void hostile_binaries(void);
void hostile_buffers(const struct hostile_caps *c);
void hostile_malformed(void);
/* Params the schema allows though no builder of ours writes them: must spawn. Returns handles. */
uint32_t hostile_unusual_but_valid(capos_cap_t *handles, uint32_t max);

#endif
