// SPDX-License-Identifier: MIT
/*
 * spawn-atomic (QEMU scenario spawn-atomic): ProcessSpawner.spawn either
 * happens and is fully reported, or nothing happened (issue 11, item 3).
 * Each spawn that must fail names its first grant "must-not-run", which the
 * child (spawn-atomic-child) prints if it ever runs; the scenario rejects
 * that line. Refused are: 16 newEndpoint grants (17 result caps, the limit
 * is 16), a result buffer too small for the message, one too small for the
 * transfer records behind it, and a caller table without room for the
 * handle and facets. After each failure the caller's table has exactly the
 * free slots it had (counted by filling it with endpoints), and a grant sent
 * as a move is still the caller's; spawns that fit work and move it away.
 */
#include "capos.capnp.h"
#include "check.h"
#include "rt.h"

#define CHILD "spawn-atomic-child"
#define FILL_MAX 600u		/* more than a default table (256 slots) holds */
#define FILL_IFACE 0x5a7e0001ull	/* any interface: the filler endpoints serve nothing */

static capos_cap_t sp, ef;
static capos_cap_t fill[FILL_MAX];
static uint64_t params_arena[256], params_buf[264], result_buf[256];
static bool setup_ok = true;

/* One more endpoint pair into fill[]; false when the table has no room for two. */
static bool fill_pair(uint32_t *n)
{
	if (*n + 2 > FILL_MAX ||
	    endpoint_create(ef, FILL_IFACE, &fill[*n], &fill[*n + 1]) != 0)
		return false;
	*n += 2;
	return true;
}

/*
 * Fills this process's table until exactly `leave` (0 or 1) slots are free;
 * returns how many caps it added (fill[0..n)). Pairs fill it to 0 or 1 free
 * slots; with one released, a pair fits again only if one was free before.
 */
static uint32_t fill_until(uint32_t leave)
{
	uint32_t n = 0, nfree;

	while (fill_pair(&n))
		;
	if (n < 2) {
		setup_ok = false;
		return n;
	}
	(void)cap_release(fill[--n]);
	nfree = fill_pair(&n) ? 0 : 1;
	if (nfree > leave) {		/* 1 -> 2 -> 0 */
		(void)cap_release(fill[--n]);
		if (!fill_pair(&n))
			setup_ok = false;
	} else if (nfree < leave) {	/* 0 -> 1 */
		(void)cap_release(fill[--n]);
	}
	return n;
}

static void unfill(uint32_t n)
{
	while (n)
		if (cap_release(fill[--n]) != 0)
			setup_ok = false;
}

/* Free slots in this process's capability table, exactly. */
static uint32_t free_slots(void)
{
	uint32_t n = fill_until(0);

	unfill(n);
	return n;
}

/* ProcessSpawner.spawn of CHILD as a raw CALL, with a result buffer of rlen bytes. */
static int spawn_raw(const struct spawn_grant *g, uint32_t n, uint32_t rlen,
		     struct capos_cqe *cqe)
{
	struct capos_ProcessSpawner_spawn_Params_builder p;
	struct capos_CapGrant__list_builder l;
	struct capos_xfer x[CAPOS_XFER_MAX];
	struct capnp_msg m;
	uint8_t nx = 0;
	size_t plen;

	capnp_msg_init_build(&m, params_arena, sizeof(params_arena));
	p = capos_ProcessSpawner_spawn_Params_init_root(&m);
	(void)capos_ProcessSpawner_spawn_Params_set_name(p, CHILD, strlen(CHILD));
	(void)capos_ProcessSpawner_spawn_Params_set_binary(p, CHILD, strlen(CHILD));
	l = capos_ProcessSpawner_spawn_Params_init_grants(p, n);
	for (uint32_t i = 0; i < n; i++) {
		struct capos_CapGrant_builder gb = capos_CapGrant__list_build(l, i);
		struct capos_CapGrant_source_builder src = capos_CapGrant_init_source(gb);

		(void)capos_CapGrant_set_name(gb, g[i].name, strlen(g[i].name));
		capos_CapGrant_set_interfaceId(gb, g[i].iface);
		if (g[i].mode == SPAWN_NEW_ENDPOINT) {
			capos_CapGrant_source_set_newEndpoint(src);
			continue;
		}
		capos_CapGrant_source_set_transfer(src, nx);
		x[nx++] = (struct capos_xfer){ .cap_id = g[i].cap, .mode = g[i].mode };
	}
	if (capnp_msg_error(&m) || capnp_msg_write(&m, params_buf, sizeof(params_buf), &plen))
		return CAPOS_ERR_TOO_LARGE;
	return uring_call(&rt.ring, sp, capos_ProcessSpawner_spawn, params_buf, (uint32_t)plen,
			  result_buf, rlen, x, nx, cqe);
}

