// SPDX-License-Identifier: MIT
/*
 * The supervisor: init starts the manifest's services and keeps them to
 * their restart policies (docs/manifest.md).
 *
 * Each service is in one state: WAITING (to start once init's clock reaches
 * due_ms and every service it imports from has started at least once, so
 * that their client facets exist), RUNNING (a ProcessHandle.wait is in
 * flight for it), ENDED (it exited and its policy does not restart it) or
 * GAVE_UP (it exited after its last restart, or can never start) or
 * NOT_STARTED (the machine lacks the PCI device it is granted, or it
 * imports from a service that is NOT_STARTED: a configuration, not a
 * failure). Init runs until no service is WAITING or RUNNING.
 *
 * Servers serve clients: once every service that exports nothing (the
 * clients: the shell's broker, a demo; not a daemon, which serves the
 * network rather than the graph) has ended for good, the services
 * still running serve nobody but init, which holds their facets only to
 * give them to importers. Init then stops them (ProcessHandle.kill, no
 * restart) and ends, so a system whose last person logged out shuts down
 * cleanly. A manifest in which every service exports something has no
 * clients, and its servers run until they exit.
 *
 * One pass starts every due service in start order (exporters first), then
 * submits a wait for each one started; a wait's completion is that
 * service's exit. Waits are asynchronous, so one cap_enter waits on all the
 * services at once. A restart waits out its backoff: init sleeps in
 * cap_enter with a min_complete the CQ cannot reach, so the sleep lasts
 * exactly its timeout and exits arriving meanwhile wait in the CQ. Init's
 * clock advances only by these sleeps; a backoff is never cut short.
 *
 * A service is spawned with exactly its grants: copies of init's kernel
 * capabilities, copies of the client facets of the exports it imports, the
 * PciDevice of each pciDevice grant (opened for each start and moved to
 * it: one holder at a time, released when it exits), and a new endpoint
 * for each of its own exports (init keeps the client facet).
 * After an exporter restarts, its new facets replace the old ones for every
 * later start; importers started before keep the old facet, whose calls now
 * fail with `disconnected`, until they exit and are restarted themselves.
 */
#include "init.h"
#include "manifest.capnp.h"
#include "process.h"

enum svc_state { SVC_WAITING, SVC_RUNNING, SVC_ENDED, SVC_GAVE_UP, SVC_NOT_STARTED };

struct svc {
	const struct manifest_service *def;
	uint8_t state;				/* enum svc_state */
	bool started;				/* ever: facets[] are valid */
	uint32_t restarts;			/* restarts made so far */
	uint64_t due_ms;			/* WAITING: start no earlier, on clock_ms */
	bool waiting;				/* RUNNING: its wait is submitted */
	bool stopping;				/* killed by init: not restarted */
	capos_cap_t handle;			/* RUNNING: its ProcessHandle */
	capos_cap_t facets[MANIFEST_EXPORTS_MAX];	/* client facet of each export */
	struct process_wait wait;		/* RUNNING: the wait for its exit */
};

static struct svc *svcs;	/* nsvcs of them, on the heap (see load.c) */
static uint32_t nsvcs;
static uint64_t clock_ms;	/* advanced only by init's own sleeps */
static uint32_t gave_up;
static bool first_pass_done;	/* later starts get a line each; the first pass one in all */

static void svc_give_up(struct svc *s)
{
	s->state = SVC_GAVE_UP;
	gave_up++;
}

/*
 * The spawn grants of s: its grants in manifest order, one new endpoint per
 * export, then its own VirtualMemory with memoryPages of init's quota.
 */
/* Whether grant mg is an optional import whose exporter is not started: left out. */
static bool svc_grant_left_out(const struct manifest_grant *mg)
{
	return mg->kind == MANIFEST_SOURCE_SERVICE && mg->optional &&
	       svcs[mg->service].state == SVC_NOT_STARTED;
}

/*
 * Fills g with s's grants (optional imports of a service not started left
 * out), its exports and its vm. Returns the number of grants before the
 * exports (where the spawn's facets of the exports start).
 */
