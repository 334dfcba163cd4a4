// SPDX-License-Identifier: MIT
/*
 * ipc-server-exit (QEMU scenario ipc-server-exit): a server that exits with
 * calls in flight and queued. The Echo server holds one call (received,
 * unanswered), then gets Echo.exit(7) followed in the same cap_enter by two
 * more calls it never receives. Every one of the four completes with a
 * CapException of type disconnected, a later call too, and the server's
 * exit code is 7. Then, in one process: releasing the owner side fails a
 * queued call with disconnected, and a RECV that waits when the owner is
 * released completes with DISCONNECTED (releasing the last facet does not
 * end it).
 */
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

static struct ipc_call held, ex, q1, q2, later, tmp;

static bool disconnected(struct uring *r, struct ipc_call *c)
{
	int ret = ipc_call_wait(r, c, CAPOS_TIMEOUT_INFINITE);

	return ret == CAPOS_ERR_APPLICATION_EXCEPTION &&
	       c->exc_type == capos_CapException_Type_disconnected;
}

static void server_exits(capos_cap_t sp)
{
	capos_cap_t h, ep;
	uint32_t n = 0;
	int64_t code = -1;

	if (!check_err(echo_spawn(sp, rt.console, "ipc-echo", &h, &ep), 0, "spawn_server"))
		return;
	echo_submit_hold(&rt.ring, &held, ep);
	check_err(echo_held_count(&rt.ring, &tmp, ep, &n), 0, "held_count");
	check(n == 1, "one_call_in_flight", n);
	echo_submit_exit(&rt.ring, &ex, ep, 7);
	echo_submit_echo(&rt.ring, &q1, ep, "q1", 2);
	echo_submit_echo(&rt.ring, &q2, ep, "q2", 2);
	uring_enter(&rt.ring, 0, 0);
	check_err(process_wait(h, &code), 0, "wait_server");
	check(code == 7, "server_exit_code_7", code);
	check(disconnected(&rt.ring, &held), "in_flight_call_disconnected", held.cqe.result);
	check(disconnected(&rt.ring, &ex), "exit_call_disconnected", ex.cqe.result);
	check(disconnected(&rt.ring, &q1), "queued_call_1_disconnected", q1.cqe.result);
	check(disconnected(&rt.ring, &q2), "queued_call_2_disconnected", q2.cqe.result);
	echo_submit_echo(&rt.ring, &later, ep, "late", 4);
	check(disconnected(&rt.ring, &later), "later_call_disconnected", later.cqe.result);
	cap_release(h);
	cap_release(ep);
}

/*
 * The owner side released by its own process: queued calls and a waiting
 * RECV end (DISCONNECTED). The last facet released: a waiting RECV answers
 * NO_CLIENTS (docs/ipc.md, "Cancellation").
 */
static void owner_release(capos_cap_t f)
{
	capos_cap_t owner, facet, o2, f2;
	static uint64_t buf[64];
	struct capos_cqe cqe;
	uint64_t rid;

	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &owner, &facet), 0, "create"))
		return;
	echo_submit_echo(&rt.ring, &q1, facet, "q1", 2);
	uring_enter(&rt.ring, 0, 0);
	check_err(cap_release(owner), 0, "release_owner");
	check(disconnected(&rt.ring, &q1), "queued_call_disconnected_on_owner_release",
	      q1.cqe.result);
	cap_release(facet);
	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &o2, &f2), 0, "create2"))
		return;
	ipc_recv_submit(&rt.ring, o2, buf, sizeof(buf), &rid);
	uring_enter(&rt.ring, 0, 0);
	check_err(cap_release(f2), 0, "release_last_facet_with_recv_waiting");
	check_err(ipc_wait_id(&rt.ring, rid, 20000000ull, &cqe), 0, "recv_completes_without_facets");
	check(cqe.result == CAPOS_ERR_NO_CLIENTS, "recv_answers_no_clients_without_facets",
	      cqe.result);
	check_err(cap_release(o2), 0, "release_orphaned_owner");
	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &o2, &f2), 0, "create3"))
		return;
	ipc_recv_submit(&rt.ring, o2, buf, sizeof(buf), &rid);
	uring_enter(&rt.ring, 0, 0);
	check_err(cap_release(o2), 0, "release_owner_with_recv_waiting");
	check_err(ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe), 0, "recv_completes");
	check_err(cqe.result, CAPOS_ERR_DISCONNECTED, "waiting_recv_disconnected");
	check_err(cap_release(f2), 0, "release_dead_facet");
}

int main(void)
{
	capos_cap_t f = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);

	check_init("ipc-server-exit");
	server_exits(sp);
	owner_release(f);
	return check_done();
}
