// SPDX-License-Identifier: MIT
/*
 * The one session: opened by a login (or setup), ended by logout or the
 * shell's end. Opening asks the SessionManager for a handle and tag, makes
 * a Revoker, an endpoint for the session's Launcher (served on a port of
 * the broker's own server, whose port_ctx is the session) and the bundle:
 * each capability a revocable copy under the Revoker, moved to the caller
 * with the answer, so the broker keeps none of them and one revoke ends
 * them all, wherever they were sent. Everything is made before the answer
 * is written; a failure half way undoes what was made (open_undo).
 */
#include "audit.h"
#include "broker.h"
#include "sessions.h"

struct session broker_session;
static uint32_t sessions_opened;

/* One capability of a bundle: its name, interface, and the cap it copies. */
struct bundle_item {
	const char *name;
	uint64_t iface;
	capos_cap_t cap;
	uint8_t mode;		/* CAPOS_XFER_MOVE for the launcher facet, COPY else */
};

#define BUNDLE_MAX 4u

/* The bundle of profile p, with launcher the session's Launcher facet. */
static uint32_t bundle_of(enum broker_profile p, capos_cap_t launcher, struct bundle_item *b)
{
	uint32_t n = 0;

	b[n++] = (struct bundle_item){ "launcher", session_Launcher_TYPE_ID, launcher,
				       CAPOS_XFER_MOVE };
	if (p == BROKER_OPERATOR)
		b[n++] = (struct bundle_item){ "audit", session_AuditReader_TYPE_ID,
					       bk.audit_reader, CAPOS_XFER_COPY };
	b[n++] = (struct bundle_item){ "timer", CAPOS_IFACE_TIMER, bk.timer, CAPOS_XFER_COPY };
	if (p == BROKER_OPERATOR && bk.net != CAPOS_CAP_INVALID)
		b[n++] = (struct bundle_item){ "net", net_NetworkManager_TYPE_ID, bk.net,
					       CAPOS_XFER_COPY };
	return n;
}

static void open_undo(struct session *s, capos_cap_t launcher, capos_cap_t *copies, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		(void)cap_release(copies[i]);
	if (launcher != CAPOS_CAP_INVALID)
		(void)cap_release(launcher);
	if (s->port > 0)
		(void)server_remove_port(&broker_srv, s->port);
	if (s->launcher_ep != CAPOS_CAP_INVALID)
		(void)cap_release(s->launcher_ep);
	if (s->revoker != CAPOS_CAP_INVALID)
		(void)cap_release(s->revoker);	/* the last reference revokes */
	(void)sessions_close(bk.sessions, s->handle);
}

/* The Revoker, the Launcher endpoint and its port; *launcher its client facet. */
static int make_launcher(struct session *s, capos_cap_t *launcher)
{
	int err = cap_new_revoker(bk.caps, &s->revoker);

	if (!err)
		err = endpoint_create(bk.endpoints, session_Launcher_TYPE_ID, &s->launcher_ep,
				      launcher);
	if (err)
		return err;
	s->port = server_add_port(&broker_srv, s->launcher_ep, session_Launcher_TYPE_ID,
				  session_Launcher_dispatch_any, &broker_launcher_impl, s);
	return s->port < 0 ? s->port : 0;
}

/* Revocable copies of the bundle's capabilities into copies[0..n). */
static int wrap_bundle(struct session *s, const struct bundle_item *b, uint32_t n,
		       capos_cap_t *copies, uint32_t *made)
{
	for (*made = 0; *made < n; (*made)++) {
		int err = revoker_wrap(s->revoker, b[*made].cap, b[*made].mode, false,
				       b[*made].iface, &copies[*made]);

		if (err)
			return err;
	}
	return 0;
}

/* Writes the answer; the copies go with it (moved). */
static int write_answer(struct server_call *c, const struct session *s,
			const struct bundle_item *b, const capos_cap_t *copies, uint32_t n,
			struct session_AuthorityBroker_login_Results_builder r)
{
	struct session_BundleCap__list_builder list;

