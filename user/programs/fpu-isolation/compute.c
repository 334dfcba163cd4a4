// SPDX-License-Identifier: MIT
/*
 * Floating point as compiled code uses it (compute.h): double arithmetic in
 * SSE registers under MXCSR, long double in the x87 stack under FCW. Each
 * process sets rounding modes of its own and then, until it has been
 * preempted enough times, keeps running sums in registers and asks the
 * arithmetic which rounding mode and flush-to-zero setting it sees. Another
 * thread's MXCSR or FCW, or its xmm or st values, leaking in at a switch
 * would change an answer or a sum.
 */
#include <float.h>

#include "compute.h"
#include "rt.h"

/* Operands loaded at run time: nothing is folded with the compiler's rounding. */
static volatile double d_one = 1.0, d_tiny = 0x1.8p-53;		/* 3/4 of an ulp of 1.0 */
static volatile double d_min = DBL_MIN, d_half = 0.5;
static volatile long double x_one = 1.0L, x_tiny = 0x1.8p-64L;	/* 3/4 of an ulp of 1.0L */

/*
 * The rounding mode from 1 + 3/4 ulp (rounded up: nearest or up) and
 * -1 - 3/4 ulp (rounded away from zero: nearest or down). 0 nearest, 1 down,
 * 2 up, 3 toward zero, as MXCSR.RC and FCW.RC encode them.
 */
static unsigned mode_of(bool up, bool away)
{
	return up ? (away ? 0 : 2) : (away ? 1 : 3);
}

static unsigned sse_rounding(void)
{
	double up = d_one + d_tiny, down = -d_one - d_tiny;

	return mode_of(up != 1.0, down != -1.0);
}

static unsigned x87_rounding(void)
{
	long double up = x_one + x_tiny, down = -x_one - x_tiny;

	return mode_of(up != 1.0L, down != -1.0L);
}

/* DBL_MIN / 2 is a denormal; with MXCSR.FTZ it becomes zero. */
static bool sse_flushes_to_zero(void)
{
	return d_min * d_half == 0.0;
}

void fpu_compute_setup(const struct fpu_pattern *p)
{
	__asm__ volatile("fninit\n\tfldcw %0\n\tldmxcsr %1" : : "m"(p->fcw), "m"(p->mxcsr));
}

void fpu_compute(const struct fpu_pattern *p, struct fpu_compute *c)
{
	unsigned sse_rc = fpu_pattern_sse_rounding(p), x87_rc = fpu_pattern_x87_rounding(p);
	bool ftz = (p->mxcsr >> 15) & 1;
	uint64_t last = rt_rdtsc(), t, n = 0;
	double sum = 0;
	long double xsum = 0;

	c->pauses = c->bad = 0;
	while (n < c->max_iters && c->pauses < c->pauses_wanted) {
		c->bad += sse_rounding() != sse_rc || x87_rounding() != x87_rc ||
			  sse_flushes_to_zero() != ftz;
		sum += (double)n;
		xsum += (long double)n;
		t = rt_rdtsc();
		c->pauses += t - last > c->pause_cycles;
		last = t;
		n++;
	}
	c->iters = n;
	/* Whole numbers below 2^53 (2^64 for long double): every sum is exact in every mode. */
	c->sums_exact = sum == (double)(n * (n - 1) / 2) && xsum == (long double)(n * (n - 1) / 2);
}
