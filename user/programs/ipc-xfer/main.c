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
 * using the caps afterwards and by counting both tables' used slots
 * (CapabilityManager.usage for its own, ProcessHandle.capUsage for the
 * server's) after each failed transfer.
 *
 * The counts see the two ways a transfer is undone in the kernel: caps
 * installed before the receiver's table ran out (three caps sent where
 * one fits, to the server and in an answer to this process), and caps
 * installed before the message copy failed (params or an answer running
 * into an unmapped page; receive buffers are checked when posted, so a
 * copy fails only on the sender's side).
 */
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define XFER_OWN_MAX 512u	/* more than a default table (256 slots) holds */
#define PAGE 4096u

static struct ipc_call c1;
static capos_cap_t mgr, server;	/* own CapabilityManager; the server's ProcessHandle */
static const uint64_t empty_answer[2] = { 0x0000000100000000ull, 0x00000000fffffffcull };

/* Used slots of both tables. */
struct usage {
	uint32_t own;
	uint32_t server;
};

/*
 * Both tables' used slots, after an echo round trip: the server has then
 * finished whatever call it was serving and waits in its next RECV.
 */
static struct usage usage_now(capos_cap_t ep)
{
	struct usage u = { 0, 0 };
	uint32_t quota;

	int err = echo_echo(&rt.ring, &c1, ep, "sync", 4);

	if (!err)
		err = cap_usage(mgr, &u.own, &quota);
	if (!err)
		err = process_cap_usage(server, &u.server, &quota);
	if (err)	/* reported only when it fails: it runs before every bounce below */
		check_err(err, 0, "usage_counts");
	return u;
}

/* Checks that neither table's used slots changed since `before`. */
static void check_tables_unchanged(capos_cap_t ep, struct usage before, const char *what)
{
	struct usage now = usage_now(ep);
	char name[96];

	snprintf(name, sizeof(name), "%s_client_slots_unchanged", what);
	check(now.own == before.own, name, (long long)now.own - before.own);
	snprintf(name, sizeof(name), "%s_server_slots_unchanged", what);
	check(now.server == before.server, name, (long long)now.server - before.server);
}

/* The end of the heap's mapping: below it memory is mapped, above it never. */
static uint64_t heap_end(void)
{
	return (uint64_t)(uintptr_t)rt.heap.base + rt.heap.size;
}

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
	struct usage before = usage_now(ep);
	check_err(echo_keep(&rt.ring, &c1, ep, &rt.console, 1, &again), CAPOS_ERR_CAP_TABLE_FULL,
		  "copy_into_full_table_refused");
	check_tables_unchanged(ep, before, "copy_into_full_table");
	ipc_call_begin(&c1);
	echo_Echo_keep_Params_init_root(&c1.msg);
	ipc_call_add_cap(&c1, x, CAPOS_XFER_MOVE);
	check_err(ipc_call_run(&rt.ring, &c1, ep, echo_Echo_keep), CAPOS_ERR_CAP_TABLE_FULL,
		  "move_into_full_table_refused");
	check(works(x), "moved_cap_still_the_senders", x);
	check_tables_unchanged(ep, before, "move_into_full_table");
	check_err(echo_keep(&rt.ring, &c1, ep, NULL, 0, &again), 0, "server_still_answers");
	check(again == kept, "server_table_unchanged", again);
	check_err(echo_drop_kept(&rt.ring, &c1, ep, &dropped), 0, "drop_kept");
	check(dropped == kept, "server_dropped_all", dropped);
	check_err(echo_bounce(&rt.ring, &c1, ep, x, CAPOS_XFER_MOVE, CAPOS_XFER_MOVE, &y), 0,
		  "move_works_again");
	cap_release(y);
}

/* Has the server keep Console copies until its table has room for `room` more. */
static bool server_room(capos_cap_t ep, uint32_t room)
{
	capos_cap_t caps[CAPOS_XFER_MAX];
	uint32_t used, quota, kept, n, i;

	for (i = 0; i < CAPOS_XFER_MAX; i++)
		caps[i] = rt.console;
	if (process_cap_usage(server, &used, &quota) || quota - used < room)
		return false;
	for (uint32_t left = quota - used - room; left; left -= n) {
		n = left < CAPOS_XFER_MAX ? left : CAPOS_XFER_MAX;
		if (echo_keep(&rt.ring, &c1, ep, caps, n, &kept))
			return false;
	}
	return process_cap_usage(server, &used, &quota) == 0 && quota - used == room;
}

