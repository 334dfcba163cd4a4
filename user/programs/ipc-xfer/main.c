// SPDX-License-Identifier: MIT
/*
 * ipc-xfer (QEMU scenario ipc-xfer): capability transfer with CALL and
 * RETURN through the Echo server (Echo.bounce sends a received cap back):
 * copy and move each way, a client facet passed on and used, the owner
 * side of an endpoint and a ProcessHandle refused (NOT_TRANSFERABLE), a
 * cap moved twice in one message (DUPLICATE_XFER), a stale and a forged id,
 * and a move into a full table (the server keeps caps until its table is
 * full), and an answer moving a cap into this process's full table: each
 * failure leaves both tables as they were, which the program checks by
 * using the caps afterwards and asking the server what it keeps.
 */
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define XFER_OWN_MAX 512u	/* more than a default table (256 slots) holds */

static struct ipc_call c1;

static bool works(capos_cap_t con)
{
	return console_write_line(con, "ipc-xfer: (a transferred Console writes)") == 0;
}

static void copy_and_move(capos_cap_t ep)
{
	capos_cap_t a = CAPOS_CAP_INVALID, b = CAPOS_CAP_INVALID, c = CAPOS_CAP_INVALID;
	capos_cap_t d = CAPOS_CAP_INVALID;

	check_err(echo_bounce(&rt.ring, &c1, ep, rt.console, CAPOS_XFER_COPY, CAPOS_XFER_COPY, &a),
		  0, "copy_there_copy_back");
	check(a != rt.console && works(a) && works(rt.console), "both_copies_work", a);
	check_err(echo_bounce(&rt.ring, &c1, ep, rt.console, CAPOS_XFER_COPY, CAPOS_XFER_MOVE, &b),
		  0, "copy_there_move_back");
	check(works(b), "moved_back_copy_works", b);
	check_err(echo_bounce(&rt.ring, &c1, ep, a, CAPOS_XFER_MOVE, CAPOS_XFER_MOVE, &c), 0,
		  "move_there_move_back");
	check_err(cap_release(a), CAPOS_ERR_STALE_CAP, "moved_cap_left_the_sender");
	check(works(c), "cap_moved_back_works", c);
	check_err(echo_bounce(&rt.ring, &c1, ep, b, CAPOS_XFER_MOVE, CAPOS_XFER_COPY, &d), 0,
		  "move_there_copy_back");
	check_err(cap_release(b), CAPOS_ERR_STALE_CAP, "moved_cap_left_the_sender_2");
	check(works(d), "copied_back_after_move_works", d);
	cap_release(c);
	cap_release(d);
}

static void facet_passed_on(capos_cap_t ep)
{
	capos_cap_t e2 = CAPOS_CAP_INVALID;
	struct ipc_call *c = &c1;

	check_err(echo_bounce(&rt.ring, c, ep, ep, CAPOS_XFER_COPY, CAPOS_XFER_COPY, &e2), 0,
		  "facet_copied_both_ways");
	check_err(echo_echo(&rt.ring, c, e2, "via copy", 8), 0, "facet_copy_calls_the_server");
	cap_release(e2);
}

static void refused(capos_cap_t ep, capos_cap_t f, capos_cap_t handle)
{
	capos_cap_t owner, facet, x, gone;
	struct capos_cqe cqe;
	uint64_t rid;
	static uint64_t buf[64];

	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &owner, &facet), 0, "create"))
		return;
	check_err(echo_bounce(&rt.ring, &c1, ep, owner, CAPOS_XFER_COPY, CAPOS_XFER_COPY, &x),
		  CAPOS_ERR_NOT_TRANSFERABLE, "owner_side_not_transferable");
	ipc_recv_submit(&rt.ring, owner, buf, sizeof(buf), &rid);
	check_err(ipc_wait_id(&rt.ring, rid, 0, &cqe), CAPOS_ERR_TIMED_OUT, "owner_still_ours");
	cap_release(facet);
	cap_release(owner);
	ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe);
	check_err(echo_bounce(&rt.ring, &c1, ep, handle, CAPOS_XFER_MOVE, CAPOS_XFER_MOVE, &x),
		  CAPOS_ERR_NOT_TRANSFERABLE, "process_handle_not_transferable");
	check_err(echo_bounce(&rt.ring, &c1, ep, rt.console, CAPOS_XFER_COPY, CAPOS_XFER_COPY,
			      &x), 0, "make_a_copy");
	gone = x;
	ipc_call_begin(&c1);
	echo_Echo_keep_Params_init_root(&c1.msg);
	ipc_call_add_cap(&c1, x, CAPOS_XFER_MOVE);
	ipc_call_add_cap(&c1, x, CAPOS_XFER_MOVE);
	check_err(ipc_call_run(&rt.ring, &c1, ep, echo_Echo_keep), CAPOS_ERR_DUPLICATE_XFER,
		  "same_cap_moved_twice_refused");
	check(works(x), "cap_kept_after_duplicate_move", x);
	cap_release(x);
	check_err(echo_bounce(&rt.ring, &c1, ep, gone, CAPOS_XFER_COPY, CAPOS_XFER_COPY, &x),
		  CAPOS_ERR_STALE_CAP, "stale_id_refused");
	check_err(echo_bounce(&rt.ring, &c1, ep, 0x0fff0001u, CAPOS_XFER_COPY, CAPOS_XFER_COPY,
			      &x), CAPOS_ERR_INVALID_CAP, "forged_id_refused");
}

