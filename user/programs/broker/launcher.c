// SPDX-License-Identifier: MIT
/*
 * Launcher (schema/session.capnp): a session's right to run packaged
 * programs. Each call arrives on the session's own port; its port_ctx is
 * the session, so a call can only act on the jobs of the session whose
 * Launcher it holds. spawn checks everything (binary, profile, grants,
 * room for the job) before the first side effect, then moves the sent
 * capabilities into the child under their names with a VirtualMemory of
 * 512 pages from the broker's quota, and keeps the child's
 * ProcessHandle.wait in flight (jobs.c).
 */
#include "audit.h"
#include "broker.h"

#define NOT_ALLOWED_REASON "not allowed in this session"

static struct session *session_of(struct server_call *c)
{
	struct session *s = c->port_ctx;

	return s != NULL && s->open ? s : NULL;
}

static bool package_has(const char *name, uint32_t len)
{
	for (uint32_t i = 0; i < broker_package_count; i++)
		if (strlen(broker_package[i].name) == len &&
		    memcmp(broker_package[i].name, name, len) == 0)
			return true;
	return false;
}

static int do_list(void *ctx, struct session_Launcher_list_Params p,
		   struct session_Launcher_list_Results_builder r)
{
	struct session *s = session_of(ctx);
	const char *names[BROKER_PACKAGE_MAX];
	struct capnp_list_builder l;
	uint32_t n = 0;

	(void)p;
	if (s == NULL)
		return server_raise(ctx, capos_CapException_Type_disconnected, "session ended");
	for (uint32_t i = 0; i < broker_package_count; i++) {
		const char *name = broker_package[i].name;

		if (broker_profile_allows(s->profile, name, (uint32_t)strlen(name)))
			names[n++] = name;
	}
	l = session_Launcher_list_Results_init_binaries(r, n);
	for (uint32_t i = 0; i < n; i++)
		capnp_ptr_set_text(capnp_list_build_ptr(l, i), names[i], (uint32_t)strlen(names[i]));
	return 0;
}

/* Reads the grants of p into g; returns their number or -1 if more than allowed. */
static int read_grants(struct session_Launcher_spawn_Params p, struct broker_grant *g)
{
	struct session_Launcher_Grant__list l = session_Launcher_spawn_Params_get_grants(p);
	uint32_t n = session_Launcher_Grant__list_len(l);

	if (n > BROKER_GRANTS_MAX)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		struct session_Launcher_Grant e = session_Launcher_Grant__list_get(l, i);
		struct capnp_text name = session_Launcher_Grant_get_name(e);

		g[i] = (struct broker_grant){ name.str, name.len, session_Launcher_Grant_get_cap(e),
					      session_Launcher_Grant_get_client(e) };
	}
	return (int)n;
}

/* The binary is one this session may run; raises (and audits a refusal) if not. */
static int check_binary(struct server_call *c, const struct session *s, struct capnp_text bin)
{
	char detail[BROKER_DETAIL_MAX + 1];

	if (!broker_profile_allows(s->profile, bin.str, bin.len)) {
		broker_run_detail(bin.str, bin.len, NULL, 0, detail, sizeof(detail));
		(void)audit_append(bk.audit, session_AuditEvent_refused, s->user, s->tag, detail);
		return server_raise(c, capos_CapException_Type_failed, NOT_ALLOWED_REASON);
	}
	if (!package_has(bin.str, bin.len))
		return server_raise(c, capos_CapException_Type_invalidArgument, "unknown binary");
	return 0;
}

/*
 * The args, within ProcessSpawner.spawn's limits (so the kernel never
 * refuses them after the grants moved): argv[i] points into the params,
 * whose texts end in a NUL.
 */
static int read_args(struct server_call *c, struct session_Launcher_spawn_Params p,
		     const char **argv, uint32_t *argc)
{
	struct capnp_list l = session_Launcher_spawn_Params_get_args(p);
	uint32_t n = capnp_list_len(l), bytes = 0;

	if (n > CAPOS_ARGS_MAX)
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    "at most 16 args");
	for (uint32_t i = 0; i < n; i++) {
		struct capnp_text t = capnp_list_text(l, i);

		bytes += t.len + 1;
		if (t.len >= CAPOS_ARGS_BYTES || bytes > CAPOS_ARGS_BYTES ||
		    strlen(t.str) != t.len)
			return server_raise(c, capos_CapException_Type_invalidArgument,
					    "args take at most 896 bytes with a NUL after each, "
					    "and hold no NUL");
		argv[i] = t.str;
	}
	*argc = n;
	return 0;
}

/* Decode: everything a spawn needs, checked; *slot the job's reserved slot. */
static int spawn_decode(struct server_call *c, const struct session *s,
			struct session_Launcher_spawn_Params p, struct broker_grant *g, int *n,
			const char **argv, uint32_t *argc, int *slot)
{
	struct capnp_text bin = session_Launcher_spawn_Params_get_binary(p);
	int err = check_binary(c, s, bin);

	if (!err)
		err = read_args(c, p, argv, argc);
	if (err)
		return err;
	*n = read_grants(p, g);
	err = *n < 0 ? BROKER_GRANTS_TOO_MANY : broker_grants_check(g, (uint32_t)*n, c->ncaps);
	if (err)
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    broker_grants_reason(err));
	*slot = broker_jobs_reserve(&broker_jobs);
	if (*slot < 0)
		return server_raise(c, capos_CapException_Type_overloaded,
				    *slot == BROKER_JOBS_FULL ? "16 jobs not yet waited for"
							      : "no room for another job");
	return 0;
}