static uint32_t align8(uint32_t n)
{
	return (n + 7u) & ~7u;
}

/* The transfer result records behind the answer in result_buf. */
static const struct capos_xfer_result *records(const struct capos_cqe *cqe)
{
	return (const struct capos_xfer_result *)((const uint8_t *)result_buf +
						   align8(cqe->written));
}

/*
 * A spawn of the shape the failing ones use, with the grant copied: it works,
 * and tells how many bytes the answer takes (cqe.written) before its records.
 */
static uint32_t answer_size(capos_cap_t f, uint32_t free0)
{
	const struct spawn_grant g[] = {
		{ "may-run", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "ep", FILL_IFACE, 0, SPAWN_NEW_ENDPOINT },
		{ "f", 0, f, CAPOS_XFER_COPY },
	};
	struct capos_cqe cqe;
	int64_t code = -1;
	int ret = spawn_raw(g, 3, sizeof(result_buf), &cqe);

	if (!check(ret >= 0 && cqe.xfer_count == 2, "copied_grant_spawn_works", ret))
		return 0;
	capos_cap_t handle = records(&cqe)[0].cap_id, facet = records(&cqe)[1].cap_id;
	check(process_wait(handle, &code) == 0 && code == 3, "child_has_three_caps", code);
	check(cap_release(handle) == 0 && cap_release(facet) == 0 && free_slots() == free0,
	      "copied_grant_spawn_gave_every_slot_back", cqe.written);
	return cqe.written;
}

static void sixteen_new_endpoints(uint32_t free0)
{
	static char names[CAPOS_XFER_MAX][8];
	struct spawn_grant g[CAPOS_XFER_MAX];
	capos_cap_t handle, facets[CAPOS_XFER_MAX];
	int err;

	for (uint32_t i = 0; i < CAPOS_XFER_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "e%u", i);
		g[i] = (struct spawn_grant){ names[i], FILL_IFACE, 0, SPAWN_NEW_ENDPOINT };
	}
	g[0].name = "must-not-run";
	err = spawner_spawn_ep(sp, CHILD, CHILD, g, CAPOS_XFER_MAX, &handle, facets);
	check(err == CAPOS_ERR_APPLICATION_EXCEPTION &&
	      client_exception()->type == capos_CapException_Type_invalidArgument &&
	      free_slots() == free0, "sixteen_new_endpoints_refused", err);
}

/* Result buffers too small for the message, then for its transfer records. */
static void result_too_small(capos_cap_t f, uint32_t free0, uint32_t written)
{
	const struct spawn_grant g[] = {
		{ "must-not-run", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "ep", FILL_IFACE, 0, SPAWN_NEW_ENDPOINT },
		{ "f", 0, f, CAPOS_XFER_MOVE },
	};
	const uint32_t msg_sizes[] = { 0, 8, 16, written - 8 };
	const uint32_t rec_sizes[] = { align8(written), align8(written) + 16,
				       align8(written) + 31 };
	struct capos_cqe cqe;
	bool ok = written >= 16;
	int ret = 0;

	for (uint32_t i = 0; ok && i < sizeof(msg_sizes) / sizeof(msg_sizes[0]); i++)
		ok = (ret = spawn_raw(g, 3, msg_sizes[i], &cqe)) == CAPOS_ERR_RESULT_TOO_SMALL &&
		     free_slots() == free0;
	check(ok, "result_too_small_for_message_refused", ret);
	ok = written >= 16;
	for (uint32_t i = 0; ok && i < sizeof(rec_sizes) / sizeof(rec_sizes[0]); i++)
		ok = (ret = spawn_raw(g, 3, rec_sizes[i], &cqe)) == CAPOS_ERR_RESULT_TOO_SMALL &&
		     free_slots() == free0;
	check(ok, "result_too_small_for_records_refused", ret);
}