/* Fills the server's table with Console copies; returns how many it keeps. */
static uint32_t fill_server(capos_cap_t ep)
{
	capos_cap_t caps[CAPOS_XFER_MAX];
	uint32_t i, kept = 0, n = CAPOS_XFER_MAX;

	for (i = 0; i < CAPOS_XFER_MAX; i++)
		caps[i] = rt.console;
	while (n) {
		if (echo_keep(&rt.ring, &c1, ep, caps, n, &kept))
			n--;
	}
	return kept;
}

static void full_table(capos_cap_t ep)
{
	uint32_t kept, again = 0, dropped = 0;
	capos_cap_t x = CAPOS_CAP_INVALID, y;

	echo_bounce(&rt.ring, &c1, ep, rt.console, CAPOS_XFER_COPY, CAPOS_XFER_COPY, &x);
	kept = fill_server(ep);
	check_note("server keeps caps until full:", kept);
	check_err(echo_keep(&rt.ring, &c1, ep, &rt.console, 1, &again), CAPOS_ERR_CAP_TABLE_FULL,
		  "copy_into_full_table_refused");
	ipc_call_begin(&c1);
	echo_Echo_keep_Params_init_root(&c1.msg);
	ipc_call_add_cap(&c1, x, CAPOS_XFER_MOVE);
	check_err(ipc_call_run(&rt.ring, &c1, ep, echo_Echo_keep), CAPOS_ERR_CAP_TABLE_FULL,
		  "move_into_full_table_refused");
	check(works(x), "moved_cap_still_the_senders", x);
	check_err(echo_keep(&rt.ring, &c1, ep, NULL, 0, &again), 0, "server_still_answers");
	check(again == kept, "server_table_unchanged", again);
	check_err(echo_drop_kept(&rt.ring, &c1, ep, &dropped), 0, "drop_kept");
	check(dropped == kept, "server_dropped_all", dropped);
	check_err(echo_bounce(&rt.ring, &c1, ep, x, CAPOS_XFER_MOVE, CAPOS_XFER_MOVE, &y), 0,
		  "move_works_again");
	cap_release(y);
}

/*
 * Fills this process's table with Console copies the server sends back; the
 * answer that finds it full fails, and every cap held before still works.
 */
static void full_own_table(capos_cap_t ep)
{
	static capos_cap_t got[XFER_OWN_MAX];
	uint32_t n = 0, i, ok = 0;
	int err = 0;

	while (n < XFER_OWN_MAX && !err) {
		err = echo_bounce(&rt.ring, &c1, ep, rt.console, CAPOS_XFER_COPY, CAPOS_XFER_MOVE,
				  &got[n]);
		n += !err;
	}
	check_note("own table took answers until full:", n);
	check_err(err, CAPOS_ERR_CAP_TABLE_FULL, "answer_into_full_table_refused");
	check(n > 0 && works(got[n - 1]) && works(rt.console), "caps_held_before_still_work", n);
	for (i = 0; i < n; i++)
		ok += cap_release(got[i]) == 0;
	check(ok == n, "released_every_answered_cap", ok);
	check_err(echo_echo(&rt.ring, &c1, ep, "after", 5), 0, "server_serves_after_full_answer");
}

int main(void)
{
	capos_cap_t f = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t h, ep;
	int64_t code = -1;

	check_init("ipc-xfer");
	if (!check_err(echo_spawn(sp, rt.console, "ipc-echo", &h, &ep), 0, "spawn_server"))
		return check_done();
	copy_and_move(ep);
	facet_passed_on(ep);
	refused(ep, f, h);
	full_table(ep);
	full_own_table(ep);
	check_err(echo_stop(&rt.ring, &c1, ep, NULL), 0, "stop");
	check_err(process_wait(h, &code), 0, "handle_still_ours_wait_server");
	check(code == 0, "server_exit_code", code);
	cap_release(h);
	cap_release(ep);
	return check_done();
}
