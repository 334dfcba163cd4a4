// SPDX-License-Identifier: MIT
/*
 * spawn-hostile (QEMU scenario spawn-hostile, after the original's
 * run-spawn): ProcessSpawner.spawn with every kind of bad input, as init.
 * Each case (fields.c, buffers.c, malformed.c) must get the transport error
 * or CapException that schema/capos.capnp documents, and leave this
 * process's capability table with exactly the slots it used before (no
 * capability lost, none gained: a handle for a child that should not exist
 * would be one more).
 *
 * That no case started a process is proven by pids, which the kernel hands
 * out in order and never twice: the probe (this binary, spawned without a
 * spawner: it exits with pid * 64 + its grant count) is spawned once before
 * the cases and once after, and the second must have the next pid. Then
 * messages that are unusual but valid must spawn, and a normal spawn with a
 * copied, a moved and a new-endpoint grant must work, its child seeing all
 * three. The kernel's leak check at init's exit judges the rest (every
 * endpoint a failed spawn made, every frame).
 */
#include "check.h"
#include "hostile.h"

#define PROBE_CODE(pid, ncaps) ((int64_t)(pid) * 64 + (ncaps))
#define UNUSUAL_MAX 4

static capos_cap_t caps_mgr;

uint32_t hostile_used(void)
{
	uint32_t used = 0, quota;

	if (cap_usage(caps_mgr, &used, &quota) != 0)
		return 0xffffffffu;
	return used;
}

struct spawn_req hostile_probe_req(void)
{
	return req_simple(TXT("probe"), TXT("spawn-hostile"));
}

static bool contains(const char *s, const char *part)
{
	size_t n = strlen(part);

	for (; *s; s++)
		if (strncmp(s, part, n) == 0)
			return true;
	return n == 0;
}

void hostile_expect(const char *name, const struct outcome *o, struct want w,
		    uint32_t used_before)
{
	bool ok = o->ret == w.ret;
	uint32_t used = hostile_used();

	if (ok && w.ret == CAPOS_ERR_APPLICATION_EXCEPTION)
		ok = o->exc_type == w.exc_type && contains(o->reason, w.reason);
	if (o->ret == CAPOS_ERR_APPLICATION_EXCEPTION)
		printf("spawn-hostile: %s: exception %u: %s\n", name, o->exc_type, o->reason);
	else if (!ok)
		printf("spawn-hostile: %s: %s\n", name, capos_strerror(o->ret));
	if (used != used_before)
		printf("spawn-hostile: %s: %u caps before, %u after\n", name, used_before, used);
	check(ok && used == used_before, name, o->ret);
}

void hostile_run(const char *name, const struct spawn_req *q, struct want w)
{
	uint32_t used = hostile_used();
	struct outcome o;

	req_spawn(q, REQ_RESULT_BYTES, &o);
	hostile_expect(name, &o, w, used);
}

/* Spawns the probe and returns its pid (from its exit code), or -1. */
static int64_t probe_pid(capos_cap_t *keep_handle)
{
	struct spawn_req q = hostile_probe_req();
	int64_t code = -1;
	struct outcome o;
	capos_cap_t h;

	req_spawn(&q, REQ_RESULT_BYTES, &o);
	h = req_handle(&o);
	if (h == CAPOS_CAP_INVALID || process_wait(h, &code) != 0)
		return -1;
	if (keep_handle)
		*keep_handle = h;
	else
		(void)cap_release(h);
	return code % 64 == 0 ? code / 64 : -1;
}

/* The unusual-but-valid spawns ran as probes without grants. */
static void wait_unusual(const capos_cap_t *h, uint32_t n)
{
	int64_t code;

	for (uint32_t i = 0; i < n; i++) {
		code = -1;
		check(process_wait(h[i], &code) == 0 && code % 64 == 0, "unusual_spawn_ran", code);
		(void)cap_release(h[i]);
	}
}

/* After everything: a spawn with one grant of each kind works, and the move leaves us. */
static void normal_spawn(const struct hostile_caps *c, capos_cap_t sp)
{
	const struct spawn_grant g[] = {
		{ "console", CAPOS_IFACE_CONSOLE, c->console, CAPOS_XFER_COPY },
		{ "moved", 0, c->facet, CAPOS_XFER_MOVE },
		{ "service", 0x1234, 0, SPAWN_NEW_ENDPOINT },
	};
	uint32_t used = hostile_used();
	capos_cap_t h, facets[3];
	int64_t code = -1;
	int err = spawner_spawn_ep(sp, "probe", "spawn-hostile", g, 3, &h, facets);

	if (!check_err(err, 0, "normal_spawn_works"))
		return;
	/* Its three grants and the "vm" spawner_spawn_ep adds (client.h). */
	check(process_wait(h, &code) == 0 && code % 64 == 4, "normal_spawn_child_had_3_grants_and_vm",
	      code);
	check(hostile_used() == used + 1, "normal_spawn_moved_one_and_gave_two", hostile_used());
	check_err(cap_release(c->facet), CAPOS_ERR_STALE_CAP, "moved_grant_left_us");
	(void)cap_release(h);
	(void)cap_release(facets[2]);
}

static int probe_main(void)
{
	return (int)PROBE_CODE(rt.pid, rt.capset ? rt.capset->count : 0);
}

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER), owner, unusual[UNUSUAL_MAX];
	struct hostile_caps c = { .console = rt.console };
	int64_t first, second;
	uint32_t n;

	if (sp == CAPOS_CAP_INVALID)
		return probe_main();
	check_init("spawn-hostile");
	req_spawner = sp;
	caps_mgr = rt_cap("caps", CAPOS_IFACE_CAPABILITY_MANAGER);
	if (!check_err(endpoint_create(rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY), 0x1234,
				       &owner, &c.facet), 0, "endpoint_to_move"))
		return check_done();
	first = probe_pid(&c.handle);
	check(first > 0, "probe_before_spawns", first);
	hostile_names();
	hostile_grants(&c);
	hostile_binaries();
	hostile_buffers(&c);
	hostile_malformed();
	second = probe_pid(NULL);
	check(second == first + 1, "no_process_started_by_any_bad_spawn", second - first);
	n = hostile_unusual_but_valid(unusual, UNUSUAL_MAX);
	wait_unusual(unusual, n);
	normal_spawn(&c, sp);
	(void)cap_release(c.handle);
	(void)cap_release(owner);
	return check_done();
}