/*
 * Invoke: the child, with the sent caps moved in under their names. A
 * refused spawn leaves them with the broker: they are released then.
 */
static int spawn_child(struct server_call *c, struct capnp_text bin, const struct broker_grant *g,
		       int n, const struct spawn_args *args, capos_cap_t *handle)
{
	capos_cap_t caps[BROKER_GRANTS_MAX];
	struct spawn_grant sg[BROKER_GRANTS_MAX + 1];
	char name[BROKER_GRANTS_MAX + 1][BROKER_NAME_MAX + 1];
	char binary[BROKER_NAME_MAX + 1];
	int err;

	for (int i = 0; i < n; i++) {
		capos_cap_t cap = CAPOS_CAP_INVALID;

		err = server_call_cap(c, g[i].cap, 0, &cap);
		if (err)
			return err;	/* checked: cannot happen */
		memcpy(name[i], g[i].name, g[i].len);
		name[i][g[i].len] = '\0';
		sg[i] = (struct spawn_grant){ name[i], 0, cap,
					      CAPOS_XFER_MOVE | (g[i].client ? SPAWN_DROP_TRANSFER : 0) };
		caps[i] = cap;
	}
	sg[n] = (struct spawn_grant){ "vm", 0, BROKER_JOB_PAGES, SPAWN_VIRTUAL_MEMORY };
	memcpy(binary, bin.str, bin.len);
	binary[bin.len] = '\0';
	err = spawner_spawn_args(bk.spawner, binary, binary, args, sg, (uint32_t)n + 1, handle,
				 NULL);
	for (int i = 0; err && i < n; i++)
		(void)server_call_release_after(c, caps[i]);
	return err;
}

static int do_spawn(void *ctx, struct session_Launcher_spawn_Params p,
		    struct session_Launcher_spawn_Results_builder r)
{
	struct server_call *c = ctx;
	struct session *s = session_of(c);
	struct broker_grant g[BROKER_GRANTS_MAX];
	struct capnp_text bin = session_Launcher_spawn_Params_get_binary(p);
	char detail[BROKER_DETAIL_MAX + 1];
	capos_cap_t handle = CAPOS_CAP_INVALID;
	const char *argv[CAPOS_ARGS_MAX];
	struct spawn_args args = { argv, 0 };
	int n = 0, slot = -1, err;

	if (s == NULL)
		return server_raise(c, capos_CapException_Type_disconnected, "session ended");
	err = spawn_decode(c, s, p, g, &n, argv, &args.argc, &slot);
	if (err)
		return err;
	err = spawn_child(c, bin, g, n, &args, &handle);
	if (err == CAPOS_ERR_APPLICATION_EXCEPTION)
		return server_raise(c, client_exception()->type, client_exception()->reason);
	if (err)
		return server_raise(c, capos_CapException_Type_overloaded, "spawn failed");
	if (jobs_watch(slot, handle)) {
		(void)process_kill(handle);
		(void)cap_release(handle);
		return server_raise(c, capos_CapException_Type_overloaded, "no room to wait");
	}
	session_Launcher_spawn_Results_set_job(r, broker_jobs_commit(&broker_jobs, slot));
	broker_run_detail(bin.str, bin.len, g, (uint32_t)n, detail, sizeof(detail));
	(void)audit_append(bk.audit, session_AuditEvent_run, s->user, s->tag, detail);
	return 0;
}

/* The slot of c's session's job, or -1 after raising invalidArgument. */
static int job_of(struct server_call *c, uint32_t job)
{
	int slot = session_of(c) != NULL ? broker_jobs_find(&broker_jobs, job) : -1;

	if (slot < 0)
		server_raise(c, capos_CapException_Type_invalidArgument, "no such job");
	return slot;
}

static int do_wait(void *ctx, struct session_Launcher_wait_Params p,
		   struct session_Launcher_wait_Results_builder r)
{
	struct server_call *c = ctx;
	int slot = job_of(c, session_Launcher_wait_Params_get_job(p));
	struct broker_job *j;

	if (slot < 0)
		return SERVER_RAISED;
	j = &broker_jobs.slot[slot];
	if (j->state == BROKER_JOB_EXITED) {
		session_Launcher_wait_Results_set_exitCode(r, j->code);
		broker_jobs_forget(&broker_jobs, slot);
		return 0;
	}
	if (j->held)
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    "a wait for this job is waiting already");
	j->held = true;
	j->held_call = c->call_id;
	return SERVER_HELD;
}

static int do_kill(void *ctx, struct session_Launcher_kill_Params p,
		   struct session_Launcher_kill_Results_builder r)
{
	int slot = job_of(ctx, session_Launcher_kill_Params_get_job(p));

	(void)r;
	if (slot < 0)
		return SERVER_RAISED;
	if (broker_jobs.slot[slot].state == BROKER_JOB_RUNNING)
		(void)process_kill(broker_procs[slot].handle);
	return 0;
}

const struct session_Launcher_server broker_launcher_impl = {
	.list = do_list,
	.spawn = do_spawn,
	.wait = do_wait,
	.kill = do_kill,
};