static uint32_t svc_grants(const struct svc *s, const capos_cap_t *devs, struct spawn_grant *g)
{
	const struct manifest_service *d = s->def;
	uint32_t j = 0;

	for (uint32_t k = 0; k < d->ngrants; k++) {
		const struct manifest_grant *mg = &d->grants[k];
		capos_cap_t cap = mg->kind == MANIFEST_SOURCE_KERNEL ?
					  init_kernel_cap(mg->kernel) :
					  svcs[mg->service].facets[mg->export];

		if (svc_grant_left_out(mg))
			continue;
		if (mg->kind == MANIFEST_SOURCE_PCI) {
			g[j++] = (struct spawn_grant){ mg->name, mg->iface, devs[k],
						       CAPOS_XFER_MOVE };
			continue;
		}
		g[j++] = (struct spawn_grant){ mg->name, mg->iface, cap, CAPOS_XFER_COPY };
	}
	for (uint32_t e = 0; e < d->nexports; e++)
		g[j + e] = (struct spawn_grant){ d->exports[e].name, d->exports[e].iface,
						 CAPOS_CAP_INVALID, SPAWN_NEW_ENDPOINT };
	g[j + d->nexports] = (struct spawn_grant){ MANIFEST_VM_NAME, CAPOS_IFACE_VIRTUAL_MEMORY,
						   (capos_cap_t)d->memory_pages,
						   SPAWN_VIRTUAL_MEMORY };
	return j;
}

/* Replaces s's export facets with the ones a new spawn returned (facets[ngrants..]). */
static void svc_take_facets(struct svc *s, const capos_cap_t *facets, uint32_t ngrants)
{
	for (uint32_t e = 0; e < s->def->nexports; e++) {
		if (s->started)
			cap_release(s->facets[e]);
		s->facets[e] = facets[ngrants + e];
	}
	s->started = true;
}

/* The delay before restart number s->restarts + 1: backoffMs, doubled each time, capped. */
static uint64_t svc_backoff(const struct svc *s)
{
	const struct manifest_restart *r = &s->def->restart;
	uint64_t delay = r->backoff_ms;

	for (uint32_t k = 0; k < s->restarts && delay < r->max_backoff_ms; k++)
		delay *= 2;
	return delay < r->max_backoff_ms ? delay : r->max_backoff_ms;
}

/*
 * After a run of s that ended as `how` ("exited with 3", or "could not
 * start: ..." when !spawned): restart it per its policy, or end it, or give
 * up on it. One line says which.
 */
static void svc_after_run(struct svc *s, const char *how, bool failed, bool spawned)
{
	const struct manifest_restart *r = &s->def->restart;
	bool again = r->mode == manifest_SystemManifest_RestartPolicy_Mode_always ||
		     (r->mode == manifest_SystemManifest_RestartPolicy_Mode_onFailure && failed);
	uint64_t delay;

	if (!again || s->stopping) {
		printf("init: %s %s\n", s->def->name, how);
		if (spawned)
			s->state = SVC_ENDED;
		else
			svc_give_up(s);
		return;
	}
	if (s->restarts == r->max_restarts) {
		printf("init: %s %s after %u restarts, the most its policy allows: giving up\n",
		       s->def->name, how, s->restarts);
		svc_give_up(s);
		return;
	}
	delay = svc_backoff(s);
	s->restarts++;
	s->state = SVC_WAITING;
	s->due_ms = clock_ms + delay;
	printf("init: %s %s; restart %u of %u in %llu ms\n", s->def->name, how, s->restarts,
	       r->max_restarts, (unsigned long long)delay);
}

static void svc_exited(struct svc *s, int64_t code)
{
	char how[48];

	snprintf(how, sizeof(how), "exited with %lld", (long long)code);
	svc_after_run(s, how, code != 0, true);
}

static void svc_release_devices(const struct svc *s, const capos_cap_t *devs)
{
	for (uint32_t j = 0; j < s->def->ngrants; j++)
		if (devs[j] != CAPOS_CAP_INVALID)
			(void)cap_release(devs[j]);
}

/*
 * Opens the PciDevice of each of s's pciDevice grants into devs[j]. 0, or
 * s did not start: NOT_STARTED when the machine lacks the device, a failed
 * run when it cannot be opened (one line says which). Nothing held then.
 */
