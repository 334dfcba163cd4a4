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
	credentials_CredentialStore_verify_Params_set_terminal(p, broker_terminal);
	err = run(bk.creds, credentials_CredentialStore_verify);
	wipe();
	if (!err)
		*profile = credentials_CredentialStore_verify_Results_get_profile(
			credentials_CredentialStore_verify_Results_root(&call.msg));
	return err;
}
