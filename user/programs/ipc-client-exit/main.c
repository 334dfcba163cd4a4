// SPDX-License-Identifier: MIT
/*
 * ipc-client-exit (QEMU scenario ipc-client-exit): callers that go away
 * while their call is open. A client process (ipc-hold-client) exits with
 * its call in flight: the server's RETURN of it fails with DISCONNECTED and
 * the server goes on serving. A client exits with its call still queued: a
 * RECV never sees it. RELEASE of the last client facet fails the caller's
 * in-flight and queued calls with CANCELLED, and the server's RETURN of the
 * in-flight one with DISCONNECTED. Nothing is left behind (kernel check).
 */
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define CE_SHORT_NS 20000000ull

static struct ipc_call c1, c2;
static uint64_t recv_buf[256];
static const uint64_t empty_answer[2] = { 0x0000000100000000ull, 0x00000000fffffffcull };

static int run_client(capos_cap_t sp, capos_cap_t facet, bool quick, int64_t *code)
{
	struct spawn_grant g[2] = {
		{ .name = "echo", .iface = echo_Echo_TYPE_ID, .cap = facet,
		  .mode = CAPOS_XFER_COPY },
		{ .name = "quick", .iface = CAPOS_IFACE_CONSOLE, .cap = rt.console,
		  .mode = CAPOS_XFER_COPY },
	};
	capos_cap_t h;
	int err = spawner_spawn(sp, "ipc-hold-client", "ipc-hold-client", g, quick ? 2 : 1, &h);

	if (err == CAPOS_ERR_APPLICATION_EXCEPTION)
		printf("ipc-client-exit: spawn raised: %s\n", client_exception()->reason);
	if (err)
		return err;
	err = process_wait(h, code);
	cap_release(h);
	return err;
}

static void client_exits_in_flight(capos_cap_t sp)
{
	uint32_t answered = 0, delivered = 0;
	int32_t first = 0;
	capos_cap_t h, ep;
	int64_t code = -1;

	if (!check_err(echo_spawn(sp, rt.console, "ipc-echo", &h, &ep), 0, "spawn_server"))
		return;
	check_err(run_client(sp, ep, false, &code), 0, "client_ran");
	check(code == 0, "client_exited_with_call_in_flight", code);
	check_err(echo_answer_held(&rt.ring, &c1, ep, &answered, &delivered, &first), 0,
		  "answer_held");
	check(answered == 1 && delivered == 0, "answer_not_delivered", delivered);
	check_err(first, CAPOS_ERR_DISCONNECTED, "return_to_gone_caller_is_disconnected");
	check_err(echo_echo(&rt.ring, &c1, ep, "still", 5), 0, "server_still_serves");
	check_err(echo_stop(&rt.ring, &c1, ep, NULL), 0, "stop");
	check_err(process_wait(h, &code), 0, "wait_server");
	check(code == 0, "server_exit_code", code);
	cap_release(h);
	cap_release(ep);
}

static void client_exits_queued(capos_cap_t f, capos_cap_t sp)
{
	capos_cap_t owner, facet;
	struct capos_cqe cqe;
	int64_t code = -1;
	uint64_t rid;

	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &owner, &facet), 0, "create"))
		return;
	check_err(run_client(sp, facet, true, &code), 0, "quick_client_ran");
	check(code == 0, "client_exited_with_call_queued", code);
	ipc_recv_submit(&rt.ring, owner, recv_buf, sizeof(recv_buf), &rid);
	check_err(ipc_wait_id(&rt.ring, rid, CE_SHORT_NS, &cqe), CAPOS_ERR_TIMED_OUT,
		  "gone_callers_queued_call_never_received");
	check_err(echo_submit_echo(&rt.ring, &c1, facet, "live", 4), 0, "live_call");
	check_err(ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe), 0, "recv_live_call");
	check(cqe.result > 0, "recv_gets_the_live_call", cqe.result);
	ipc_return(&rt.ring, owner, cqe.call_id, 0, empty_answer, sizeof(empty_answer), NULL, 0);
	check(ipc_call_wait(&rt.ring, &c1, CAPOS_TIMEOUT_INFINITE) >= 0, "live_call_answered", 0);
	cap_release(facet);
	cap_release(owner);
}

static void facet_release(capos_cap_t f)
{
	capos_cap_t owner, facet;
	struct capos_cqe cqe;
	uint64_t rid;

	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &owner, &facet), 0, "create"))
		return;
	echo_submit_echo(&rt.ring, &c1, facet, "in flight", 9);
	ipc_recv_submit(&rt.ring, owner, recv_buf, sizeof(recv_buf), &rid);
	ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe);
	check(cqe.result > 0, "received", cqe.result);
	echo_submit_echo(&rt.ring, &c2, facet, "queued", 6);
	uring_enter(&rt.ring, 0, 0);
	check_err(cap_release(facet), 0, "release_facet_with_calls_open");
	check_err(ipc_call_wait(&rt.ring, &c1, CAPOS_TIMEOUT_INFINITE), CAPOS_ERR_CANCELLED,
		  "in_flight_call_cancelled");
	check_err(ipc_call_wait(&rt.ring, &c2, CAPOS_TIMEOUT_INFINITE), CAPOS_ERR_CANCELLED,
		  "queued_call_cancelled");
	check_err(ipc_return(&rt.ring, owner, cqe.call_id, 0, empty_answer, sizeof(empty_answer),
			     NULL, 0), CAPOS_ERR_DISCONNECTED, "return_after_facet_release");
	cap_release(owner);
}

int main(void)
{
	capos_cap_t f = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);

	check_init("ipc-client-exit");
	client_exits_in_flight(sp);
	client_exits_queued(f, sp);
	facet_release(f);
	return check_done();
}
