// SPDX-License-Identifier: MIT
/*
 * revoke (QEMU scenario revoke): revocation and the rights that travel
 * with capabilities (docs/revocation.md). The parent grants a child a
 * revocable BootPackage (the original's run-revocable-read); the child
 * reads through it, sends a copy through another process and back, leaves
 * one with that process, grants one to a grandchild; the parent revokes,
 * and every copy's next use is DISCONNECTED while the original works on.
 * Then: revoke twice, wrap a revoked capability, wrap under a revoked
 * Revoker, nesting to the depth limit (an inner revoke ends the outer
 * copy), the per-Revoker limit, a Revoker handed to another process and
 * used there, a Revoker released (its copies end), calls in flight through
 * a revoked copy (they complete; a revoke that takes an endpoint's last
 * facet cancels them, as a release does, with the server in RECV), a copy
 * without the right to send it on (no path sends, grants or rewraps it),
 * a child that exits holding revokers and copies, hostile wraps (no
 * capability, two, a bad index, a Revoker), and 500 loans made, copied,
 * revoked and released. The verdict is the
 * kernel's leak check when this program (init) exits.
 */
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define BOOT CAPOS_IFACE_BOOT_PACKAGE
#define SET_MAX 64u	/* live copies per Revoker (schema) */
#define DEPTH_MAX 4u	/* revocable copies nested (schema) */
#define CHURN_CYCLES 500u

static capos_cap_t boot, sp, con, caps, echo_ep, echo_handle;
static struct ipc_call c1, c2;

static int read_through(capos_cap_t cap)
{
	struct bootpkg_entry e[2];

	return bootpkg_list(cap, e, 2);
}

static void sleep_ms(uint64_t ms)
{
	uring_enter(&rt.ring, 1, ms * 1000000ull);
}

static capos_cap_t new_revoker(void)
{
	capos_cap_t rv = CAPOS_CAP_INVALID;

	check_err(cap_new_revoker(caps, &rv), 0, "new_revoker");
	return rv;
}

static capos_cap_t wrap(capos_cap_t rv, capos_cap_t cap, uint8_t mode, bool drop, uint64_t iface)
{
	capos_cap_t w = CAPOS_CAP_INVALID;
	int err = revoker_wrap(rv, cap, mode, drop, iface, &w);

	if (err)
		check_err(err, 0, "wrap");
	return w;
}

/* Whether the last call raised a CapException of this type. */
static bool raised(int err, uint16_t type)
{
	return err == CAPOS_ERR_APPLICATION_EXCEPTION && client_exception()->type == type;
}

/* Waits (bounded) until the Echo server at ep holds n calls. */
static bool wait_held(capos_cap_t ep, uint32_t n)
{
	uint32_t count = 0;

	for (int i = 0; i < 500; i++) {
		if (echo_held_count(&rt.ring, &c2, ep, &count) == 0 && count == n)
			return true;
		sleep_ms(10);
	}
	return false;
}

static int spawn_child(const struct spawn_grant *g, uint32_t n, capos_cap_t *h)
{
	return spawner_spawn(sp, "revoke-child", "revoke-child", g, n, h);
}

/* The child gets a revocable BootPackage and makes copies of it everywhere. */
static void grant_tree(void)
{
	capos_cap_t rv = new_revoker(), w = wrap(rv, boot, CAPOS_XFER_COPY, false, BOOT), h;
	uint32_t answered, delivered, dropped;
	int32_t first;
	int64_t code = -1;
	const struct spawn_grant g[4] = {
		{ "boot", BOOT, w, CAPOS_XFER_COPY },
		{ "echo", echo_Echo_TYPE_ID, echo_ep, CAPOS_XFER_COPY },
		{ "spawner", CAPOS_IFACE_PROCESS_SPAWNER, sp, CAPOS_XFER_COPY },
		{ "console", CAPOS_IFACE_CONSOLE, con, CAPOS_XFER_COPY },
	};

	check(read_through(w) > 0, "read_through_revocable_copy", 0);
	check_err(spawn_child(g, 4, &h), 0, "spawn_child_with_revocable_grant");
	check(wait_held(echo_ep, 2), "child_and_grandchild_hold_copies", 0);
	check_err(revoker_revoke(rv), 0, "revoke");
	check_err(read_through(w), CAPOS_ERR_DISCONNECTED, "parent_copy_disconnected");
	check(read_through(boot) > 0, "original_unaffected", 0);
	check_err(echo_answer_held(&rt.ring, &c1, echo_ep, &answered, &delivered, &first), 0,
		  "release_holders");
	check_err(process_wait(h, &code), 0, "child_waited");
	cap_release(h);
	check(code == 0, "child_and_grandchild_copies_disconnected", code);
	check(echo_drop_kept(&rt.ring, &c1, echo_ep, &dropped) == 0 && dropped == 1,
	      "server_drops_its_dead_copy", dropped);
	check_err(revoker_revoke(rv), 0, "revoke_twice");
	check_err(revoker_wrap(rv, boot, CAPOS_XFER_COPY, false, BOOT, &h), 
		  CAPOS_ERR_APPLICATION_EXCEPTION, "wrap_under_revoked_revoker");
	check(client_exception()->type == capos_CapException_Type_failed,
	      "wrap_under_revoked_revoker_failed", client_exception()->type);
	capos_cap_t rv2 = new_revoker();
	check_err(revoker_wrap(rv2, w, CAPOS_XFER_COPY, false, BOOT, &h), CAPOS_ERR_DISCONNECTED,
		  "wrap_revoked_copy_disconnected");
	cap_release(rv2);
	cap_release(w);
	cap_release(rv);
}

