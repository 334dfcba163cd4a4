// SPDX-License-Identifier: MIT
/* AuditReader client (audit_client.h). */
#include <capos/errors.h>

#include "audit_client.h"
#include "client.h"
#include "session.capnp.h"
#include "ustring.h"

static bool audit_text(struct capnp_text t, char *out, uint32_t max)
{
	if (t.len > max)
		return false;
	for (uint32_t i = 0; i < t.len; i++)
		if (t.str[i] == '\0')
			return false;
	memcpy(out, t.str, t.len);
	out[t.len] = '\0';
	return true;
}

static bool audit_record_read(struct session_AuditReader_Record r, struct audit_record *out)
{
	out->seq = session_AuditReader_Record_get_seq(r);
	out->time_ns = session_AuditReader_Record_get_timeNs(r);
	out->event = session_AuditReader_Record_get_event(r);
	return audit_text(session_AuditReader_Record_get_user(r), out->user, AUDIT_USER_MAX) &&
	       audit_text(session_AuditReader_Record_get_session(r), out->session,
			  AUDIT_SESSION_MAX) &&
	       audit_text(session_AuditReader_Record_get_detail(r), out->detail, AUDIT_DETAIL_MAX);
}

int audit_read(struct ipc_call *c, capos_cap_t reader, uint64_t from_seq, uint32_t max,
	       struct audit_page *out)
{
	struct session_AuditReader_read_Params_builder p;
	struct session_AuditReader_read_Results res;
	struct session_AuditReader_Record__list l;
	int ret;

	if (max == 0 || max > AUDIT_PAGE_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	ipc_call_begin(c);
	p = session_AuditReader_read_Params_init_root(&c->msg);
	session_AuditReader_read_Params_set_fromSeq(p, from_seq);
	session_AuditReader_read_Params_set_max(p, max);
	ret = ipc_call_run(client_ring, c, reader, session_AuditReader_read);
	if (ret < 0)
		return ret;
	res = session_AuditReader_read_Results_root(&c->msg);
	l = session_AuditReader_read_Results_get_records(res);
	out->n = session_AuditReader_Record__list_len(l);
	out->dropped = session_AuditReader_read_Results_get_dropped(res);
	out->next_seq = session_AuditReader_read_Results_get_nextSeq(res);
	if (out->n > max)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	for (uint32_t i = 0; i < out->n; i++)
		if (!audit_record_read(session_AuditReader_Record__list_get(l, i), &out->rec[i]))
			return CAPOS_ERR_MALFORMED_MESSAGE;
	return capnp_msg_error(&c->msg) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}
