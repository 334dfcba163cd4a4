// SPDX-License-Identifier: MIT
/*
 * AuditLog and AuditReader clients (audit.h). Params are framed with the
 * generated builders; answers are read with the bounds-checked reader and
 * every text is checked against its bound before it is copied.
 */
#include <capos/errors.h>

#include "audit.h"
#include "client.h"
#include "session.capnp.h"
#include "ustring.h"

/* Params of an append: framing, pointers and the texts at their bounds, with room to spare. */
#define AUDIT_PARAMS_WORDS 64
/* An answer of read (AUDIT_ANSWER_BUDGET), or any CapException. */
#define AUDIT_RESULT_WORDS ((AUDIT_ANSWER_BUDGET + 512) / 8)

static uint64_t audit_arena[AUDIT_PARAMS_WORDS], audit_params[AUDIT_PARAMS_WORDS];
static uint64_t audit_result[AUDIT_RESULT_WORDS];

/* Frames m and calls method of cap; the answer is open in *m. 0 or the error. */
static int audit_call(capos_cap_t cap, uint16_t method, struct capnp_msg *m)
{
	return client_call_framed(cap, method, m, audit_params, sizeof(audit_params), audit_result,
				  sizeof(audit_result));
}

/* The length of s cut to max (a caller's over-long text is cut here as the service would). */
static uint32_t text_len(const char *s, uint32_t max)
{
	uint32_t n = 0;

	while (s && n < max && s[n])
		n++;
	return n;
}

int audit_append(capos_cap_t log, uint16_t event, const char *user, const char *session,
		 const char *detail)
{
	struct session_AuditLog_append_Params_builder p;
	struct capnp_msg m;

	capnp_msg_init_build(&m, audit_arena, sizeof(audit_arena));
	p = session_AuditLog_append_Params_init_root(&m);
	session_AuditLog_append_Params_set_event(p, event);
	session_AuditLog_append_Params_set_user(p, user ? user : "",
						text_len(user, AUDIT_USER_MAX));
	session_AuditLog_append_Params_set_session(p, session ? session : "",
						   text_len(session, AUDIT_SESSION_MAX));
	session_AuditLog_append_Params_set_detail(p, detail ? detail : "",
						  text_len(detail, AUDIT_DETAIL_MAX));
	return audit_call(log, session_AuditLog_append, &m);
}

/* Copies t into out (max bytes and a NUL); false if it is longer. */
static bool copy_text(struct capnp_text t, char *out, uint32_t max)
{
	if (t.len > max)
		return false;
	memcpy(out, t.str, t.len);
	out[t.len] = '\0';
	return true;
}

static bool copy_record(struct session_AuditReader_Record r, struct audit_record *out)
{
	out->seq = session_AuditReader_Record_get_seq(r);
	out->time_ns = session_AuditReader_Record_get_timeNs(r);
	out->event = session_AuditReader_Record_get_event(r);
	return copy_text(session_AuditReader_Record_get_user(r), out->user, AUDIT_USER_MAX) &&
	       copy_text(session_AuditReader_Record_get_session(r), out->session,
			 AUDIT_SESSION_MAX) &&
	       copy_text(session_AuditReader_Record_get_detail(r), out->detail, AUDIT_DETAIL_MAX);
}

int audit_read(capos_cap_t reader, uint64_t from_seq, uint32_t max, struct audit_record *out,
	       uint32_t *n, uint64_t *dropped, uint64_t *next_seq)
{
	struct session_AuditReader_read_Params_builder p;
	struct session_AuditReader_read_Results res;
	struct session_AuditReader_Record__list list;
	struct capnp_msg m;
	uint32_t count;
	int ret;

	*n = 0;
	capnp_msg_init_build(&m, audit_arena, sizeof(audit_arena));
	p = session_AuditReader_read_Params_init_root(&m);
	session_AuditReader_read_Params_set_fromSeq(p, from_seq);
	session_AuditReader_read_Params_set_max(p, max);
	ret = audit_call(reader, session_AuditReader_read, &m);
	if (ret < 0)
		return ret;
	res = session_AuditReader_read_Results_root(&m);
	list = session_AuditReader_read_Results_get_records(res);
	count = session_AuditReader_Record__list_len(list);
	if (capnp_msg_error(&m) || count > max)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	for (uint32_t i = 0; i < count; i++)
		if (!copy_record(session_AuditReader_Record__list_get(list, i), &out[i]))
			return CAPOS_ERR_MALFORMED_MESSAGE;
	*dropped = session_AuditReader_read_Results_get_dropped(res);
	*next_seq = session_AuditReader_read_Results_get_nextSeq(res);
	if (capnp_msg_error(&m))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*n = count;
	return 0;
}