/* Copies nest to DEPTH_MAX; revoking the innermost ends the outermost. */
static void nesting(void)
{
	capos_cap_t rv[DEPTH_MAX + 1], w[DEPTH_MAX], x;
	capos_cap_t prev = boot;

	for (uint32_t i = 0; i <= DEPTH_MAX; i++)
		rv[i] = new_revoker();
	for (uint32_t i = 0; i < DEPTH_MAX; i++)
		prev = w[i] = wrap(rv[i], prev, CAPOS_XFER_COPY, false, BOOT);
	check(read_through(w[DEPTH_MAX - 1]) > 0, "nested_copy_reads", 0);
	int err = revoker_wrap(rv[DEPTH_MAX], prev, CAPOS_XFER_COPY, false, BOOT, &x);
	check(raised(err, capos_CapException_Type_invalidArgument), "depth_limit_refused", err);
	check_err(revoker_revoke(rv[1]), 0, "revoke_middle");
	check_err(read_through(w[DEPTH_MAX - 1]), CAPOS_ERR_DISCONNECTED,
		  "middle_revoke_ends_outer_copy");
	check(read_through(w[0]) > 0, "inner_copy_lives_on", 0);
	for (uint32_t i = 0; i <= DEPTH_MAX; i++)
		cap_release(rv[i]);	/* releasing a Revoker revokes its copies */
	check_err(read_through(w[0]), CAPOS_ERR_DISCONNECTED, "released_revoker_revokes");
	for (uint32_t i = 0; i < DEPTH_MAX; i++)
		cap_release(w[i]);
}

/* A Revoker holds at most SET_MAX live copies; a copy that dies frees its place. */
static void set_limit(void)
{
	capos_cap_t rv = new_revoker(), w[SET_MAX], x;
	uint32_t made = 0;

	for (uint32_t i = 0; i < SET_MAX; i++)
		made += revoker_wrap(rv, boot, CAPOS_XFER_COPY, false, BOOT, &w[i]) == 0;
	check(made == SET_MAX, "set_holds_64", made);
	int err = revoker_wrap(rv, boot, CAPOS_XFER_COPY, false, BOOT, &x);
	check(raised(err, capos_CapException_Type_overloaded), "set_full_overloaded", err);
	cap_release(w[0]);
	check_err(revoker_wrap(rv, boot, CAPOS_XFER_COPY, false, BOOT, &w[0]), 0,
		  "released_copy_frees_its_place");
	for (uint32_t i = 0; i < SET_MAX; i++)
		cap_release(w[i]);
	cap_release(rv);
}

/* Another process holding the Revoker revokes the parent's copy. */
static void revoker_elsewhere(void)
{
	capos_cap_t rv = new_revoker(), w = wrap(rv, boot, CAPOS_XFER_COPY, false, BOOT), h;
	const struct spawn_grant g[1] = { { "revoker", CAPOS_IFACE_REVOKER, rv, CAPOS_XFER_MOVE } };
	int64_t code = -1;

	check(read_through(w) > 0, "copy_reads_before", 0);
	check_err(spawn_child(g, 1, &h), 0, "revoker_moved_to_child");
	int werr = process_wait(h, &code);	/* before `code` is read */

	check(werr == 0 && code == 0, "child_revoked", werr ? werr : code);
	cap_release(h);
	check_err(read_through(w), CAPOS_ERR_DISCONNECTED, "revoked_by_another_process");
	cap_release(w);
}

/* A call accepted before the revoke completes; new calls are DISCONNECTED. */
static void in_flight_completes(void)
{
	capos_cap_t rv = new_revoker(), w = wrap(rv, echo_ep, CAPOS_XFER_COPY, false,
						 echo_Echo_TYPE_ID);
	uint32_t answered, delivered;
	int32_t first;

	check_err(echo_submit_hold(&rt.ring, &c1, w), 0, "hold_through_copy");
	check(wait_held(echo_ep, 1), "call_in_flight", 0);
	check_err(revoker_revoke(rv), 0, "revoke_with_call_in_flight");
	check_err(echo_echo(&rt.ring, &c2, w, "x", 1), CAPOS_ERR_DISCONNECTED,
		  "new_call_disconnected");
	check_err(echo_answer_held(&rt.ring, &c2, echo_ep, &answered, &delivered, &first), 0,
		  "server_answers");
	int done = ipc_call_wait(&rt.ring, &c1, CAPOS_TIMEOUT_INFINITE);
	check(done >= 0, "in_flight_call_completes", done);
	cap_release(w);
	cap_release(rv);
}

