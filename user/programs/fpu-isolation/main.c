// SPDX-License-Identifier: MIT
/*
 * fpu-isolation (QEMU scenarios fpu-isolation, fpu-isolation-fxsave): every
 * process has its own FPU registers. Run as init, it checks it starts in the
 * reset state (<capos/startup.h>), loads its own values into x87, mm0, MXCSR,
 * xmm0..15 and (with AVX) the ymm upper halves, and spawns two copies of
 * itself as "fpu-child". Each child checks that it, too, starts in the reset
 * state (nothing of the parent's shows through), loads values of its own and
 * spins, checking them, until it has been preempted several times; so does
 * the parent, then it waits for both (each must exit 0). The three keep
 * taking the CPU from each other at timer ticks. Lines: "fpu-isolation:
 * PASS ..." and "fpu-child: PASS ...".
 */
#include "check.h"
#include "regs.h"
#include "rt.h"

#define FPU_CHILDREN 2
#define FPU_PAUSE_CYCLES 5000000ull	/* a gap this long in rdtsc: another thread ran */
#define FPU_PAUSES_WANTED 5
#define FPU_MAX_ITERS 4000000u

static struct fpu_image snap, now;
static struct fpu_pattern pat;

/* Reset state at entry, then our own values in: returns whether they went in. */
static bool start(bool avx, uint32_t seed)
{
	fpu_snapshot(&snap, avx);
	check(fpu_reset_mismatch(&snap, avx) < 0, "starts_in_reset_state",
	      fpu_reset_mismatch(&snap, avx));
	fpu_pattern_make(&pat, seed);
	fpu_load(&pat, avx);
	fpu_snapshot(&snap, avx);
	return check(fpu_pattern_mismatch(&snap, &pat, avx) < 0, "own_values_loaded",
		     fpu_pattern_mismatch(&snap, &pat, avx));
}

/*
 * Checks the registers over and over until rdtsc has jumped `FPU_PAUSES_WANTED`
 * times (other threads ran in between) or the iterations run out.
 */
static void spin_and_check(bool avx, uint32_t wanted)
{
	uint64_t last = rt_rdtsc(), t;
	uint32_t pauses = 0, iters = 0, bad = 0;
	long first_bad = -1;

	while (iters < FPU_MAX_ITERS && pauses < wanted) {
		fpu_snapshot(&now, avx);
		long at = fpu_image_diff(&now, &snap, avx);
		if (at >= 0 && bad++ == 0)
			first_bad = at;
		t = rt_rdtsc();
		pauses += t - last > FPU_PAUSE_CYCLES;
		last = t;
		iters++;
	}
	check(bad == 0, "registers_kept_while_preempted", first_bad);
	check(pauses >= wanted, "preempted_several_times", pauses);
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
 * Keeps checking the registers while any child runs, so that no child is
 * left to spin alone, never preempted, while it counts its pauses.
 */
static void spin_until_children_exit(bool avx, const capos_cap_t *h)
{
	uint32_t bad = 0, iters = 0;

	while (iters++ < FPU_MAX_ITERS && children_running(h)) {
		fpu_snapshot(&now, avx);
		bad += fpu_image_diff(&now, &snap, avx) >= 0;
	}
	check(bad == 0, "registers_kept_while_children_finish", bad);
}

static int child_main(bool avx)
{
	check_init("fpu-child");
	if (start(avx, (uint32_t)rt.pid))
		spin_and_check(avx, FPU_PAUSES_WANTED);
	return check_done();
}

static int parent_main(bool avx, capos_cap_t sp)
{
	struct spawn_grant g = { "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY };
	capos_cap_t h[FPU_CHILDREN];
	int64_t code;

	check_init("fpu-isolation");
	check_note(avx ? "ymm upper halves checked too (AVX on)" : "no AVX: x87/MMX/SSE only", avx);
	if (!start(avx, 1000 + (uint32_t)rt.pid))
		return check_done();
	for (unsigned i = 0; i < FPU_CHILDREN; i++)
		if (!check_err(spawner_spawn(sp, "fpu-child", "fpu-isolation", &g, 1, &h[i]), 0,
			       "child_spawned"))
			return check_done();
	spin_and_check(avx, FPU_PAUSES_WANTED);	/* the children run in the pauses */
	spin_until_children_exit(avx, h);
	for (unsigned i = 0; i < FPU_CHILDREN; i++) {
		code = -1;
		check_err(process_wait(h[i], &code), 0, "child_exited");
		check(code == 0, "child_passed", code);
	}
	fpu_snapshot(&now, avx);
	check(fpu_image_diff(&now, &snap, avx) < 0, "registers_kept_to_the_end",
	      fpu_image_diff(&now, &snap, avx));
	return check_done();
}

int main(void)
{
	bool avx = fpu_has_avx();
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);

	return sp == CAPOS_CAP_INVALID ? child_main(avx) : parent_main(avx, sp);
}
