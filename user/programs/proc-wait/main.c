// SPDX-License-Identifier: MIT
/*
 * proc-wait (QEMU scenario proc-wait): ProcessHandle.wait as a call that
 * stays pending until the child exits. Two waits on each of three children
 * at once, each completing only when its own child exits, in the order the
 * children are made to exit; a wait on a child that has exited completes
 * at once; 64 waits pending on one child, the 65th refused with
 * `overloaded`, and all 64 answered at its exit; a result buffer too small
 * for the answer refused before anything is queued; a waiter that exits
 * with its wait pending (proc-waiter), its child living on. The kernel's
 * leak check at the end judges what the exits left behind.
 */
#include "capos.capnp.h"
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define NCHILD 3
#define MANY KCALL_PENDING_MAX

enum { KCALL_PENDING_MAX = 64 };	/* the kernel's per-process bound (schema) */

static struct ipc_call c1;
static struct process_wait w[NCHILD][2], many[MANY + 1];
static uint64_t recv_buf[128];
static const uint64_t empty_answer[2] = { 0x0000000100000000ull, 0x00000000fffffffcull };

static bool pending(const struct process_wait *pw)
{
	struct capos_cqe cqe;

	uring_enter(&rt.ring, 0, 0);
	return uring_find(&rt.ring, pw->user_data, &cqe) == 0;
}

static void several_children_at_once(capos_cap_t sp)
{
	static const int order[NCHILD] = { 1, 2, 0 };
	capos_cap_t h[NCHILD], f[NCHILD];
	int64_t code = 0;
	int i, j;

	for (i = 0; i < NCHILD; i++) {
		if (!check_err(echo_spawn(sp, CAPOS_CAP_INVALID, "proc-wait-child", &h[i], &f[i]),
			       0, "spawn_child"))
			return;
		for (j = 0; j < 2; j++)
			check_err(process_wait_submit(&rt.ring, h[i], &w[i][j]), 0, "submit_wait");
	}
	for (i = 0; i < NCHILD; i++)
		check(pending(&w[i][0]) && pending(&w[i][1]), "waits_pending_while_children_live", i);
	for (i = 0; i < NCHILD; i++) {
		int k = order[i];

		echo_submit_exit(&rt.ring, &c1, f[k], 10 + k);
		for (j = 0; j < 2; j++) {
			code = -99;
			check_err(process_wait_end(&rt.ring, &w[k][j], CAPOS_TIMEOUT_INFINITE, &code),
				  0, "wait_completes_at_exit");
			check(code == 10 + k, "each_wait_sees_its_childs_code", code);
		}
		ipc_call_wait(&rt.ring, &c1, CAPOS_TIMEOUT_INFINITE);	/* disconnected */
		for (j = i + 1; j < NCHILD; j++)
			check(pending(&w[order[j]][0]) && pending(&w[order[j]][1]),
			      "other_waits_still_pending", order[j]);
	}
	for (i = 0; i < NCHILD; i++) {
		cap_release(h[i]);
		cap_release(f[i]);
	}
}

static void exited_child_answers_at_once(capos_cap_t sp)
{
	struct process_wait once;
	capos_cap_t h;
	int64_t code = -99;

	if (!check_err(spawner_spawn(sp, "exit0", "exit0", NULL, 0, &h), 0, "spawn_exit0"))
		return;
	check_err(process_wait(h, &code), 0, "wait_exit0");
	check(code == 0, "exit0_code", code);
	code = -99;
	check_err(process_wait_submit(&rt.ring, h, &once), 0, "submit_after_exit");
	check_err(process_wait_end(&rt.ring, &once, 0, &code), 0,
		  "wait_on_exited_child_completes_without_waiting");
	check(code == 0, "exited_code_again", code);
	cap_release(h);
}

static void bound_of_pending_waits(capos_cap_t sp)
{
	capos_cap_t h, f;
	int64_t code;
	int i, ok = 0;

	if (!check_err(echo_spawn(sp, CAPOS_CAP_INVALID, "proc-wait-child", &h, &f), 0,
		       "spawn_child"))
		return;
	for (i = 0; i < MANY; i++)
		process_wait_submit(&rt.ring, h, &many[i]);
	check(pending(&many[MANY - 1]), "sixty_four_pending", MANY);
	process_wait_submit(&rt.ring, h, &many[MANY]);
	check_err(process_wait_end(&rt.ring, &many[MANY], CAPOS_TIMEOUT_INFINITE, &code),
		  CAPOS_ERR_APPLICATION_EXCEPTION, "sixty_fifth_refused");
	check(client_exception()->type == capos_CapException_Type_overloaded,
	      "refused_as_overloaded", client_exception()->type);
	check_err(echo_stop(&rt.ring, &c1, f, NULL), 0, "stop_child");
	for (i = 0; i < MANY; i++)
		ok += process_wait_end(&rt.ring, &many[i], CAPOS_TIMEOUT_INFINITE, &code) == 0 &&
		      code == 0;
	check(ok == MANY, "all_sixty_four_answered_at_exit", ok);
	cap_release(h);
	cap_release(f);
}

