// SPDX-License-Identifier: MIT
/*
 * broker-check's calls to the AuthorityBroker and a Launcher (check.h),
 * built with the generated builders, one at a time through one ipc_call.
 */
#include "check.h"

#include "terminal.h"

struct ipc_call call;

bool verdict(bool ok, const char *name, long long got)
{
	char line[160];

	if (ok)
		snprintf(line, sizeof(line), "broker-check: PASS %s\n", name);
	else
		snprintf(line, sizeof(line), "broker-check: FAIL %s (got %lld, %s)\n", name, got,
			 call.exc_reason);
	(void)terminal_puts(term, line);
	return ok;
}

bool raised(int err, uint16_t type, const char *reason)
{
	return err == CAPOS_ERR_APPLICATION_EXCEPTION && call.exc_type == type &&
	       (reason == NULL || strcmp(call.exc_reason, reason) == 0);
}

static int run(capos_cap_t cap, uint16_t method)
{
	int err = ipc_call_run(&rt.ring, &call, cap, method);

	return err < 0 ? err : 0;
}

int ab_has_operator(bool *present)
{
	int err;

	ipc_call_begin(&call);
	session_AuthorityBroker_hasOperator_Params_init_root(&call.msg);
	err = run(broker, session_AuthorityBroker_hasOperator);
	if (!err)
		*present = session_AuthorityBroker_hasOperator_Results_get_present(
			session_AuthorityBroker_hasOperator_Results_root(&call.msg));
	return err;
}

static int read_bundle(struct bundle *b)
{
	struct session_AuthorityBroker_login_Results r =
		session_AuthorityBroker_login_Results_root(&call.msg);
	struct session_BundleCap__list l = session_AuthorityBroker_login_Results_get_caps(r);
	struct capnp_text tag = session_AuthorityBroker_login_Results_get_session(r);

	b->profile = session_AuthorityBroker_login_Results_get_profile(r);
	snprintf(b->tag, sizeof(b->tag), "%.*s", (int)tag.len, tag.str);
	b->n = session_BundleCap__list_len(l);
	if (b->n > BUNDLE_MAX)
		return CAPOS_ERR_TOO_LARGE;
	for (uint32_t i = 0; i < b->n; i++) {
		struct session_BundleCap e = session_BundleCap__list_get(l, i);
		struct capnp_text name = session_BundleCap_get_name(e);
		int err;

		snprintf(b->name[i], sizeof(b->name[i]), "%.*s", (int)name.len, name.str);
		b->iface[i] = session_BundleCap_get_interfaceId(e);
		err = ipc_call_record(&call, session_BundleCap_get_capIndex(e), b->iface[i],
				      &b->cap[i]);
		if (err)
			return err;
	}
	return 0;
}

int ab_enter(uint16_t method, const char *user, const char *pw, struct bundle *b)
{
	struct session_AuthorityBroker_login_Params_builder p;
	int err;

	ipc_call_begin(&call);
	/* setup's params and login's are the same struct (schema). */
	p = session_AuthorityBroker_login_Params_init_root(&call.msg);
	session_AuthorityBroker_login_Params_set_user(p, user, (uint32_t)strlen(user));
	session_AuthorityBroker_login_Params_set_password(p, pw, (uint32_t)strlen(pw));
	err = run(broker, method);
	return err ? err : read_bundle(b);
}

int ab_logout(void)
{
	ipc_call_begin(&call);
	session_AuthorityBroker_logout_Params_init_root(&call.msg);
	return run(broker, session_AuthorityBroker_logout);
}

capos_cap_t bundle_cap(const struct bundle *b, const char *name)
{
	for (uint32_t i = 0; i < b->n; i++)
		if (strcmp(b->name[i], name) == 0)
			return b->cap[i];
	return CAPOS_CAP_INVALID;
}

void bundle_release(struct bundle *b)
{
	for (uint32_t i = 0; i < b->n; i++)
		(void)cap_release(b->cap[i]);
	b->n = 0;
}

