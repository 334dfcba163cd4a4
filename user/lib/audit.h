/* SPDX-License-Identifier: MIT */
/*
 * AuditLog and AuditReader clients (schema/session.capnp; docs/audit.md),
 * through client_ring (client.h). audit_append adds a record to the log;
 * audit_read gets records from a reader. Texts are NUL-terminated C
 * strings (NULL is empty); the service escapes what is not printable ASCII
 * and cuts each field to its bound (AUDIT_USER_MAX, AUDIT_SESSION_MAX,
 * AUDIT_DETAIL_MAX). Each returns 0 or a negative CAPOS_ERR_*;
 * CAPOS_ERR_APPLICATION_EXCEPTION means the service raised (type and reason
 * in client_exception()), CAPOS_ERR_MALFORMED_MESSAGE an answer out of the
 * schema's bounds. The calls share static buffers: one thread of a process
 * uses them at a time.
 */
#ifndef CAPOS_USER_AUDIT_H
#define CAPOS_USER_AUDIT_H

#include <stdint.h>

#include <capos/cap.h>

#include "audit/audit_log.h"

/* AuditLog.append(event, user, session, detail); event is an AuditEvent (session.capnp.h). */
int audit_append(capos_cap_t log, uint16_t event, const char *user, const char *session,
		 const char *detail);

/*
 * AuditReader.read(from_seq, max): out[0..*n) receives the records with seq
 * >= from_seq, oldest first (max 1..AUDIT_READ_MAX; fewer than max when
 * there are no more, or when more would not fit one answer:
 * AUDIT_ANSWER_BUDGET). *dropped counts the records the bound dropped since
 * boot; *next_seq is the from_seq of the next read. out must hold max
 * records.
 */
int audit_read(capos_cap_t reader, uint64_t from_seq, uint32_t max, struct audit_record *out,
	       uint32_t *n, uint64_t *dropped, uint64_t *next_seq);

#endif