static void result_buffer_too_small(capos_cap_t sp)
{
	static uint64_t small[2];
	struct capos_sqe sqe = { .opcode = CAPOS_OP_CALL, .method_id = capos_ProcessHandle_wait,
				 .result_addr = (uint64_t)(uintptr_t)small,
				 .result_len = sizeof(small) };
	struct process_wait pw;
	capos_cap_t h, f;
	int64_t code = -99;

	if (!check_err(echo_spawn(sp, CAPOS_CAP_INVALID, "proc-wait-child", &h, &f), 0,
		       "spawn_child"))
		return;
	sqe.cap_id = h;
	check_err(uring_run(&rt.ring, &sqe, NULL), CAPOS_ERR_RESULT_TOO_SMALL,
		  "small_result_buffer_refused_at_once");
	check_err(process_wait_submit(&rt.ring, h, &pw), 0, "submit_wait");
	check_err(echo_stop(&rt.ring, &c1, f, NULL), 0, "stop_child");
	check_err(process_wait_end(&rt.ring, &pw, CAPOS_TIMEOUT_INFINITE, &code), 0,
		  "only_the_queued_wait_answered");
	cap_release(h);
	cap_release(f);
}

/* Receives one call on owner carrying one capability; answers it; returns the capability. */
static capos_cap_t receive_cap(capos_cap_t owner)
{
	const struct capos_recv_header *hdr = (const void *)recv_buf;
	const struct capos_xfer_result *rec;
	struct capos_cqe cqe;
	uint64_t rid;

	ipc_recv_submit(&rt.ring, owner, recv_buf, sizeof(recv_buf), &rid);
	if (ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe) || cqe.xfer_count != 1)
		return CAPOS_CAP_INVALID;
	rec = (const void *)((const uint8_t *)recv_buf +
			     ((sizeof(*hdr) + hdr->params_len + 7u) & ~7u));
	ipc_return(&rt.ring, owner, cqe.call_id, 0, empty_answer, sizeof(empty_answer), NULL, 0);
	return rec->cap_id;
}

static void waiter_exits_with_wait_pending(capos_cap_t sp, capos_cap_t factory)
{
	capos_cap_t owner, facet, h, child;
	int64_t code = -99;

	if (!check_err(endpoint_create(factory, echo_Echo_TYPE_ID, &owner, &facet), 0,
		       "create_report_endpoint"))
		return;
	struct spawn_grant g[2] = {
		{ .name = "spawner", .iface = CAPOS_IFACE_PROCESS_SPAWNER, .cap = sp,
		  .mode = CAPOS_XFER_COPY },
		{ .name = "report", .iface = echo_Echo_TYPE_ID, .cap = facet,
		  .mode = CAPOS_XFER_COPY },
	};
	if (!check_err(spawner_spawn(sp, "proc-waiter", "proc-waiter", g, 2, &h), 0,
		       "spawn_waiter"))
		return;
	child = receive_cap(owner);
	check(child != CAPOS_CAP_INVALID, "waiter_handed_over_its_child", 0);
	check_err(process_wait(h, &code), 0, "wait_waiter");
	check(code == 0, "waiter_exited_with_its_wait_pending", code);
	check_err(echo_echo(&rt.ring, &c1, child, "alive", 5), 0, "child_outlives_its_waiter");
	check_err(echo_stop(&rt.ring, &c1, child, NULL), 0, "stop_orphan");
	/* Its exit fails this call: the orphan is gone, and so is everything it held. */
	check_err(echo_echo(&rt.ring, &c1, child, "gone", 4), CAPOS_ERR_APPLICATION_EXCEPTION,
		  "orphan_gone");
	cap_release(h);
	cap_release(child);
	cap_release(facet);
	cap_release(owner);
}

int main(void)
{
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t factory = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);

	check_init("proc-wait");
	several_children_at_once(sp);
	exited_child_answers_at_once(sp);
	bound_of_pending_waits(sp);
	result_buffer_too_small(sp);
	waiter_exits_with_wait_pending(sp, factory);
	return check_done();
}
