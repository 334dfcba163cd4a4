// SPDX-License-Identifier: MIT
/*
 * AuthorityBroker (schema/session.capnp): the anonymous shell's one door.
 * The password is passed to the CredentialStore and forgotten; the audit
 * log sees the user name as typed (escaped, cut), never the password. A
 * login waits for the store's throttled answer: the broker serves one
 * terminal, whose shell is waiting for this very answer, so nothing else
 * is kept waiting but that session's own jobs' exits (stashed, handled
 * after). The name "guest" is the guest account: it logs in to the guest
 * profile whatever password is typed (docs/sessions.md says why).
 */
#include "audit.h"
#include "broker.h"

#define SESSION_OPEN_REASON "a session is open; logout first"
#define LOGIN_FAILED_REASON "login failed"

/* Passes an exception of a service on to the caller, or raises failed. */
static int raise_from(struct server_call *c, int err, const char *what)
{
	if (err == CAPOS_ERR_APPLICATION_EXCEPTION)
		return server_raise(c, outcall_exc().type, outcall_exc().reason);
	return server_raise(c, capos_CapException_Type_failed, what);
}

static int do_has_operator(void *ctx, struct session_AuthorityBroker_hasOperator_Params p,
			   struct session_AuthorityBroker_hasOperator_Results_builder r)
{
	bool present = false;
	int err = creds_has_operator(&present);

	(void)p;
	if (err)
		return raise_from(ctx, err, "the credential store did not answer");
	session_AuthorityBroker_hasOperator_Results_set_present(r, present);
	return 0;
}

static void audit_user_event(uint16_t event, const char *user, uint32_t ulen)
{
	char shown[BROKER_USER_MAX + 1];

	char terminal[16];

	broker_audit_user(user, ulen, shown, sizeof(shown));
	snprintf(terminal, sizeof(terminal), "terminal %u", (unsigned)broker_terminal);
	(void)audit_append(bk.audit, event, shown, "", terminal);
}

static int do_setup(void *ctx, struct session_AuthorityBroker_setup_Params p,
		    struct session_AuthorityBroker_setup_Results_builder r)
{
	struct capnp_text user = session_AuthorityBroker_setup_Params_get_user(p);
	struct capnp_data pw = session_AuthorityBroker_setup_Params_get_password(p);
	int err;

	if (broker_session.open)
		return server_raise(ctx, capos_CapException_Type_failed, SESSION_OPEN_REASON);
	if (broker_is_guest(user.str, user.len))
		return server_raise(ctx, capos_CapException_Type_invalidArgument,
				    "user name: guest is the guest account");
	err = creds_setup(user.str, user.len, pw.ptr, pw.len);
	if (err)
		return raise_from(ctx, err, "the credential store did not answer");
	/* The login results and setup's are the same struct (schema). */
	return session_open(ctx, user.str, user.len, BROKER_OPERATOR, session_AuditEvent_setup,
			    (struct session_AuthorityBroker_login_Results_builder){ r.b });
}

/* The profile of a checked login, or SERVER_RAISED (audited) when it fails. */
static int check_login(struct server_call *c, struct capnp_text user, struct capnp_data pw,
		       enum broker_profile *profile)
{
	uint16_t stored = 0;
	int err;

	if (broker_is_guest(user.str, user.len)) {
		*profile = BROKER_GUEST;
		return 0;
	}
	err = creds_verify(user.str, user.len, pw.ptr, pw.len, &stored);
	if (!err) {
		*profile = stored == credentials_CredentialStore_Profile_operator ? BROKER_OPERATOR
										: BROKER_GUEST;
		return 0;
	}
	audit_user_event(session_AuditEvent_loginFailed, user.str, user.len);
	if (err == CAPOS_ERR_APPLICATION_EXCEPTION &&
	    outcall_exc().type != capos_CapException_Type_failed)
		return raise_from(c, err, LOGIN_FAILED_REASON);
	return server_raise(c, capos_CapException_Type_failed, LOGIN_FAILED_REASON);
}

static int do_login(void *ctx, struct session_AuthorityBroker_login_Params p,
		    struct session_AuthorityBroker_login_Results_builder r)
{
	struct capnp_text user = session_AuthorityBroker_login_Params_get_user(p);
	struct capnp_data pw = session_AuthorityBroker_login_Params_get_password(p);
	enum broker_profile profile = BROKER_ANONYMOUS;
	int err;

	if (broker_session.open)
		return server_raise(ctx, capos_CapException_Type_failed, SESSION_OPEN_REASON);
	err = check_login(ctx, user, pw, &profile);
	if (err)
		return err;
	return session_open(ctx, user.str, user.len, profile, session_AuditEvent_loginOk, r);
}

static int do_logout(void *ctx, struct session_AuthorityBroker_logout_Params p,
		     struct session_AuthorityBroker_logout_Results_builder r)
{
	(void)ctx;
	(void)p;
	(void)r;
	session_end("logout");
	return 0;
}

const struct session_AuthorityBroker_server broker_authority_impl = {
	.hasOperator = do_has_operator,
	.setup = do_setup,
	.login = do_login,
	.logout = do_logout,
};
