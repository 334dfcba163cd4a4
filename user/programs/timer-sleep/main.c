// SPDX-License-Identifier: MIT
/*
 * timer-sleep (QEMU scenario timer-sleep): Timer.now and Timer.sleep.
 *
 * now() never goes backwards and runs at the TSC's rate. Sleeps of
 * different lengths taken by one cap_enter complete in deadline order, each
 * no earlier than asked and at most one tick (10 ms) plus 2 ms later; the
 * scenario runs under -icount shift=0,sleep=off, where virtual time is
 * exact even while the guest idles (with sleep=on it follows the host's
 * clock then, and a busy host delivers ticks late), so the bound is tight.
 * A pending sleep holds up nothing: other calls answer meanwhile. The 65th
 * pending sleep (one over the bound of calls pending on kernel objects,
 * KCALL_MAX_PER_PROC) raises overloaded, and once the others completed the
 * process sleeps again. Children that exit or crash with sleeps pending
 * leave nothing behind (the leak check at the end judges it); three that
 * hold 30 sleeps each at once see theirs complete in order and on time.
 * Sleeps that never complete (huge ns) stay pending and are withdrawn when
 * the process exits (the scenario checks the kernel's log line). Hostile
 * params: malformed, missing fields, result buffers too small or unmapped,
 * unknown methods.
 */
#include "capos.capnp.h"
#include "check.h"
#include "rt.h"

#define MS 1000000ull
#define TICK_NS (10 * MS)	/* the kernel's 100 Hz tick */
#define LATE_NS (TICK_NS + 2 * MS)	/* a sleep completes within this after its deadline */
#define ORDERED 6

static capos_cap_t timer;
static struct timer_sleep_req reqs[TIMER_SLEEPS_MAX + 1];

static uint64_t now(void)
{
	uint64_t ns = 0;

	if (timer_now(timer, &ns))
		check(false, "now_answers", 0);
	return ns;
}

static void now_is_monotonic(void)
{
	uint64_t first = now(), prev = first, t0 = rt_rdtsc();
	int backwards = 0;

	for (int i = 0; i < 1000; i++) {
		uint64_t t = now();

		backwards += t < prev;
		prev = t;
	}
	check(backwards == 0, "now_never_goes_backwards", backwards);
	check(prev > first, "now_advances", (long long)(prev - first));
	/* -icount shift=0: the TSC is 1 GHz, and now() counts it in ns, so they agree. */
	uint64_t ns = now() - first, cycles = rt_rdtsc() - t0;
	long long diff = (long long)ns - (long long)cycles;

	check(diff > -100000 && diff < 100000, "now_runs_at_the_tsc_rate", diff);
}

/* Sleeps of these lengths go in one cap_enter; two share a length (submission order). */
static const uint64_t ordered_ns[ORDERED] = { 50 * MS, 10 * MS, 40 * MS, 25 * MS, 3 * MS, 25 * MS };
static const int want_order[ORDERED] = { 4, 1, 3, 5, 2, 0 };

static int req_index(uint64_t user_data)
{
	for (int i = 0; i < ORDERED; i++)
		if (reqs[i].user_data == user_data)
			return i;
	return -1;
}

static void sleeps_complete_in_deadline_order(void)
{
	uint64_t t0 = now(), late_max = 0;
	int got[ORDERED], n = 0, early = 0, late = 0;
	struct capos_cqe cqe;

	for (int i = 0; i < ORDERED; i++)
		check_err(timer_sleep_submit(timer, ordered_ns[i], &reqs[i]), 0, "sleep_submit");
	while (n < ORDERED && uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE) >= 0) {
		while (n < ORDERED && uring_reap(&rt.ring, &cqe)) {
			uint64_t t = now();
			int i = req_index(cqe.user_data);

			if (i < 0 || timer_sleep_result(&reqs[i], &cqe))
				continue;
			got[n++] = i;
			early += t - t0 < ordered_ns[i];
			late += t - t0 > ordered_ns[i] + LATE_NS;
			if (t - t0 > ordered_ns[i] && t - t0 - ordered_ns[i] > late_max)
				late_max = t - t0 - ordered_ns[i];
		}
	}
	int in_order = n == ORDERED;

	for (int k = 0; k < n; k++)
		in_order &= got[k] == want_order[k];
	check(in_order, "sleeps_complete_in_deadline_order", n);
	check(early == 0, "no_sleep_completes_early", early);
	check(late == 0, "no_sleep_completes_a_tick_late", (long long)late_max);
	check_note("  latest completion after its deadline (us):", (long long)(late_max / 1000));
}

