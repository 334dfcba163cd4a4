/* SPDX-License-Identifier: MIT */
/*
 * Compiled floating point under preemption (compute.c): the second half of
 * fpu-isolation, after hold.S has checked the raw registers.
 */
#ifndef FPU_ISOLATION_COMPUTE_H
#define FPU_ISOLATION_COMPUTE_H

#include "regs.h"

struct fpu_compute {
	uint64_t pause_cycles;	/* in: an rdtsc gap longer than this: another thread ran */
	uint64_t pauses_wanted;	/* in: stop after this many pauses... */
	uint64_t max_iters;	/* in: ...or this many rounds */
	uint64_t pauses;	/* out */
	uint64_t iters;		/* out */
	uint64_t bad;		/* out: rounds that saw another rounding mode or FTZ setting */
	bool sums_exact;	/* out: the running sums kept in registers came out right */
};

/* Sets p's FCW and MXCSR (and an empty x87 stack) for the compiled code that follows. */
void fpu_compute_setup(const struct fpu_pattern *p);

/* Runs the rounds of compute.c under p's control words (fpu_compute_setup first). */
void fpu_compute(const struct fpu_pattern *p, struct fpu_compute *c);

#endif
