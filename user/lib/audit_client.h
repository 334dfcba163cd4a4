/* SPDX-License-Identifier: MIT */
/*
 * AuditReader client (schema/session.capnp): reads the audit log in pages.
 * Each record is copied out and checked against the schema's bounds (user
 * at most 32 bytes, session 16, detail 200, no NUL inside); a record out of
 * them makes the page CAPOS_ERR_MALFORMED_MESSAGE. The page size is bounded
 * by what one answer can carry (IPC_CALL_MSG_MAX), not the schema's 64.
 */
#ifndef CAPOS_USER_AUDIT_CLIENT_H
#define CAPOS_USER_AUDIT_CLIENT_H

#include <stdint.h>

#include <capos/cap.h>

#include "ipc_call.h"

#define AUDIT_PAGE_MAX 16u	/* records per read: 16 full records fit one answer */
#define AUDIT_USER_MAX 32u
#define AUDIT_SESSION_MAX 16u
#define AUDIT_DETAIL_MAX 200u

struct audit_record {
	uint64_t seq;
	uint64_t time_ns;
	uint16_t event;		/* session_AuditEvent */
	char user[AUDIT_USER_MAX + 1];
	char session[AUDIT_SESSION_MAX + 1];
	char detail[AUDIT_DETAIL_MAX + 1];
};

struct audit_page {
	uint32_t n;			/* records in rec[] */
	uint64_t dropped;		/* records the log's bound dropped since boot */
	uint64_t next_seq;		/* where to read on */
	struct audit_record rec[AUDIT_PAGE_MAX];
};

/* read(from_seq, max): max is 1..AUDIT_PAGE_MAX. */
int audit_read(struct ipc_call *c, capos_cap_t reader, uint64_t from_seq, uint32_t max,
	       struct audit_page *out);

#endif