/* Keep with three caps of this process, copied or moved: the server has room for one. */
static int keep_three(capos_cap_t ep, const capos_cap_t *x, uint8_t mode)
{
	ipc_call_begin(&c1);
	echo_Echo_keep_Params_init_root(&c1.msg);
	for (int i = 0; i < 3; i++)
		ipc_call_add_cap(&c1, x[i], mode);
	return ipc_call_run(&rt.ring, &c1, ep, echo_Echo_keep);
}

/*
 * Three caps sent where one fits: the first is installed in the server's
 * table before the second finds it full, and must be taken out again.
 */
static void three_into_room_for_one(capos_cap_t ep)
{
	capos_cap_t x[3];
	uint32_t dropped, i;

	for (i = 0; i < 3; i++)
		check_err(echo_bounce(&rt.ring, &c1, ep, rt.console, CAPOS_XFER_COPY,
				      CAPOS_XFER_COPY, &x[i]), 0, "make_a_copy");
	check(server_room(ep, 1), "server_has_room_for_one", 0);
	struct usage before = usage_now(ep);
	check_err(keep_three(ep, x, CAPOS_XFER_COPY), CAPOS_ERR_CAP_TABLE_FULL,
		  "copy_three_into_room_for_one_refused");
	check_tables_unchanged(ep, before, "copy_three_into_room_for_one");
	check_err(keep_three(ep, x, CAPOS_XFER_MOVE), CAPOS_ERR_CAP_TABLE_FULL,
		  "move_three_into_room_for_one_refused");
	check_tables_unchanged(ep, before, "move_three_into_room_for_one");
	check(works(x[0]) && works(x[2]), "moved_caps_still_the_senders", 0);
	check_err(echo_drop_kept(&rt.ring, &c1, ep, &dropped), 0, "drop_kept_after_room");
	for (i = 0; i < 3; i++)
		cap_release(x[i]);
}

/*
 * A CALL whose params run into an unmapped page while the server waits in
 * RECV: its two caps are installed in the server's table, then reading
 * the params fails, and they must be taken out again (BAD_ADDRESS).
 */
static void call_with_unreadable_params(capos_cap_t ep)
{
	static uint64_t res[64];
	capos_cap_t x[2];
	struct capos_xfer d[2];

	for (int i = 0; i < 2; i++) {
		check_err(echo_bounce(&rt.ring, &c1, ep, rt.console, CAPOS_XFER_COPY,
				      CAPOS_XFER_COPY, &x[i]), 0, "make_a_copy");
		d[i] = (struct capos_xfer){ .cap_id = x[i], .mode = CAPOS_XFER_MOVE };
	}
	struct capos_sqe sqe = {
		.opcode = CAPOS_OP_CALL, .cap_id = ep, .method_id = echo_Echo_keep,
		.params_addr = heap_end() - 64, .params_len = 256,
		.result_addr = (uint64_t)(uintptr_t)res, .result_len = sizeof(res),
		.xfer_addr = (uint64_t)(uintptr_t)d, .xfer_count = 2,
	};
	struct usage before = usage_now(ep);
	check_err(uring_run(&rt.ring, &sqe, NULL), CAPOS_ERR_BAD_ADDRESS,
		  "call_with_params_into_unmapped_page_fails");
	check_tables_unchanged(ep, before, "call_with_unreadable_params");
	check(works(x[0]) && works(x[1]), "caps_of_failed_call_still_the_senders", 0);
	cap_release(x[0]);
	cap_release(x[1]);
}

/*
 * Answers this process gives itself through its own endpoint: a RECV,
 * then a CALL it receives; the caller's table is this process's own.
 * Returns the call id, or 0.
 */
static uint32_t self_call(capos_cap_t owner, capos_cap_t facet, struct ipc_call *c)
{
	static uint64_t buf[64];
	struct capos_cqe cqe;
	uint64_t rid;

	ipc_recv_submit(&rt.ring, owner, buf, sizeof(buf), &rid);
	ipc_call_begin(c);
	echo_Echo_keep_Params_init_root(&c->msg);
	if (ipc_call_submit(&rt.ring, c, facet, echo_Echo_keep) ||
	    ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe) || cqe.result < 0)
		return 0;
	return cqe.call_id;
}

/*
 * An answer carrying two caps whose message runs into an unmapped page:
 * both are installed in the caller's table, then reading the answer fails
 * (the RETURN fails, the call stays open), and they must be taken out.
 */
