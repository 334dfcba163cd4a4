/* SPDX-License-Identifier: MIT */
/*
 * ProcessSpawner.spawn requests of spawn-hostile (req.c): built with the
 * generated builders from a description that may break every rule the
 * schema states (names with NULs or newlines, grants that name missing
 * descriptors, unknown union members), sent as raw CALLs with any
 * descriptors and buffers, and their outcome read back.
 */
#ifndef SPAWN_HOSTILE_REQ_H
#define SPAWN_HOSTILE_REQ_H

#include <stdbool.h>

#include <capos/endpoint.h>
#include <capos/ring.h>

#include "rt.h"

#define REQ_GRANTS_MAX 20	/* more than the kernel takes (16) */
#define REQ_REASON_MAX 160

/* Text with an explicit length, so that it may hold NULs: TXT("a\0b"). */
struct txt {
	const char *s;
	uint32_t len;
};
#define TXT(lit) ((struct txt){ (lit), sizeof(lit) - 1 })

enum req_source {
	SRC_TRANSFER,		/* CapGrant.source.transfer = index */
	SRC_NEW_ENDPOINT,	/* CapGrant.source.newEndpoint */
	SRC_UNKNOWN,		/* the union's discriminant set to `index`, which no member has */
};

struct req_grant {
	struct txt name;
	uint64_t iface;		/* interfaceId (0: any) */
	enum req_source source;
	uint16_t index;		/* descriptor index, or the discriminant for SRC_UNKNOWN */
};

struct spawn_req {
	struct txt name;
	struct txt binary;
	struct req_grant grants[REQ_GRANTS_MAX];
	uint32_t ngrants;
	struct capos_xfer xfer[CAPOS_XFER_MAX];
	uint8_t nxfer;
};

/* What came back: the CQE result, and for an exception its type and reason. */
struct outcome {
	int ret;
	uint16_t exc_type;
	char reason[REQ_REASON_MAX];
	struct capos_cqe cqe;
};

/* Buffers the raw CALLs use, 8-aligned. */
extern uint64_t req_params[];
extern uint64_t req_result[];
#define REQ_PARAMS_BYTES 4096u
#define REQ_RESULT_BYTES 1024u

/* The spawner the calls go to (set by main). */
extern capos_cap_t req_spawner;

/* A request with name and binary and nothing else. */
struct spawn_req req_simple(struct txt name, struct txt binary);
/* Appends a grant. */
void req_grant(struct spawn_req *q, struct txt name, uint64_t iface, enum req_source src,
	       uint16_t index);
/* Appends a transfer descriptor. */
void req_xfer(struct spawn_req *q, capos_cap_t cap, uint8_t mode);

/* Frames q into req_params; returns the byte count, or 0 if it does not fit. */
uint32_t req_frame(const struct spawn_req *q);

/*
 * CALL `method` of the spawner with params[0..plen) at `params` (a user
 * address, which may be bad), descriptors x[0..nx) and a result buffer at
 * `result` of rlen bytes; fills *o.
 */
void req_call_raw(uint16_t method, uint64_t params, uint32_t plen, const struct capos_xfer *x,
		  uint8_t nx, uint64_t result, uint32_t rlen, struct outcome *o);

/* spawn of q with req_result as the result buffer (rlen bytes of it). */
void req_spawn(const struct spawn_req *q, uint32_t rlen, struct outcome *o);

/* After a successful spawn: the ProcessHandle the answer names, or CAPOS_CAP_INVALID. */
capos_cap_t req_handle(const struct outcome *o);

#endif
