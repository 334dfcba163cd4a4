// SPDX-License-Identifier: MIT
/*
 * The broker's calls to the services it holds: CredentialStore (setup,
 * verify, hasOperator), SessionManager (open, close) and AuditLog
 * (append). One call at a time through one struct ipc_call: the broker
 * serves one terminal, and a handler that needs an answer waits for it
 * (a throttled verify for seconds; the shell waits for its login anyway).
 * Completions that arrive meanwhile (a job's exit) go to the ring's stash
 * and reach jobs.c from the server loop afterwards.
 * These are the few calls the broker needs until user/lib/sessions.h and
 * user/lib/audit.h exist (branch m6-audit); they may then replace them.
 */
#include "broker.h"

static struct ipc_call call;

struct outcall_exc outcall_exc(void)
{
	return (struct outcall_exc){ call.exc_type, call.exc_reason };
}

/* A password was in the call's buffers: none stays in memory after the call. */
static void wipe(void)
{
	memset(call.arena, 0, sizeof(call.arena));
	memset(call.params, 0, sizeof(call.params));
}

static int run(capos_cap_t cap, uint16_t method)
{
	int err = ipc_call_run(&rt.ring, &call, cap, method);

	return err < 0 ? err : 0;
}

int creds_has_operator(bool *present)
{
	int err;

	ipc_call_begin(&call);
	credentials_CredentialStore_hasOperator_Params_init_root(&call.msg);
	err = run(bk.creds, credentials_CredentialStore_hasOperator);
	if (!err)
		*present = credentials_CredentialStore_hasOperator_Results_get_present(
			credentials_CredentialStore_hasOperator_Results_root(&call.msg));
	return err;
}

int creds_setup(const char *user, uint32_t ulen, const void *pw, uint32_t plen)
{
	struct credentials_CredentialStore_setup_Params_builder p;
	int err;

	ipc_call_begin(&call);
	p = credentials_CredentialStore_setup_Params_init_root(&call.msg);
	credentials_CredentialStore_setup_Params_set_user(p, user, ulen);
	credentials_CredentialStore_setup_Params_set_password(p, pw, plen);
	err = run(bk.creds, credentials_CredentialStore_setup);
	wipe();
	return err;
}

int creds_verify(const char *user, uint32_t ulen, const void *pw, uint32_t plen,
		 uint16_t *profile)
{
	struct credentials_CredentialStore_verify_Params_builder p;
	int err;

	ipc_call_begin(&call);
	p = credentials_CredentialStore_verify_Params_init_root(&call.msg);
	credentials_CredentialStore_verify_Params_set_user(p, user, ulen);
	credentials_CredentialStore_verify_Params_set_password(p, pw, plen);
	credentials_CredentialStore_verify_Params_set_terminal(p, BROKER_TERMINAL_ID);
	err = run(bk.creds, credentials_CredentialStore_verify);
	wipe();
	if (!err)
		*profile = credentials_CredentialStore_verify_Results_get_profile(
			credentials_CredentialStore_verify_Results_root(&call.msg));
	return err;
}

int sessions_open_call(const char *user, uint32_t ulen, uint16_t profile, uint64_t *handle,
		       char *tag, uint32_t tag_cap)
{
	struct session_SessionManager_open_Params_builder p;
	struct session_SessionManager_open_Results res;
	struct capnp_text t;
	int err;

	ipc_call_begin(&call);
	p = session_SessionManager_open_Params_init_root(&call.msg);
	session_SessionManager_open_Params_set_user(p, user, ulen);
	session_SessionManager_open_Params_set_profile(p, profile);
	err = run(bk.sessions, session_SessionManager_open);
	if (err)
		return err;
	res = session_SessionManager_open_Results_root(&call.msg);
	*handle = session_SessionManager_open_Results_get_handle(res);
	t = session_SessionManager_open_Results_get_tag(res);
	if (t.len >= tag_cap)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	memcpy(tag, t.str, t.len);
	tag[t.len] = '\0';
	return 0;
}

int sessions_close_call(uint64_t handle)
{
	ipc_call_begin(&call);
	session_SessionManager_close_Params_set_handle(
		session_SessionManager_close_Params_init_root(&call.msg), handle);
	return run(bk.sessions, session_SessionManager_close);
}

int audit_append_call(uint16_t event, const char *user, const char *session,
		      const char *detail)
{
	struct session_AuditLog_append_Params_builder p;

	ipc_call_begin(&call);
	p = session_AuditLog_append_Params_init_root(&call.msg);
	session_AuditLog_append_Params_set_event(p, event);
	session_AuditLog_append_Params_set_user(p, user, (uint32_t)strlen(user));
	session_AuditLog_append_Params_set_session(p, session, (uint32_t)strlen(session));
	session_AuditLog_append_Params_set_detail(p, detail, (uint32_t)strlen(detail));
	return run(bk.audit, session_AuditLog_append);
}