static int svc_open_devices(struct svc *s, capos_cap_t *devs)
{
	char how[CLIENT_REASON_MAX + 64], name[48] = "";
	int err = 0;

	for (uint32_t j = 0; j < s->def->ngrants; j++)
		devs[j] = CAPOS_CAP_INVALID;
	for (uint32_t j = 0; j < s->def->ngrants && !err; j++)
		if (s->def->grants[j].kind == MANIFEST_SOURCE_PCI)
			err = init_pci_open(&s->def->grants[j], &devs[j]);
	if (!err)
		return 0;
	svc_release_devices(s, devs);
	for (uint32_t j = 0; j < s->def->ngrants; j++)
		if (s->def->grants[j].kind == MANIFEST_SOURCE_PCI && devs[j] == CAPOS_CAP_INVALID) {
			init_pci_name(&s->def->grants[j], name, sizeof(name));
			break;
		}
	if (err == INIT_PCI_ABSENT) {
		printf("init: %s: not started: no PCI device %s\n", s->def->name, name);
		s->state = SVC_NOT_STARTED;
		return err;
	}
	snprintf(how, sizeof(how), "could not start: PCI device %s: %s%s%s", name,
		 capos_strerror(err), err == CAPOS_ERR_APPLICATION_EXCEPTION ? ": " : "",
		 err == CAPOS_ERR_APPLICATION_EXCEPTION ? client_exception()->reason : "");
	svc_after_run(s, how, true, false);
	return err;
}

/* Spawns s with exactly its grants and args; a refused spawn counts as a failed run. */
static void svc_start(struct svc *s)
{
	struct spawn_grant g[MANIFEST_GRANTS_MAX + 1];
	capos_cap_t facets[MANIFEST_GRANTS_MAX + 1], devs[MANIFEST_GRANTS_MAX];
	const char *argv[MANIFEST_ARGS_MAX];
	struct spawn_args args = { argv, manifest_service_argv(s->def, argv) };
	char how[CLIENT_REASON_MAX + 64];
	uint32_t ngrants;
	int err;

	if (svc_open_devices(s, devs))
		return;
	ngrants = svc_grants(s, devs, g);
	err = spawner_spawn_args(init_kernel_cap(manifest_SystemManifest_KernelSource_spawner),
				 s->def->name, s->def->binary, &args, g,
				 ngrants + s->def->nexports + 1, &s->handle, facets);
	if (err) {
		svc_release_devices(s, devs);	/* all or nothing: still ours */
		snprintf(how, sizeof(how), "could not start: %s%s%s", capos_strerror(err),
			 err == CAPOS_ERR_APPLICATION_EXCEPTION ? ": " : "",
			 err == CAPOS_ERR_APPLICATION_EXCEPTION ? client_exception()->reason : "");
		svc_after_run(s, how, true, false);
		return;
	}
	svc_take_facets(s, facets, ngrants);
	s->state = SVC_RUNNING;
	s->waiting = false;
	if (first_pass_done)
		printf("init: started %s\n", s->def->name);
}

/* An exporter s imports from that has never started, or NULL if there is none. */
static struct svc *svc_blocker(const struct svc *s)
{
	const struct manifest_service *d = s->def;

	for (uint32_t j = 0; j < d->ngrants; j++) {
		if (d->grants[j].kind != MANIFEST_SOURCE_SERVICE || svc_grant_left_out(&d->grants[j]))
			continue;
		if (!svcs[d->grants[j].service].started)
			return &svcs[d->grants[j].service];
	}
	return NULL;
}

/* The exit code a wait's completion carries, or -1 if the wait itself failed. */
static int64_t svc_exit_code(struct svc *s, const struct capos_cqe *c)
{
	int64_t code = -1;
	int err = process_wait_decode(&s->wait, c, &code);

	if (err)
		printf("init: %s: ProcessHandle.wait failed: %s\n", s->def->name,
		       capos_strerror(err));
	return err ? -1 : code;
}

/*
 * One pass: start what is due (exporters first), then wait on each one
 * started. A service whose exporter will never start is given up.
 */
static void sup_start_due(const struct manifest *m)
{
	for (uint32_t k = 0; k < m->nservices; k++) {
		struct svc *s = &svcs[m->order[k]], *b;

		if (s->state != SVC_WAITING)
			continue;
		b = svc_blocker(s);
		if (b && b->state == SVC_NOT_STARTED) {
			printf("init: %s: not started: imports from %s, which is not started\n",
			       s->def->name, b->def->name);
			s->state = SVC_NOT_STARTED;
		} else if (b && (b->state == SVC_ENDED || b->state == SVC_GAVE_UP)) {
			printf("init: %s cannot start: %s, which it imports from, never started\n",
			       s->def->name, b->def->name);
			svc_give_up(s);
		} else if (!b && s->due_ms <= clock_ms) {
			svc_start(s);
		}
	}
	for (uint32_t i = 0; i < nsvcs; i++) {
		struct svc *s = &svcs[i];

		if (s->state != SVC_RUNNING || s->waiting)
			continue;
		s->waiting = process_wait_submit(&rt.ring, s->handle, &s->wait) == 0;
		if (!s->waiting) {
			printf("init: %s: cannot wait for it: giving up on it\n", s->def->name);
			cap_release(s->handle);
			svc_give_up(s);
		}
	}
}

