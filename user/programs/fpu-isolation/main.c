// SPDX-License-Identifier: MIT
/*
 * fpu-isolation (QEMU scenarios fpu-isolation, fpu-isolation-fxsave): every
 * process has its own FPU registers. Run as init, it spawns three copies of
 * itself as "fpu-child"; the four take the CPU from each other at timer
 * ticks throughout. Each one:
 *  - checks that it started in the reset state of <capos/startup.h>, from
 *    the image its _start took before any compiled code ran (hold.S);
 *  - loads values of its own (seeded by its pid) into x87, mm0, FCW, MXCSR,
 *    xmm0..15 and, with AVX, the ymm upper halves, and checks them over and
 *    over in assembly until it has been preempted PAUSES_HOLDING times;
 *  - then runs compiled double and long double arithmetic under rounding
 *    modes of its own until preempted PAUSES_COMPUTING more times, checking
 *    the modes the arithmetic sees and the sums it keeps in registers.
 * The parent then keeps holding its values while any child runs, so that no
 * child is left to spin alone, never preempted, and waits for each (each must
 * exit 0). Lines: "fpu-isolation: PASS ..." and "fpu-child: PASS ...".
 */
#include "check.h"
#include "compute.h"
#include "regs.h"
#include "rt.h"

#define FPU_CHILDREN 3
#define PAUSE_CYCLES 5000000ull		/* a gap this long in rdtsc: another thread ran */
#define PAUSES_HOLDING 16
#define PAUSES_COMPUTING 4
#define MAX_ITERS 4000000u		/* bounds each loop if preemption stops */
#define WAIT_ROUND_ITERS 20000u		/* checks per round while children finish */

static struct fpu_image want, scratch;
static struct fpu_pattern pat;

static bool entry_state_was_reset(bool avx)
{
	long at = fpu_reset_mismatch(&fpu_entry_image, avx);

	return check(at < 0, "starts_in_reset_state", at);
}

/* Our values in the registers, held and checked until preempted `pauses` times. */
static void hold(bool avx, uint32_t seed)
{
	struct fpu_hold h = { avx, PAUSE_CYCLES, PAUSES_HOLDING, MAX_ITERS, 0, 0, 0, -1 };

	fpu_pattern_make(&pat, seed);
	fpu_hold(&pat, &want, &scratch, &h);
	check(fpu_pattern_mismatch(&want, &pat, avx) < 0, "own_values_loaded",
	      fpu_pattern_mismatch(&want, &pat, avx));
	check(h.bad == 0, "registers_kept_while_preempted", h.first_bad);
	check(h.pauses >= PAUSES_HOLDING, "preempted_many_times_holding", (long long)h.pauses);
	check_note("checks of the held registers", (long long)h.iters);
}

static void compute(void)
{
	struct fpu_compute c = { PAUSE_CYCLES, PAUSES_COMPUTING, MAX_ITERS, 0, 0, 0, false };

	fpu_compute_setup(&pat);
	fpu_compute(&pat, &c);
	check(c.bad == 0, "compiled_float_kept_own_rounding_modes", (long long)c.bad);
	check(c.sums_exact, "compiled_float_kept_running_sums", (long long)c.iters);
	check(c.pauses >= PAUSES_COMPUTING, "preempted_while_computing", (long long)c.pauses);
}

/* A child that has exited answers capUsage with an error; one that runs does not. */
static bool children_running(const capos_cap_t *h)
{
	uint32_t used, quota;

	for (unsigned i = 0; i < FPU_CHILDREN; i++)
		if (process_cap_usage(h[i], &used, &quota) == 0)
			return true;
	return false;
}

/*
 * Holds our values again, in short rounds, while any child runs; the
 * capUsage calls between rounds are compiled code, so each round loads the
 * values afresh.
 */
static void hold_until_children_exit(bool avx, const capos_cap_t *h)
{
	struct fpu_hold r;
	uint64_t bad = 0, rounds = 0;
	int64_t first_bad = -1;

	while (rounds++ < MAX_ITERS / WAIT_ROUND_ITERS && children_running(h)) {
		r = (struct fpu_hold){ avx, PAUSE_CYCLES, 1, WAIT_ROUND_ITERS, 0, 0, 0, -1 };
		fpu_hold(&pat, &want, &scratch, &r);
		if (r.bad && !bad)
			first_bad = r.first_bad;
		bad += r.bad;
	}
	check(bad == 0, "registers_kept_while_children_finish", first_bad);
	check(!children_running(h), "children_finished", (long long)rounds);
}

static int child_main(bool avx)
{
	check_init("fpu-child");
	if (entry_state_was_reset(avx)) {
		hold(avx, (uint32_t)rt.pid);
		compute();
	}
	return check_done();
}

static int parent_main(bool avx, capos_cap_t sp)
{
	struct spawn_grant g = { "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY };
	capos_cap_t h[FPU_CHILDREN];
	int64_t code;

	check_init("fpu-isolation");
	check_note(avx ? "ymm upper halves checked too (AVX on)" : "no AVX: x87/MMX/SSE only", avx);
	if (!entry_state_was_reset(avx))
		return check_done();
	for (unsigned i = 0; i < FPU_CHILDREN; i++)
		if (!check_err(spawner_spawn(sp, "fpu-child", "fpu-isolation", &g, 1, &h[i]), 0,
			       "child_spawned"))
			return check_done();
	hold(avx, 1000 + (uint32_t)rt.pid);	/* the children run in the pauses */
	compute();
	hold_until_children_exit(avx, h);
	for (unsigned i = 0; i < FPU_CHILDREN; i++) {
		code = -1;
		check_err(process_wait(h[i], &code), 0, "child_exited");
		check(code == 0, "child_passed", code);
	}
	return check_done();
}

int main(void)
{
	bool avx = fpu_has_avx();
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);

	return sp == CAPOS_CAP_INVALID ? child_main(avx) : parent_main(avx, sp);
}