/* A caller table with one slot for the handle and facet, then none for the handle alone. */
static void full_caller_table(capos_cap_t f, uint32_t free0)
{
	const struct spawn_grant g[] = {
		{ "must-not-run", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "f", 0, f, CAPOS_XFER_MOVE },
		{ "ep", FILL_IFACE, 0, SPAWN_NEW_ENDPOINT },
	};
	capos_cap_t handle, facets[3];
	uint32_t n = fill_until(1);
	int err1 = spawner_spawn_ep(sp, CHILD, CHILD, g, 3, &handle, facets), err0;

	unfill(n);
	n = fill_until(0);
	err0 = spawner_spawn(sp, CHILD, CHILD, g, 2, &handle);
	unfill(n);
	check(err1 == CAPOS_ERR_CAP_TABLE_FULL && err0 == CAPOS_ERR_CAP_TABLE_FULL &&
	      free_slots() == free0, "full_caller_table_refused", err1 ? err1 : err0);
}

/* The grant every failure tried to move is still ours: a spawn that works moves it away. */
static void moved_grant(capos_cap_t f, uint32_t free0)
{
	const struct spawn_grant g[] = {
		{ "may-run", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "f", 0, f, CAPOS_XFER_MOVE },
		{ "ep", FILL_IFACE, 0, SPAWN_NEW_ENDPOINT },
	};
	capos_cap_t handle, facets[3];
	int64_t code = -1;
	int err = spawner_spawn_ep(sp, CHILD, CHILD, g, 3, &handle, facets);

	check_err(err, 0, "moved_grant_stays_after_failures");
	if (err)
		return;
	check_err(cap_release(f), CAPOS_ERR_STALE_CAP, "moved_grant_left_the_caller");
	/* Its three grants and the "vm" the runtime's spawner_spawn_ep adds (client.h). */
	check(process_wait(handle, &code) == 0 && code == 4, "moved_grant_child_ran", code);
	check(cap_release(handle) == 0 && cap_release(facets[2]) == 0 &&
	      free_slots() == free0 + 1, "moved_grant_spawn_gave_every_slot_back", 0);
}

/* 15 newEndpoint grants and the handle: 16 result caps, the most a call carries. */
static void fifteen_new_endpoints(uint32_t free0)
{
	static char names[CAPOS_XFER_MAX][8];
	struct spawn_grant g[CAPOS_XFER_MAX];
	capos_cap_t handle, facets[CAPOS_XFER_MAX];
	int64_t code = -1;
	bool ok;
	int err;

	g[0] = (struct spawn_grant){ "may-run", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY };
	for (uint32_t i = 1; i < CAPOS_XFER_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "e%u", i);
		g[i] = (struct spawn_grant){ names[i], FILL_IFACE, 0, SPAWN_NEW_ENDPOINT };
	}
	err = spawner_spawn_ep(sp, CHILD, CHILD, g, CAPOS_XFER_MAX, &handle, facets);
	ok = err == 0 && process_wait(handle, &code) == 0 && code == CAPOS_XFER_MAX &&
	     cap_release(handle) == 0;
	for (uint32_t i = 1; ok && i < CAPOS_XFER_MAX; i++)
		ok = cap_release(facets[i]) == 0;
	check(ok && free_slots() == free0, "fifteen_new_endpoints_work", err ? err : code);
}

int main(void)
{
	capos_cap_t owner, f;
	uint32_t free0, written;

	check_init("spawn-atomic");
	sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	ef = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	if (!check_err(endpoint_create(ef, FILL_IFACE, &owner, &f), 0, "endpoint_to_move"))
		return check_done();
	free0 = free_slots();
	check_note("free slots", free0);
	written = answer_size(f, free0);
	sixteen_new_endpoints(free0);
	result_too_small(f, free0, written);
	full_caller_table(f, free0);
	moved_grant(f, free0);
	fifteen_new_endpoints(free0 + 1);
	check_err(cap_release(owner), 0, "release_owner");
	check(setup_ok, "table_filling_worked", 0);
	return check_done();
}
