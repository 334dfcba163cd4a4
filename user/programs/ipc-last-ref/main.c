// SPDX-License-Identifier: MIT
/*
 * ipc-last-ref (QEMU scenario ipc-last-ref): a call record that holds the
 * last reference to its own endpoint's facet, dropped by the kernel while
 * it holds that endpoint's lock. The facet's destroy() takes the same lock,
 * so before the repair the CPU spun forever:
 *   caller_exited: the child CALLs facet F sending F, releases its F and
 *     exits with the call queued; this process releases its own F and
 *     RECVs: the dead caller's call is dropped (with F's last reference)
 *     and the RECV waits for a call that will never come;
 *   table_full: as before, but the child waits for its answer; this
 *     process fills its own table, so the delivery of F fails
 *     (CAP_TABLE_FULL) and the failed call is dropped with F.
 * The leak check at exit shows that F, its endpoint and every call went.
 */
#include "check.h"
#include "ipc_call.h"
#include "rt.h"

#define IFACE 0x1a57ull
#define WAIT_NS 20000000ull	/* a RECV that must find nothing */
#define FILL_MAX 600u		/* more than a default table holds */

static uint64_t recv_buf[64];
static capos_cap_t filler[FILL_MAX];

static int spawn_child(capos_cap_t sp, capos_cap_t facet, capos_cap_t sig, capos_cap_t *h)
{
	struct spawn_grant g[2] = {
		{ .name = "ep", .iface = IFACE, .cap = facet, .mode = CAPOS_XFER_COPY },
		{ .name = "sig", .iface = IFACE, .cap = sig, .mode = CAPOS_XFER_COPY },
	};

	return spawner_spawn(sp, "ipc-last-ref-child", "ipc-last-ref-child", g,
			     sig == CAPOS_CAP_INVALID ? 1 : 2, h);
}

/*
 * A RECV on owner once its facets are gone but for the one a dead caller's
 * queued call holds: the RECV drops that call (and with it the last facet),
 * so nothing is delivered and the RECV answers NO_CLIENTS. Returns the
 * RECV's result, or the wait's error (TIMED_OUT).
 */
static int recv_nothing(capos_cap_t owner)
{
	struct capos_cqe cqe;
	uint64_t rid;
	int err;

	ipc_recv_submit(&rt.ring, owner, recv_buf, sizeof(recv_buf), &rid);
	err = ipc_wait_id(&rt.ring, rid, WAIT_NS, &cqe);
	return err ? err : cqe.result;
}

static void caller_exited(capos_cap_t f, capos_cap_t sp)
{
	capos_cap_t owner, facet, h;
	int64_t code = -1;

	if (!check_err(endpoint_create(f, IFACE, &owner, &facet), 0, "create"))
		return;
	check_err(spawn_child(sp, facet, CAPOS_CAP_INVALID, &h), 0, "spawn_exiting_caller");
	check_err(process_wait(h, &code), 0, "wait_exiting_caller");
	check(code == 0, "caller_exited_with_its_call_queued", code);
	cap_release(h);
	check_err(cap_release(facet), 0, "release_own_facet");
	check_err(recv_nothing(owner), CAPOS_ERR_NO_CLIENTS, "dead_callers_call_dropped_with_last_ref");
	check_err(cap_release(owner), 0, "release_owner");
}

/*
 * Fills this process's table to its last slot with endpoint pairs (a pair
 * needs two: with one left, a filler facet gives way to a last pair);
 * returns how many caps it took, 0 if it could not say the table is full.
 */
static uint32_t fill_table(capos_cap_t f, capos_cap_t mgr)
{
	uint32_t n = 0, used = 0, quota = 1;

	while (n + 2 <= FILL_MAX && endpoint_create(f, IFACE, &filler[n], &filler[n + 1]) == 0)
		n += 2;
	if (cap_usage(mgr, &used, &quota) == 0 && used + 1 == quota && n + 1 <= FILL_MAX &&
	    cap_release(filler[--n]) == 0 &&
	    endpoint_create(f, IFACE, &filler[n], &filler[n + 1]) == 0)
		n += 2;
	return cap_usage(mgr, &used, &quota) == 0 && used == quota ? n : 0;
}

static void table_full(capos_cap_t f, capos_cap_t sp, capos_cap_t mgr)
{
	capos_cap_t owner, facet, sig_owner, sig, h;
	struct capos_cqe cqe;
	uint64_t rid;
	int64_t code = -1;
	uint32_t n;

	if (!check_err(endpoint_create(f, IFACE, &owner, &facet), 0, "create") ||
	    !check_err(endpoint_create(f, IFACE, &sig_owner, &sig), 0, "create_sig"))
		return;
	check_err(spawn_child(sp, facet, sig, &h), 0, "spawn_waiting_caller");
	ipc_recv_submit(&rt.ring, sig_owner, recv_buf, sizeof(recv_buf), &rid);
	check_err(ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe), 0, "caller_signalled");
	check_err(cap_release(facet), 0, "release_own_facet");
	n = fill_table(f, mgr);
	check(n > 0 && n < FILL_MAX, "own_table_filled", n);
	check_err(recv_nothing(owner), CAPOS_ERR_NO_CLIENTS, "undeliverable_call_dropped_with_last_ref");
	for (uint32_t i = 0; i < n; i++)
		cap_release(filler[i]);
	ipc_return(&rt.ring, sig_owner, cqe.call_id, 0, NULL, 0, NULL, 0);
	check_err(process_wait(h, &code), 0, "wait_waiting_caller");
	check(code == -CAPOS_ERR_CAP_TABLE_FULL, "callers_call_failed_table_full", code);
	cap_release(h);
	cap_release(sig);
	cap_release(sig_owner);
	check_err(cap_release(owner), 0, "release_owner");
}

int main(void)
{
	capos_cap_t f = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);

	check_init("ipc-last-ref");
	caller_exited(f, sp);
	table_full(f, sp, rt_cap("caps", CAPOS_IFACE_CAPABILITY_MANAGER));
	return check_done();
}