static void sleep_holds_nothing_up(void)
{
	struct timer_sleep_req *r = &reqs[0];
	struct capos_cqe cqe;
	uint64_t t0 = now();

	check_err(timer_sleep_start(timer, 30 * MS, r), 0, "long_sleep_started");
	check_err(console_puts(rt.console, "timer-sleep: a call while a sleep is pending\n"), 0,
		  "other_call_answers_during_sleep");
	uint64_t t1 = now();

	check(t1 - t0 < 30 * MS, "other_call_did_not_wait_for_sleep", (long long)(t1 - t0));
	check(uring_find(&rt.ring, r->user_data, &cqe) == 0, "sleep_still_pending", 0);
	check_err(timer_sleep_wait(r, CAPOS_TIMEOUT_INFINITE), 0, "long_sleep_completes");
	check(now() - t0 >= 30 * MS, "long_sleep_lasted", (long long)(now() - t0));
	t0 = now();
	check_err(timer_sleep(timer, 0), 0, "sleep_zero_completes");
	check(now() - t0 < MS, "sleep_zero_completes_at_once", (long long)(now() - t0));
}

static void quota_gives_overloaded(void)
{
	int fails = 0;

	for (int i = 0; i < TIMER_SLEEPS_MAX; i++)
		fails += timer_sleep_start(timer, 40 * MS, &reqs[i]) != 0;
	check(fails == 0, "quota_sleeps_started", fails);
	struct timer_sleep_req *extra = &reqs[TIMER_SLEEPS_MAX];

	check_err(timer_sleep_start(timer, 1 * MS, extra), 0, "extra_sleep_submitted");
	check_err(timer_sleep_wait(extra, 5 * MS), CAPOS_ERR_APPLICATION_EXCEPTION,
		  "sleep_over_quota_raises_at_once");
	check(extra->exc_type == capos_CapException_Type_overloaded, "sleep_over_quota_is_overloaded",
	      extra->exc_type);
	for (int i = 0; i < TIMER_SLEEPS_MAX; i++)
		fails += timer_sleep_wait(&reqs[i], CAPOS_TIMEOUT_INFINITE) != 0;
	check(fails == 0, "quota_sleeps_all_complete", fails);
	check_err(timer_sleep(timer, 1 * MS), 0, "sleep_again_after_quota_drained");
}

/* Sleeps that never complete: saturated deadlines. They are withdrawn at exit. */
static void huge_sleeps_stay_pending(void)
{
	static struct timer_sleep_req forever[2];
	struct capos_cqe cqe;

	check_err(timer_sleep_start(timer, UINT64_MAX, &forever[0]), 0, "sleep_u64_max_taken");
	check_err(timer_sleep_start(timer, 1ull << 63, &forever[1]), 0, "sleep_2pow63_taken");
	check_err(timer_sleep(timer, 20 * MS), 0, "short_sleep_passes_huge_ones");
	check(uring_find(&rt.ring, forever[0].user_data, &cqe) == 0 &&
	      uring_find(&rt.ring, forever[1].user_data, &cqe) == 0, "huge_sleeps_still_pending", 0);
}

/* ---- hostile calls, made by hand ----------------------------------------------------------- */

static uint64_t raw_params[8], raw_result[8];

static int raw_call(uint16_t method, const void *params, uint32_t plen, void *result,
		    uint32_t rlen, struct capos_cqe *cqe)
{
	return uring_call(&rt.ring, timer, method, params, plen, result, rlen, NULL, 0, cqe);
}