/*
 * The revocable copy holds an endpoint's only client facet: the revoke
 * drops it, which cancels the call in the server's hands (as a release
 * would); the server, back in RECV, is unharmed until it is killed.
 */
static void last_facet_revoked(void)
{
	capos_cap_t h, ep, rv = new_revoker(), w;
	int64_t code = 0;

	check_err(echo_spawn(sp, CAPOS_CAP_INVALID, "echo-only-facet", &h, &ep), 0,
		  "echo_spawned");
	w = wrap(rv, ep, CAPOS_XFER_MOVE, false, echo_Echo_TYPE_ID);
	check_err(echo_submit_hold(&rt.ring, &c1, w), 0, "hold_through_only_facet");
	check(wait_held(w, 1), "server_holds_call", 0);
	check_err(revoker_revoke(rv), 0, "revoke_only_facet");
	check_err(ipc_call_wait(&rt.ring, &c1, CAPOS_TIMEOUT_INFINITE), CAPOS_ERR_CANCELLED,
		  "in_flight_call_cancelled");
	check_err(echo_echo(&rt.ring, &c2, w, "x", 1), CAPOS_ERR_DISCONNECTED,
		  "revoked_facet_disconnected");
	check(process_kill(h) == 0 && process_wait(h, &code) == 0 && code == -2,
	      "server_in_recv_killed", code);
	cap_release(h);
	cap_release(w);
	cap_release(rv);
}

/* A copy without the right to send it on: usable, but no path sends, grants or rewraps it. */
static void narrow_copy(void)
{
	capos_cap_t rv = new_revoker(), n = wrap(rv, boot, CAPOS_XFER_COPY, true, BOOT), back, h;
	const struct spawn_grant g[1] = { { "boot", BOOT, n, CAPOS_XFER_COPY } };

	check(read_through(n) > 0, "narrow_copy_reads", 0);
	check_err(echo_bounce(&rt.ring, &c1, echo_ep, n, CAPOS_XFER_COPY, CAPOS_XFER_COPY, &back),
		  CAPOS_ERR_NOT_TRANSFERABLE, "narrow_copy_not_sent");
	check_err(echo_bounce(&rt.ring, &c1, echo_ep, n, CAPOS_XFER_MOVE, CAPOS_XFER_COPY, &back),
		  CAPOS_ERR_NOT_TRANSFERABLE, "narrow_copy_not_moved");
	check_err(spawn_child(g, 1, &h), CAPOS_ERR_NOT_TRANSFERABLE, "narrow_copy_not_granted");
	check_err(revoker_wrap(rv, n, CAPOS_XFER_COPY, false, BOOT, &back),
		  CAPOS_ERR_NOT_TRANSFERABLE, "narrow_copy_not_rewrapped");
	check(read_through(n) > 0, "narrow_copy_still_reads", 0);

	capos_cap_t t = wrap(rv, boot, CAPOS_XFER_COPY, false, BOOT), moved;
	check_err(echo_bounce(&rt.ring, &c1, echo_ep, t, CAPOS_XFER_MOVE, CAPOS_XFER_MOVE, &moved),
		  0, "copy_moved_there_and_back");
	check(read_through(moved) > 0, "moved_copy_reads", 0);
	check_err(revoker_revoke(rv), 0, "revoke_moved");
	check_err(read_through(moved), CAPOS_ERR_DISCONNECTED, "moved_copy_disconnected");
	check_err(read_through(n), CAPOS_ERR_DISCONNECTED, "narrow_copy_disconnected");
	cap_release(moved);
	cap_release(n);
	cap_release(rv);
}

/* A child that exits holding a Revoker and nested copies releases them; ours lives on. */
static void exit_with_revokers(void)
{
	capos_cap_t rv = new_revoker(), w = wrap(rv, boot, CAPOS_XFER_COPY, false, BOOT), h;
	const struct spawn_grant g[2] = {
		{ "boot", BOOT, w, CAPOS_XFER_COPY },
		{ "caps", CAPOS_IFACE_CAPABILITY_MANAGER, caps, CAPOS_XFER_COPY },
	};
	int64_t code = -1;

	check_err(spawn_child(g, 2, &h), 0, "hoarder_spawned");
	int werr = process_wait(h, &code);	/* before `code` is read */

	check(werr == 0 && code == 0, "hoarder_nested_and_exited", werr ? werr : code);
	cap_release(h);
	check(read_through(w) > 0, "parent_copy_survives_child_exit", 0);
	cap_release(w);
	cap_release(rv);
}