	session_AuthorityBroker_login_Results_set_user(r, s->user, (uint32_t)strlen(s->user));
	session_AuthorityBroker_login_Results_set_profile(r, (uint16_t)s->profile);
	session_AuthorityBroker_login_Results_set_session(r, s->tag, (uint32_t)strlen(s->tag));
	list = session_AuthorityBroker_login_Results_init_caps(r, n);
	for (uint32_t i = 0; i < n; i++) {
		struct session_BundleCap_builder e = session_BundleCap__list_build(list, i);
		int idx = server_call_send(c, copies[i], CAPOS_XFER_MOVE);

		if (idx < 0) {
			/* Those queued are released with the exception (server.h); not these. */
			for (uint32_t j = i; j < n; j++)
				(void)cap_release(copies[j]);
			return idx;
		}
		session_BundleCap_set_name(e, b[i].name, (uint32_t)strlen(b[i].name));
		session_BundleCap_set_interfaceId(e, b[i].iface);
		session_BundleCap_set_capIndex(e, (uint16_t)idx);
	}
	return capnp_msg_error(&c->results) ? CAPOS_ERR_TOO_LARGE : 0;
}

/* Makes everything the session needs; on failure undoes it all. */
static int open_parts(struct session *s, struct bundle_item *b, capos_cap_t *copies,
		      uint32_t *n)
{
	capos_cap_t launcher = CAPOS_CAP_INVALID;
	uint32_t made = 0;
	int err = make_launcher(s, &launcher);

	if (!err) {
		*n = bundle_of(s->profile, launcher, b);
		err = wrap_bundle(s, b, *n, copies, &made);
		if (made > 0)
			launcher = CAPOS_CAP_INVALID;	/* moved into its revocable copy */
	}
	if (err)
		open_undo(s, launcher, copies, made);
	return err;
}

int session_open(struct server_call *c, const char *user, uint32_t ulen,
		 enum broker_profile profile, uint16_t event,
		 struct session_AuthorityBroker_login_Results_builder r)
{
	struct session *s = &broker_session;
	struct bundle_item b[BUNDLE_MAX];
	capos_cap_t copies[BUNDLE_MAX];
	char name[BROKER_USER_MAX + 1];
	uint32_t n = 0;
	int err;

	*s = (struct session){ .profile = profile, .revoker = CAPOS_CAP_INVALID,
			       .launcher_ep = CAPOS_CAP_INVALID, .port = -1 };
	broker_audit_user(user, ulen, s->user, sizeof(s->user));
	if (ulen > BROKER_USER_MAX)	/* verified names are shorter: never trust it */
		return server_raise(c, capos_CapException_Type_invalidArgument, "user name too long");
	memcpy(name, user, ulen);
	name[ulen] = '\0';
	err = sessions_open(bk.sessions, name, (uint16_t)profile, &s->handle, s->tag);
	if (err == CAPOS_ERR_APPLICATION_EXCEPTION)
		return server_raise(c, client_exception()->type, client_exception()->reason);
	if (err)
		return server_raise(c, capos_CapException_Type_failed, "no session manager");
	err = open_parts(s, b, copies, &n);
	if (!err) {
		err = write_answer(c, s, b, copies, n, r);
		if (err)	/* the copies are released already */
			open_undo(s, CAPOS_CAP_INVALID, copies, 0);
	}
	if (err)
		return server_raise(c, capos_CapException_Type_overloaded,
				    "no room for the session's capabilities");
	s->open = true;
	s->number = ++sessions_opened;
	broker_jobs_begin_session(&broker_jobs, s->number);
	(void)audit_append(bk.audit, event, s->user, s->tag, profile == BROKER_OPERATOR ? "operator"
										   : "guest");
	return 0;
}

void session_end(const char *why)
{
	struct session *s = &broker_session;

	if (!s->open)
		return;
	jobs_kill_session();
	(void)broker_jobs_end_session(&broker_jobs);
	(void)revoker_revoke(s->revoker);
	(void)cap_release(s->revoker);
	(void)server_remove_port(&broker_srv, s->port);
	(void)cap_release(s->launcher_ep);
	(void)sessions_close(bk.sessions, s->handle);
	(void)audit_append(bk.audit, session_AuditEvent_logout, s->user, s->tag, why);
	s->open = false;
}