/* Takes every completion there is: each is a service's exit. */
static void sup_reap(void)
{
	struct capos_cqe c;

	while (uring_reap(&rt.ring, &c)) {
		for (uint32_t i = 0; i < nsvcs; i++) {
			struct svc *s = &svcs[i];

			if (s->state != SVC_RUNNING || !s->waiting ||
			    !process_wait_is(&s->wait, &c))
				continue;
			cap_release(s->handle);
			svc_exited(s, svc_exit_code(s, &c));
			break;
		}
	}
}

/*
 * The earliest due_ms of a WAITING service that only waits for its time
 * (one waiting for an exporter starts after it), or UINT64_MAX if none.
 */
static uint64_t sup_next_due(bool *running)
{
	uint64_t next = UINT64_MAX;

	*running = false;
	for (uint32_t i = 0; i < nsvcs; i++) {
		const struct svc *s = &svcs[i];

		if (s->state == SVC_WAITING && s->due_ms < next && !svc_blocker(s))
			next = s->due_ms;
		*running |= s->state == SVC_RUNNING;
	}
	return next;
}

/*
 * Sleeps ms: a min_complete the CQ cannot reach (it holds at most one
 * completion per service) makes cap_enter return at its timeout.
 */
static void sup_sleep(uint64_t ms)
{
	(void)uring_enter(&rt.ring, rt.ring.cq_entries, ms * 1000000ull);
	clock_ms += ms;
}

/*
 * Waits for a service to exit, unless a completion is stashed already (each
 * print is a Console call, whose wait stashes the exits it passes).
 */
static void sup_wait_exit(void)
{
	if (rt.ring.nstash == 0)
		(void)uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE);
}

/* One line for the first pass: which services started, in start order. */
static void sup_report_started(const struct manifest *m)
{
	uint32_t started = 0;

	for (uint32_t i = 0; i < nsvcs; i++)
		started += svcs[i].started;
	if (started == m->nservices)
		printf("init: all %u services started:", started);
	else
		printf("init: %u of %u services started:", started, m->nservices);
	for (uint32_t k = 0; k < m->nservices; k++)
		if (svcs[m->order[k]].started)
			printf(" %s", svcs[m->order[k]].def->name);
	printf("\n");
	first_pass_done = true;
}

/* Whether s is a client: it exports nothing and is no daemon (Service.daemon). */
static bool svc_is_client(const struct svc *s)
{
	return s->def->nexports == 0 && !s->def->daemon;
}

/* Whether s is a client that may still run (WAITING or RUNNING). */
static bool svc_client_alive(const struct svc *s)
{
	return svc_is_client(s) && (s->state == SVC_WAITING || s->state == SVC_RUNNING);
}

/* Stops every running server once no client is left (see the top of the file). */
static void sup_stop_servers_without_clients(void)
{
	bool any_client = false;

	for (uint32_t i = 0; i < nsvcs; i++) {
		if (svc_client_alive(&svcs[i]))
			return;
		any_client |= svc_is_client(&svcs[i]);
	}
	if (!any_client)
		return;
	for (uint32_t i = 0; i < nsvcs; i++) {
		struct svc *s = &svcs[i];

		if (s->state == SVC_WAITING) {
			s->state = SVC_ENDED;	/* a server waiting to restart: not needed */
			continue;
		}
		if (s->state != SVC_RUNNING || s->stopping)
			continue;
		printf("init: stopping %s: no client service is left\n", s->def->name);
		s->stopping = true;
		(void)process_kill(s->handle);
	}
}

uint32_t init_supervise(const struct manifest *m)
{
	bool running;
	uint64_t next;

	svcs = calloc(m->nservices, sizeof(*svcs));
	if (!svcs) {
		printf("init: no memory to supervise %u services\n", m->nservices);
		return m->nservices;
	}
	nsvcs = m->nservices;
	for (uint32_t i = 0; i < nsvcs; i++)
		svcs[i] = (struct svc){ .def = &m->services[i], .state = SVC_WAITING };
	sup_start_due(m);
	sup_report_started(m);
	for (;;) {
		next = sup_next_due(&running);
		if (next == UINT64_MAX && !running)
			break;
		if (next == UINT64_MAX)
			sup_wait_exit();
		else if (next > clock_ms)
			sup_sleep(next - clock_ms);
		/* else a restart without backoff is due now: start it at once. */
		sup_reap();
		sup_start_due(m);
		sup_stop_servers_without_clients();
	}
	return gave_up;
}
