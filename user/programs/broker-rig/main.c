// SPDX-License-Identifier: MIT
/*
 * broker-rig's start and end (rig.h). The broker is started with exactly
 * the grants system/default.capnp gives it, in the same names; what it
 * starts as "shell" is the scenario's broker-check.
 */
#include "rig.h"

#include "credentials.capnp.h"

capos_cap_t rig_timer;
static struct server srv;
static capos_cap_t broker_handle = CAPOS_CAP_INVALID, terminal, credstore;
static struct process_wait broker_wait;

static void judge(int64_t broker_code);

/* The broker's exit (from within the server loop): judge the run and exit. */
static void on_other(void *arg, const struct capos_cqe *cqe)
{
	int64_t code = 99;

	(void)arg;
	if (broker_handle == CAPOS_CAP_INVALID || !process_wait_is(&broker_wait, cqe))
		return;
	if (process_wait_decode(&broker_wait, cqe, &code))
		code = 98;
	judge(code);
	exit(check_done());
}

static capos_cap_t need(const char *name, uint64_t iface)
{
	capos_cap_t c = rt_cap(name, iface);

	if (c == CAPOS_CAP_INVALID) {
		printf("broker-rig: no %s\n", name);
		exit(2);
	}
	return c;
}

/* A service whose grant ep is a new endpoint; *facet its client facet. */
static capos_cap_t start_service(const char *binary, struct spawn_grant *g, uint32_t n,
				 uint32_t ep, capos_cap_t *facet)
{
	capos_cap_t handle = CAPOS_CAP_INVALID, facets[CAPOS_XFER_MAX];
	int err = spawner_spawn_ep(rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER), binary, binary,
				   g, n, &handle, facets);

	check_err(err, 0, binary);
	if (err)
		exit(1);
	*facet = facets[ep];
	return handle;
}

struct rig_eps {
	capos_cap_t owner[3], facet[3];	/* sessions, audit log, audit reader */
};

static void make_stub_eps(struct rig_eps *e)
{
	static const uint64_t ifaces[3] = { session_SessionManager_TYPE_ID,
					    session_AuditLog_TYPE_ID, session_AuditReader_TYPE_ID };
	capos_cap_t factory = need("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);

	for (int i = 0; i < 3; i++)
		if (endpoint_create(factory, ifaces[i], &e->owner[i], &e->facet[i]))
			exit(1);
}

static void start_broker(capos_cap_t term, capos_cap_t creds, const struct rig_eps *e)
{
	const struct spawn_grant g[] = {
		{ "terminal", CAPOS_IFACE_TERMINAL_SESSION, term, CAPOS_XFER_MOVE },
		{ "creds", credentials_CredentialStore_TYPE_ID, creds, CAPOS_XFER_MOVE },
		{ "sessions", session_SessionManager_TYPE_ID, e->facet[0], CAPOS_XFER_MOVE },
		{ "audit", session_AuditLog_TYPE_ID, e->facet[1], CAPOS_XFER_MOVE },
		{ "auditReader", session_AuditReader_TYPE_ID, e->facet[2], CAPOS_XFER_MOVE },
		{ "spawner", 0, need("spawner", CAPOS_IFACE_PROCESS_SPAWNER), CAPOS_XFER_COPY },
		{ "endpoints", 0, need("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY), CAPOS_XFER_COPY },
		{ "caps", 0, need("caps", CAPOS_IFACE_CAPABILITY_MANAGER), CAPOS_XFER_COPY },
		{ "timer", 0, rig_timer, CAPOS_XFER_COPY },
		{ "boot", 0, need("boot", CAPOS_IFACE_BOOT_PACKAGE), CAPOS_XFER_COPY },
		{ "vm", 0, RIG_BROKER_PAGES, SPAWN_VIRTUAL_MEMORY },
	};
	int err = spawner_spawn(need("spawner", CAPOS_IFACE_PROCESS_SPAWNER), "broker", "broker", g,
				sizeof(g) / sizeof(g[0]), &broker_handle);

	check_err(err, 0, "broker_started");
	if (err || process_wait_submit(&rt.ring, broker_handle, &broker_wait))
		exit(1);
}

static void judge(int64_t broker_code)
{
	int64_t code = 99;

	check(broker_code == 0, "broker_exits_0_when_the_shell_ends", broker_code);
	check(rig.open_sessions == 0, "no_session_left_open", rig.open_sessions);
	check(rig.shell_end_logged, "shell_end_logged_as_logout", rig.shell_end_logged);
	check(!rig.password_seen, "no_password_in_any_record", rig.password_seen);
	/* Only a run with failed logins (qemu/broker's; its EXPECT names the line). */
	if (rig.login_failed > 0)
		check(rig.login_failed >= 2 &&
			      rig.second_failed_ns - rig.first_failed_ns >= 900000000ull,
		      "second_failure_throttled_1s",
		      (long long)(rig.second_failed_ns - rig.first_failed_ns));
	check_err(process_wait(terminal, &code), 0, "terminal_waited");
	check(code == 0, "terminal_ends_when_the_broker_closes_it", code);
	check_err(process_kill(credstore), 0, "credstore_killed");
	check_err(process_wait(credstore, &code), 0, "credstore_waited");
}

int main(void)
{
	struct spawn_grant tg[] = {
		{ "serial", 0, need("serial", CAPOS_IFACE_SERIAL_PORT), CAPOS_XFER_COPY },
		{ "session", CAPOS_IFACE_TERMINAL_SESSION, 0, SPAWN_NEW_ENDPOINT },
	};
	struct spawn_grant cg[] = {
		{ "service", credentials_CredentialStore_TYPE_ID, 0, SPAWN_NEW_ENDPOINT },
		{ "timer", 0, need("timer", CAPOS_IFACE_TIMER), CAPOS_XFER_COPY },
		{ "entropy", 0, need("entropy", CAPOS_IFACE_ENTROPY_SOURCE), CAPOS_XFER_COPY },
		{ "vm", 0, RIG_CREDSTORE_PAGES, SPAWN_VIRTUAL_MEMORY },
	};
	capos_cap_t term_facet, creds_facet;
	int err;
	struct rig_eps eps;

	check_init("broker-rig");
	rig_timer = need("timer", CAPOS_IFACE_TIMER);
	terminal = start_service("terminal", tg, 2, 1, &term_facet);
	credstore = start_service("credstore", cg, 4, 0, &creds_facet);
	make_stub_eps(&eps);
	if (stubs_init(&srv, eps.owner[0], eps.owner[1], eps.owner[2]))
		return 1;
	server_set_other(&srv, on_other, NULL);
	start_broker(term_facet, creds_facet, &eps);
	do
		err = server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE);
	while (!err || err == SERVER_HELD);
	check_err(err, 0, "serving");	/* on_other exits when the broker has */
	return check_done();
}
