// SPDX-License-Identifier: MIT
/*
 * broker: the AuthorityBroker of one terminal (broker.h, docs/sessions.md).
 * It starts the shell itself, rather than init, because it must see the
 * shell end: that ends the session as a logout would. The shell gets
 * exactly its terminal (a copy of the broker's), the AuthorityBroker's
 * client facet, a CapabilityManager (it acts on the holder's own table
 * only) and 1,024 pages. The broker serves until the shell ends, then ends
 * the session, closes the terminal (its service then exits) and exits 0
 * (2 if serving failed).
 * Exits 2 if a capability is missing or the shell cannot start.
 */
#include <stddef.h>
#include <string.h>

#include "broker.h"

#include "terminal.h"

struct broker_caps bk;
struct server broker_srv;
struct broker_jobs broker_jobs;
struct bootpkg_entry broker_package[BROKER_PACKAGE_MAX];
uint32_t broker_package_count;

uint32_t broker_terminal = BROKER_TERMINAL_DEFAULT;

static capos_cap_t shell_handle = CAPOS_CAP_INVALID;
static struct process_wait shell_wait;

/* The session's end as at logout, the terminal closed, and the broker's exit. */
static __attribute__((noreturn)) void finish(const char *why, int code)
{
	session_end(why);
	(void)terminal_close(bk.terminal);
	exit(code);
}

bool broker_shell_is(const struct capos_cqe *cqe)
{
	return shell_handle != CAPOS_CAP_INVALID && process_wait_is(&shell_wait, cqe);
}

/*
 * Called from within the server loop (jobs_on_completion), between two
 * calls: nobody is left to answer, so the broker ends here.
 */
void broker_shell_ended(const struct capos_cqe *cqe)
{
	int64_t code = capos_ProcessHandle_exitFault;
	char why[BROKER_WHY_MAX];

	if (process_wait_decode(&shell_wait, cqe, &code))
		code = capos_ProcessHandle_exitFault;
	if (code == capos_ProcessHandle_exitKilled)
		snprintf(why, sizeof(why), "the shell was killed");
	else if (code == capos_ProcessHandle_exitFault)
		snprintf(why, sizeof(why), "the shell faulted");
	else
		snprintf(why, sizeof(why), "the shell exited with code %lld", (long long)code);
	finish(why, 0);
}

static bool take_caps(void)
{
	bk = (struct broker_caps){
		.terminal = rt_cap("terminal", CAPOS_IFACE_TERMINAL_SESSION),
		.creds = rt_cap("creds", credentials_CredentialStore_TYPE_ID),
		.sessions = rt_cap("sessions", session_SessionManager_TYPE_ID),
		.audit = rt_cap("audit", session_AuditLog_TYPE_ID),
		.audit_reader = rt_cap("auditReader", session_AuditReader_TYPE_ID),
		.spawner = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER),
		.endpoints = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY),
		.caps = rt_cap("caps", CAPOS_IFACE_CAPABILITY_MANAGER),
		.timer = rt_cap("timer", CAPOS_IFACE_TIMER),
		.boot = rt_cap("boot", CAPOS_IFACE_BOOT_PACKAGE),
	};
	const capos_cap_t *all = &bk.terminal;

	for (size_t i = 0; i < offsetof(struct broker_caps, net) / sizeof(bk.terminal); i++)
		if (all[i] == CAPOS_CAP_INVALID)
			return false;
	/* Optional: a system without a network (no NIC) starts the broker without it. */
	bk.net = rt_cap("net", net_NetworkManager_TYPE_ID);
	return true;
}

bool broker_terminal_from_args(uint32_t *out)
{
	const char *flag = rt_argv(0), *num = rt_argv(1);
	uint32_t n = 0;

	*out = BROKER_TERMINAL_DEFAULT;
	if (rt_argc() == 0)
		return true;
	if (rt_argc() != 2 || strcmp(flag, "--terminal") != 0 || !num[0] || strlen(num) > 2)
		return false;
	for (const char *d = num; *d; d++) {
		if (*d < '0' || *d > '9')
			return false;
		n = n * 10 + (uint32_t)(*d - '0');
	}
	if (n > BROKER_TERMINAL_MAX)
		return false;
	*out = n;
	return true;
}

/* The shell, with its terminal, the broker's facet (moved) and a CapabilityManager. */
static int start_shell(capos_cap_t broker_facet)
{
	const struct spawn_grant g[] = {
		{ "terminal", CAPOS_IFACE_TERMINAL_SESSION, bk.terminal, CAPOS_XFER_COPY },
		{ "broker", session_AuthorityBroker_TYPE_ID, broker_facet, CAPOS_XFER_MOVE },
		{ "caps", CAPOS_IFACE_CAPABILITY_MANAGER, bk.caps, CAPOS_XFER_COPY },
		{ "vm", 0, BROKER_SHELL_PAGES, SPAWN_VIRTUAL_MEMORY },
	};
	int err = spawner_spawn(bk.spawner, "shell", "shell", g, sizeof(g) / sizeof(g[0]),
				&shell_handle);

	if (err)
		return err;
	return process_wait_submit(&rt.ring, shell_handle, &shell_wait);
}

static int start(void)
{
	capos_cap_t owner, facet;
	int n, err;

	n = bootpkg_list(bk.boot, broker_package, BROKER_PACKAGE_MAX);
	if (n < 0)
		return n;
	broker_package_count = (uint32_t)n < BROKER_PACKAGE_MAX ? (uint32_t)n : BROKER_PACKAGE_MAX;
	err = endpoint_create(bk.endpoints, session_AuthorityBroker_TYPE_ID, &owner, &facet);
	if (err)
		return err;
	err = server_init(&broker_srv, &rt.ring, owner, session_AuthorityBroker_TYPE_ID,
			  session_AuthorityBroker_dispatch_any, &broker_authority_impl);
	if (err)
		return err;
	server_set_other(&broker_srv, jobs_on_completion, NULL);
	return start_shell(facet);
}

/* Serves until the shell ends (the broker then exits in broker_shell_ended) or serving fails. */
static int serve(void)
{
	for (;;) {
		int err = server_serve_one(&broker_srv, CAPOS_TIMEOUT_INFINITE);

		if (err && err != SERVER_HELD)
			return err;
	}
}

int main(void)
{
	int err;

	if (!take_caps()) {
		if (bk.terminal != CAPOS_CAP_INVALID)
			terminal_puts(bk.terminal, "broker: a capability is missing\n");
		return 2;
	}
	if (!broker_terminal_from_args(&broker_terminal)) {
		terminal_puts(bk.terminal, "broker: usage: broker [--terminal 0..63]\n");
		return 2;
	}
	broker_jobs_init(&broker_jobs);
	err = start();
	if (err) {
		terminal_puts(bk.terminal, "broker: cannot start the shell\n");
		return 2;
	}
	err = serve();
	{
		char line[80];

		snprintf(line, sizeof(line), "broker: serving failed: %s\n", capos_strerror(err));
		terminal_puts(bk.terminal, line);
	}
	finish("the broker stopped serving", 2);
}
