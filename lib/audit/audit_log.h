/* SPDX-License-Identifier: MIT */
/*
 * The audit log's record store (schema/session.capnp: AuditLog,
 * AuditReader; docs/audit.md): a ring of AUDIT_LOG_RECORDS records, each
 * with its sequence number (1, 2, ... over the boot), its time and its
 * event. When the ring is full an append drops the oldest record and
 * counts it. Text fields are stored as printable ASCII only: every byte
 * outside 0x20..0x7e becomes "\xHH" and a backslash "\\", then the field
 * is cut to its bound without splitting an escape, so a record can never
 * carry a terminal escape (ESC, CSI, BEL, a newline that forges a line, a
 * UTF-8 C1 control) to whoever prints it. Pure: no I/O, no clock (the
 * caller stamps), no allocation. Built into the user runtime for
 * user/programs/audit and for the host tests (tests/unit/audit).
 */
#ifndef CAPOS_LIB_AUDIT_LOG_H
#define CAPOS_LIB_AUDIT_LOG_H

#include <stdbool.h>
#include <stdint.h>

#define AUDIT_LOG_RECORDS 256u	/* records kept (schema) */
#define AUDIT_USER_MAX 32u	/* bytes of user, as stored (schema) */
#define AUDIT_SESSION_MAX 16u	/* bytes of session, as stored (schema) */
#define AUDIT_DETAIL_MAX 200u	/* bytes of detail, as stored (schema) */
#define AUDIT_READ_MAX 64u	/* records one read may return (schema) */
#define AUDIT_EVENT_MAX 5u	/* AuditEvent.refused, the last event */
/*
 * Bytes a read's framed answer may take: the service stops adding records
 * before it would pass this, so a reader's 8 KiB buffer always holds it
 * (at least 25 records of the largest size, 64 of most).
 */
#define AUDIT_ANSWER_BUDGET 8192u
/* The framed answer without records: segment table, root pointer, results, list tag. */
#define AUDIT_ANSWER_FIXED 48u

struct audit_record {
	uint64_t seq;				/* 1, 2, ...; never 0 */
	uint64_t time_ns;			/* Timer.now at the append */
	uint16_t event;				/* AuditEvent, 0..AUDIT_EVENT_MAX */
	char user[AUDIT_USER_MAX + 1];		/* escaped, NUL-terminated */
	char session[AUDIT_SESSION_MAX + 1];
	char detail[AUDIT_DETAIL_MAX + 1];
};

struct audit_log {
	struct audit_record ring[AUDIT_LOG_RECORDS];
	uint32_t oldest;	/* index in ring[] of the oldest record kept */
	uint32_t count;		/* records kept, 0..AUDIT_LOG_RECORDS */
	uint64_t next_seq;	/* the seq the next append gets */
	uint64_t dropped;	/* records dropped by the bound since init */
};

void audit_log_init(struct audit_log *log);

/* True if event is an AuditEvent (0..AUDIT_EVENT_MAX). */
bool audit_event_valid(uint32_t event);

/*
 * Writes src[0..len) escaped into out (cap bytes and a NUL): bytes
 * 0x20..0x7e but '\\' as they are, '\\' as "\\\\", every other byte as
 * "\\xHH" (lower-case hex). Stops before the first escape that would pass
 * cap, so the work is bounded by cap whatever len is. Returns the bytes
 * written (without the NUL).
 */
uint32_t audit_escape(const char *src, uint32_t len, char *out, uint32_t cap);

/*
 * Adds a record (the caller checked audit_event_valid), fields escaped and
 * cut to their bounds; drops and counts the oldest when full. Returns its
 * seq.
 */
uint64_t audit_log_append(struct audit_log *log, uint16_t event, uint64_t time_ns,
			  const char *user, uint32_t user_len, const char *session,
			  uint32_t session_len, const char *detail, uint32_t detail_len);

/*
 * The records with seq >= from_seq, oldest first: out[i] points at the
 * i-th, for at most max of them (the caller bounds max). Returns how many.
 */
uint32_t audit_log_read(const struct audit_log *log, uint64_t from_seq, uint32_t max,
			const struct audit_record **out);

/*
 * Where a reader that got n records ending with `last` (NULL if n is 0)
 * reads on: last->seq + 1, or the seq the next append gets.
 */
uint64_t audit_log_next_seq(const struct audit_log *log, const struct audit_record *last);

/*
 * Bytes r takes in a read's answer: a Record of a list (3 data words, 3
 * pointers) and its three texts, each with its NUL, rounded up to words.
 * The service stops a read before the answer passes its budget.
 */
uint32_t audit_record_wire_bytes(const struct audit_record *r);

#endif