static void answer_unreadable(capos_cap_t ep, capos_cap_t owner, capos_cap_t facet)
{
	static struct ipc_call c2;
	struct capos_xfer d[2] = { { .cap_id = rt.console, .mode = CAPOS_XFER_COPY },
				   { .cap_id = rt.console, .mode = CAPOS_XFER_COPY } };
	uint32_t id = self_call(owner, facet, &c2);

	check(id != 0, "self_call_received", id);
	struct usage before = usage_now(ep);
	check_err(ipc_return(&rt.ring, owner, id, 0, (const void *)(uintptr_t)(heap_end() - 16),
			     64, d, 2), CAPOS_ERR_BAD_ADDRESS,
		  "answer_with_caps_from_unmapped_page_fails");
	check_tables_unchanged(ep, before, "answer_unreadable");
	check_err(ipc_return(&rt.ring, owner, id, 0, empty_answer, sizeof(empty_answer), NULL, 0),
		  0, "call_answered_after_bad_answer");
	check(ipc_call_wait(&rt.ring, &c2, CAPOS_TIMEOUT_INFINITE) >= 0, "self_call_completes", 0);
}

/*
 * An answer of three caps to this process when its table has room for
 * one: the first is installed before the second finds the table full.
 * got[] holds the Console copies that fill the table.
 */
static void answer_three_into_room_for_one(capos_cap_t ep, capos_cap_t owner, capos_cap_t facet,
					   uint32_t room_now)
{
	static struct ipc_call c2;
	struct capos_xfer d[3];
	uint32_t id = self_call(owner, facet, &c2);

	for (int i = 0; i < 3; i++)
		d[i] = (struct capos_xfer){ .cap_id = rt.console, .mode = CAPOS_XFER_COPY };
	check(id != 0 && room_now == 1, "own_table_has_room_for_one", room_now);
	struct usage before = usage_now(ep);
	check(ipc_return(&rt.ring, owner, id, 0, empty_answer, sizeof(empty_answer), d, 3) < 0,
	      "answer_three_into_room_for_one_fails", 0);
	check_err(ipc_call_wait(&rt.ring, &c2, CAPOS_TIMEOUT_INFINITE), CAPOS_ERR_CAP_TABLE_FULL,
		  "caller_told_table_full");
	check_tables_unchanged(ep, before, "answer_three_into_room_for_one");
}

/*
 * Fills this process's table with Console copies the server sends back; the
 * answer that finds it full fails, and every cap held before still works.
 */
static void full_own_table(capos_cap_t ep, capos_cap_t owner, capos_cap_t facet)
{
	static capos_cap_t got[XFER_OWN_MAX];
	uint32_t n = 0, i, ok = 0;
	struct usage before = { 0, 0 };
	int err = 0;

	while (n < XFER_OWN_MAX && !err) {
		before = usage_now(ep);
		/* Copied back: the server releases its copy even when the answer fails. */
		err = echo_bounce(&rt.ring, &c1, ep, rt.console, CAPOS_XFER_COPY, CAPOS_XFER_COPY,
				  &got[n]);
		n += !err;
	}
	check_note("own table took answers until full:", n);
	check_err(err, CAPOS_ERR_CAP_TABLE_FULL, "answer_into_full_table_refused");
	check(n > 0 && works(got[n - 1]) && works(rt.console), "caps_held_before_still_work", n);
	check_tables_unchanged(ep, before, "answer_into_full_table");
	if (n > 0 && cap_release(got[--n]) == 0) {
		uint32_t used = 0, quota = 0;

		cap_usage(mgr, &used, &quota);
		answer_three_into_room_for_one(ep, owner, facet, quota - used);
	}
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

	capos_cap_t owner, facet;

	check_init("ipc-xfer");
	mgr = rt_cap("caps", CAPOS_IFACE_CAPABILITY_MANAGER);
	if (!check_err(echo_spawn(sp, rt.console, "ipc-echo", &h, &ep), 0, "spawn_server"))
		return check_done();
	server = h;
	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &owner, &facet), 0, "create_own"))
		return check_done();
	copy_and_move(ep);
	facet_passed_on(ep);
	refused(ep, f, h);
	full_table(ep);
	three_into_room_for_one(ep);
	call_with_unreadable_params(ep);
	answer_unreadable(ep, owner, facet);
	full_own_table(ep, owner, facet);
	cap_release(facet);
	cap_release(owner);
	check_err(echo_stop(&rt.ring, &c1, ep, NULL), 0, "stop");
	check_err(process_wait(h, &code), 0, "handle_still_ours_wait_server");
	check(code == 0, "server_exit_code", code);
	cap_release(h);
	cap_release(ep);
	return check_done();
}