/* Revoker.wrap with `ncaps` copies of boot sent and index idx: raw, as a hostile caller would. */
static int raw_wrap(capos_cap_t rv, uint32_t ncaps, uint16_t idx)
{
	ipc_call_begin(&c1);
	struct capos_Revoker_wrap_Params_builder p = capos_Revoker_wrap_Params_init_root(&c1.msg);
	capos_Revoker_wrap_Params_set_cap(p, idx);
	for (uint32_t i = 0; i < ncaps; i++)
		ipc_call_add_cap(&c1, boot, CAPOS_XFER_COPY);
	int err = ipc_call_run(&rt.ring, &c1, rv, capos_Revoker_wrap);
	return err == CAPOS_ERR_APPLICATION_EXCEPTION && c1.exc_type != capos_CapException_Type_invalidArgument
		? CAPOS_ERR_INVALID_ARGUMENT : err;
}

static uint32_t used_slots(void)
{
	uint32_t used = 0, quota;

	cap_usage(caps, &used, &quota);
	return used;
}

/* Bad wraps are refused with nothing made; unknown methods; a Revoker is not wrapped. */
static void hostile_wraps(void)
{
	capos_cap_t rv = new_revoker(), self;
	uint32_t before = used_slots();

	check_err(raw_wrap(rv, 0, 0), CAPOS_ERR_APPLICATION_EXCEPTION, "wrap_of_nothing_refused");
	check_err(raw_wrap(rv, 2, 0), CAPOS_ERR_APPLICATION_EXCEPTION, "wrap_of_two_refused");
	check_err(raw_wrap(rv, 1, 1), CAPOS_ERR_APPLICATION_EXCEPTION, "wrap_index_1_refused");
	check(used_slots() == before, "refused_wraps_leave_no_slot", used_slots());
	ipc_call_begin(&c1);
	capos_Revoker_revoke_Params_init_root(&c1.msg);
	check_err(ipc_call_run(&rt.ring, &c1, rv, 7), CAPOS_ERR_UNKNOWN_METHOD,
		  "revoker_unknown_method");
	/* A Revoker is not made revocable, not even under itself. */
	int err = revoker_wrap(rv, rv, CAPOS_XFER_COPY, false, CAPOS_IFACE_REVOKER, &self);
	check(raised(err, capos_CapException_Type_invalidArgument), "revoker_not_wrappable", err);
	check(used_slots() == before, "refused_revoker_wrap_leaves_no_slot", used_slots());
	check_err(revoker_revoke(rv), 0, "revoker_still_answers");
	cap_release(rv);
}

/* Many loans made, copied through the server, revoked and released: the leak check counts. */
static void churn(void)
{
	uint32_t before = used_slots(), ok = 0;

	for (uint32_t i = 0; i < CHURN_CYCLES; i++) {
		capos_cap_t rv, w = CAPOS_CAP_INVALID, back = CAPOS_CAP_INVALID;

		if (cap_new_revoker(caps, &rv))
			break;
		if (revoker_wrap(rv, boot, CAPOS_XFER_COPY, false, BOOT, &w) == 0 &&
		    echo_bounce(&rt.ring, &c1, echo_ep, w, CAPOS_XFER_COPY, CAPOS_XFER_COPY,
				&back) == 0 &&
		    revoker_revoke(rv) == 0 && read_through(back) == CAPOS_ERR_DISCONNECTED)
			ok++;
		cap_release(back);
		cap_release(w);
		cap_release(rv);
	}
	check(ok == CHURN_CYCLES, "churn_loans_revoked", ok);
	check(used_slots() == before, "churn_leaves_no_slot", used_slots());
}

int main(void)
{
	check_init("revoke");
	boot = rt_cap("boot", BOOT);
	sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	con = rt_cap("console", CAPOS_IFACE_CONSOLE);
	caps = rt_cap("caps", CAPOS_IFACE_CAPABILITY_MANAGER);
	if (!check_err(echo_spawn(sp, con, "echo-revoke", &echo_handle, &echo_ep), 0, "echo"))
		return check_done();
	grant_tree();
	nesting();
	set_limit();
	revoker_elsewhere();
	in_flight_completes();
	last_facet_revoked();
	narrow_copy();
	exit_with_revokers();
	hostile_wraps();
	churn();
	int64_t code = -1;
	check_err(echo_stop(&rt.ring, &c1, echo_ep, NULL), 0, "echo_stopped");
	check(process_wait(echo_handle, &code) == 0 && code == 0, "echo_exited", code);
	cap_release(echo_handle);
	cap_release(echo_ep);
	return check_done();
}