int launcher_list(capos_cap_t l, char *out, uint32_t cap)
{
	struct capnp_list names;
	uint32_t len = 0;
	int err;

	ipc_call_begin(&call);
	session_Launcher_list_Params_init_root(&call.msg);
	err = run(l, session_Launcher_list);
	if (err)
		return err;
	names = session_Launcher_list_Results_get_binaries(
		session_Launcher_list_Results_root(&call.msg));
	out[0] = '\0';
	for (uint32_t i = 0; i < capnp_list_len(names); i++) {
		struct capnp_text t = capnp_list_text(names, i);

		len += (uint32_t)snprintf(out + len, cap - len, "%s%.*s", i ? " " : "", (int)t.len,
					  t.str);
		if (len >= cap)
			return CAPOS_ERR_TOO_LARGE;
	}
	return 0;
}

int launcher_spawn_grants(capos_cap_t l, const char *binary, const char *const *names,
			  const uint16_t *idx, uint32_t n, const capos_cap_t *caps, uint32_t ncaps,
			  uint32_t *job)
{
	struct session_Launcher_spawn_Params_builder p;
	struct session_Launcher_Grant__list_builder g;
	int err;

	ipc_call_begin(&call);
	p = session_Launcher_spawn_Params_init_root(&call.msg);
	session_Launcher_spawn_Params_set_binary(p, binary, (uint32_t)strlen(binary));
	g = session_Launcher_spawn_Params_init_grants(p, n);
	for (uint32_t i = 0; i < n; i++) {
		struct session_Launcher_Grant_builder e = session_Launcher_Grant__list_build(g, i);

		session_Launcher_Grant_set_name(e, names[i], (uint32_t)strlen(names[i]));
		session_Launcher_Grant_set_cap(e, idx[i]);
	}
	for (uint32_t i = 0; i < ncaps; i++)
		(void)ipc_call_add_cap(&call, caps[i], CAPOS_XFER_COPY);
	err = run(l, session_Launcher_spawn);
	if (!err)
		*job = session_Launcher_spawn_Results_get_job(
			session_Launcher_spawn_Results_root(&call.msg));
	return err;
}

int launcher_spawn(capos_cap_t l, const char *binary, const char *gname, capos_cap_t cap,
		   uint32_t *job)
{
	const uint16_t idx[1] = { 0 };

	if (!gname)
		return launcher_spawn_grants(l, binary, NULL, NULL, 0, NULL, 0, job);
	return launcher_spawn_grants(l, binary, &gname, idx, 1, &cap, 1, job);
}

int audit_read(capos_cap_t reader, uint32_t *n)
{
	struct session_AuditReader_read_Params_builder p;
	int err;

	ipc_call_begin(&call);
	p = session_AuditReader_read_Params_init_root(&call.msg);
	session_AuditReader_read_Params_set_fromSeq(p, 1);
	session_AuditReader_read_Params_set_max(p, 8);
	err = run(reader, session_AuditReader_read);
	if (!err)
		*n = session_AuditReader_Record__list_len(session_AuditReader_read_Results_get_records(
			session_AuditReader_read_Results_root(&call.msg)));
	return err;
}

int launcher_wait(capos_cap_t l, uint32_t job, int64_t *code)
{
	int err;

	ipc_call_begin(&call);
	session_Launcher_wait_Params_set_job(session_Launcher_wait_Params_init_root(&call.msg), job);
	err = run(l, session_Launcher_wait);
	if (!err)
		*code = session_Launcher_wait_Results_get_exitCode(
			session_Launcher_wait_Results_root(&call.msg));
	return err;
}

int launcher_kill(capos_cap_t l, uint32_t job)
{
	ipc_call_begin(&call);
	session_Launcher_kill_Params_set_job(session_Launcher_kill_Params_init_root(&call.msg), job);
	return run(l, session_Launcher_kill);
}
