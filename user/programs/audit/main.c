// SPDX-License-Identifier: MIT
/*
 * audit: the audit log service (schema/session.capnp: AuditLog,
 * AuditReader; docs/audit.md). One process, two ports of the runtime's
 * server loop: the endpoint granted as "log" serves AuditLog (append) and
 * the one granted as "reader" serves AuditReader (read); each port answers
 * only its own interface, so a call whose endpoint was made for the other
 * one is refused as unimplemented. Records live in a bounded ring
 * (lib/audit: 256 records, the oldest dropped and counted, texts escaped
 * to printable ASCII), stamped with Timer.now of the Timer granted as
 * "timer". It does nothing else. It serves until it is killed; exits 2 if
 * a capability is missing or serving fails.
 */
#include "audit/audit_log.h"
#include "capos.capnp.h"
#include "rt.h"
#include "server.h"
#include "session.capnp.h"
#include "timer.h"

static struct server srv;
static struct audit_log log_;
static capos_cap_t timer_cap;
static const struct audit_record *found[AUDIT_READ_MAX];

/*
 * True if every param read so far decoded: a handler checks this after
 * reading its params and before acting (a pointer of the wrong kind reads
 * as empty and marks the message; the loop would raise only afterwards).
 */
static bool params_decoded(void *ctx)
{
	return !capnp_msg_error(&((struct server_call *)ctx)->params);
}

static int do_append(void *ctx, struct session_AuditLog_append_Params p,
		     struct session_AuditLog_append_Results_builder r)
{
	uint16_t event = session_AuditLog_append_Params_get_event(p);
	struct capnp_text user = session_AuditLog_append_Params_get_user(p);
	struct capnp_text session = session_AuditLog_append_Params_get_session(p);
	struct capnp_text detail = session_AuditLog_append_Params_get_detail(p);
	uint64_t now = 0;

	(void)r;
	if (!params_decoded(ctx))
		return server_raise(ctx, capos_CapException_Type_invalidArgument,
				    "malformed params");
	if (!audit_event_valid(event))
		return server_raise(ctx, capos_CapException_Type_invalidArgument,
				    "event: not an AuditEvent");
	/* A clock that fails stamps 0: the record still counts more than its time. */
	(void)timer_now(timer_cap, &now);
	audit_log_append(&log_, event, now, user.str, user.len, session.str, session.len,
			 detail.str, detail.len);
	return 0;
}

/* How many of found[0..n) fit one answer (AUDIT_ANSWER_BUDGET). */
static uint32_t fitting(uint32_t n)
{
	uint32_t bytes = AUDIT_ANSWER_FIXED, k = 0;

	while (k < n && bytes + audit_record_wire_bytes(found[k]) <= AUDIT_ANSWER_BUDGET)
		bytes += audit_record_wire_bytes(found[k++]);
	return k;
}

static int put_record(struct session_AuditReader_Record_builder b, const struct audit_record *a)
{
	session_AuditReader_Record_set_seq(b, a->seq);
	session_AuditReader_Record_set_timeNs(b, a->time_ns);
	session_AuditReader_Record_set_event(b, a->event);
	if (session_AuditReader_Record_set_user(b, a->user, (uint32_t)strlen(a->user)) ||
	    session_AuditReader_Record_set_session(b, a->session, (uint32_t)strlen(a->session)) ||
	    session_AuditReader_Record_set_detail(b, a->detail, (uint32_t)strlen(a->detail)))
		return CAPOS_ERR_TOO_LARGE;
	return 0;
}

static int do_read(void *ctx, struct session_AuditReader_read_Params p,
		   struct session_AuditReader_read_Results_builder r)
{
	uint64_t from = session_AuditReader_read_Params_get_fromSeq(p);
	uint32_t max = session_AuditReader_read_Params_get_max(p);
	struct session_AuditReader_Record__list_builder list;
	uint32_t n;

	if (!params_decoded(ctx))
		return server_raise(ctx, capos_CapException_Type_invalidArgument,
				    "malformed params");
	if (max < 1 || max > AUDIT_READ_MAX)
		return server_raise(ctx, capos_CapException_Type_invalidArgument, "max: 1..64");
	n = fitting(audit_log_read(&log_, from, max, found));
	list = session_AuditReader_read_Results_init_records(r, n);
	for (uint32_t i = 0; i < n; i++)
		if (put_record(session_AuditReader_Record__list_build(list, i), found[i]))
			return CAPOS_ERR_TOO_LARGE;
	session_AuditReader_read_Results_set_dropped(r, log_.dropped);
	session_AuditReader_read_Results_set_nextSeq(
		r, audit_log_next_seq(&log_, n ? found[n - 1] : NULL));
	return 0;
}

static const struct session_AuditLog_server log_impl = { .append = do_append };
static const struct session_AuditReader_server reader_impl = { .read = do_read };

int main(void)
{
	capos_cap_t log_ep = rt_cap("log", CAPOS_IFACE_ENDPOINT);
	capos_cap_t reader_ep = rt_cap("reader", CAPOS_IFACE_ENDPOINT);
	int err;

	timer_cap = rt_cap("timer", CAPOS_IFACE_TIMER);
	if (log_ep == CAPOS_CAP_INVALID || reader_ep == CAPOS_CAP_INVALID ||
	    timer_cap == CAPOS_CAP_INVALID) {
		printf("audit: needs log, reader and timer\n");
		return 2;
	}
	audit_log_init(&log_);
	err = server_init(&srv, &rt.ring, log_ep, session_AuditLog_TYPE_ID,
			  session_AuditLog_dispatch_any, &log_impl);
	if (!err) {
		int port = server_add_port(&srv, reader_ep, session_AuditReader_TYPE_ID,
					   session_AuditReader_dispatch_any, &reader_impl, NULL);

		err = port < 0 ? port : server_run(&srv);
	}
	printf("audit: serving failed: %s\n", capos_strerror(err));
	return 2;
}