static void hostile_calls(void)
{
	struct capos_cqe cqe;

	/* A segment table claiming 2^32 segments. */
	raw_params[0] = 0xffffffffull;
	check_err(raw_call(capos_Timer_sleep, raw_params, 16, raw_result, sizeof(raw_result), &cqe),
		  CAPOS_ERR_MALFORMED_MESSAGE, "sleep_malformed_params");
	check_err(raw_call(capos_Timer_sleep, raw_params, 0, raw_result, sizeof(raw_result), &cqe),
		  CAPOS_ERR_MALFORMED_MESSAGE, "sleep_no_params");
	/* One segment of one word: a root pointer to an empty struct (ns missing: 0). */
	raw_params[0] = 0x0000000100000000ull;
	raw_params[1] = 0x00000000fffffffcull;
	check_err(raw_call(capos_Timer_sleep, raw_params, 16, raw_result, sizeof(raw_result), &cqe),
		  16, "sleep_missing_ns_is_zero");
	/* A null root pointer: every field default. */
	raw_params[1] = 0;
	check_err(raw_call(capos_Timer_sleep, raw_params, 16, raw_result, sizeof(raw_result), &cqe),
		  16, "sleep_null_root_is_zero");
	/* The root points past its segment. */
	raw_params[1] = 0x0001000000000010ull;
	check_err(raw_call(capos_Timer_sleep, raw_params, 16, raw_result, sizeof(raw_result), &cqe),
		  CAPOS_ERR_MALFORMED_MESSAGE, "sleep_root_out_of_bounds");
	check_err(raw_call(capos_Timer_sleep, reqs[0].params, 24, raw_result, 8, &cqe),
		  CAPOS_ERR_RESULT_TOO_SMALL, "sleep_result_too_small");
	check_err(raw_call(capos_Timer_sleep, reqs[0].params, 24, (void *)0x10000, 64, &cqe),
		  CAPOS_ERR_BAD_ADDRESS, "sleep_result_unmapped");
	check_err(raw_call(capos_Timer_sleep, reqs[0].params, 24, (void *)(uintptr_t)ordered_ns, 64,
			   &cqe), CAPOS_ERR_BAD_ADDRESS, "sleep_result_read_only");
	check_err(raw_call(2, raw_params, 16, raw_result, sizeof(raw_result), &cqe),
		  CAPOS_ERR_UNKNOWN_METHOD, "unknown_method");
	check_err(raw_call(0xffff, raw_params, 16, raw_result, sizeof(raw_result), &cqe),
		  CAPOS_ERR_UNKNOWN_METHOD, "unknown_method_ffff");
	check(raw_call(capos_Timer_now, raw_params, 0, raw_result, sizeof(raw_result), &cqe) > 0,
	      "now_ignores_params", cqe.result);
	check_err(raw_call(capos_Timer_now, raw_params, 0, raw_result, 8, &cqe),
		  CAPOS_ERR_RESULT_TOO_SMALL, "now_result_too_small");
	/* None of the refused sleeps is pending: the whole quota is still free. */
	int fails = 0;

	for (int i = 0; i < TIMER_SLEEPS_MAX - 2; i++)	/* two huge ones are pending */
		fails += timer_sleep_start(timer, 2 * MS, &reqs[i]) != 0;
	for (int i = 0; i < TIMER_SLEEPS_MAX - 2; i++)
		fails += timer_sleep_wait(&reqs[i], CAPOS_TIMEOUT_INFINITE) != 0;
	check(fails == 0, "refused_sleeps_left_nothing_pending", fails);
}

/* Children that exit (or crash) with sleeps pending; then sleep past their deadlines. */
static void children_exit_with_sleeps_pending(void)
{
	capos_cap_t spawner = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER), handle;
	struct spawn_grant g[3] = {
		{ .name = "console", .iface = CAPOS_IFACE_CONSOLE, .cap = rt.console },
		{ .name = "timer", .iface = CAPOS_IFACE_TIMER, .cap = timer },
		{ .name = "crash", .iface = CAPOS_IFACE_CONSOLE, .cap = rt.console },
	};
	int64_t code = 0;

	for (int round = 0; round < 20; round++) {
		uint32_t n = round % 2 ? 3 : 2;	/* odd rounds crash */

		if (!check_err(spawner_spawn(spawner, "timer-child", "timer-child", g, n, &handle), 0,
			       "child_spawned"))
			return;
		check_err(process_wait(handle, &code), 0, "child_waited");
		check(code == (n == 3 ? -1 : 0), "child_exit_code", code);
		cap_release(handle);
	}
	/* Past every deadline the children set (1..30 ms): nothing may come. */
	check_err(timer_sleep(timer, 50 * MS), 0, "sleep_past_children_deadlines");
}

/*
 * Three children holding 30 sleeps each at once (and this process's own):
 * more than the queue's static 64 slots. Each child checks its sleeps
 * complete in deadline order and none early.
 */
static void many_processes_sleep_at_once(void)
{
	capos_cap_t spawner = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER), handle[3];
	struct spawn_grant g[3] = {
		{ .name = "console", .iface = CAPOS_IFACE_CONSOLE, .cap = rt.console },
		{ .name = "timer", .iface = CAPOS_IFACE_TIMER, .cap = timer },
		{ .name = "hold", .iface = CAPOS_IFACE_CONSOLE, .cap = rt.console },
	};
	int bad = 0;

	for (int i = 0; i < 3; i++)
		if (!check_err(spawner_spawn(spawner, "timer-child", "timer-child", g, 3, &handle[i]),
			       0, "holding_child_spawned"))
			return;
	check_err(timer_sleep(timer, 15 * MS), 0, "sleep_among_many");
	for (int i = 0; i < 3; i++) {
		int64_t code = -99;

		bad += process_wait(handle[i], &code) != 0 || code != 0;
		if (code)
			check_note("  holding child exit code:", code);
		cap_release(handle[i]);
	}
	check(bad == 0, "many_processes_sleeps_in_order_and_on_time", bad);
}

int main(void)
{
	check_init("timer-sleep");
	timer = rt_cap("timer", CAPOS_IFACE_TIMER);
	if (!check(timer != CAPOS_CAP_INVALID, "init_has_a_timer", 0))
		return check_done();
	now_is_monotonic();
	sleeps_complete_in_deadline_order();
	sleep_holds_nothing_up();
	quota_gives_overloaded();
	children_exit_with_sleeps_pending();
	many_processes_sleep_at_once();
	huge_sleeps_stay_pending();
	hostile_calls();
	return check_done();
}
