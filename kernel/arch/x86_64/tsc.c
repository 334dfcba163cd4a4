// SPDX-License-Identifier: MIT
/*
 * The monotonic clock: nanoseconds since the kernel's first instruction,
 * read from the time-stamp counter. apic.c measures the TSC's rate against
 * PIT channel 2 in the same windows as the LAPIC timer's; from then on
 *
 *	ns = (tsc - boot_tsc) * mult >> 32,   mult = 10^9 * 2^32 / tsc_hz,
 *
 * a 64 x 64 -> 128-bit product, so no division on the read path and no
 * overflow for 584 years of uptime. Under QEMU -icount shift=0 the TSC
 * counts one per nanosecond of virtual time; the measured rate (999,978,607
 * Hz there: the PIT's edge is seen a poll late) is rounded to a multiple of
 * 100 kHz, which a rate read off 250 us windows is not better than anyway,
 * so it is exactly 1 GHz there and mult exactly 2^32. Elsewhere the clock
 * runs off by the calibration's error: the rounding's 50 ppm at 1 GHz (20 at
 * 2.5 GHz) plus what the windows misjudged. Resolution: one TSC count (1 ns
 * or less), reported in whole nanoseconds.
 *
 * Monotonic on one CPU (the TSC only counts up; an invariant TSC, which the
 * cpu: line reports, also keeps its rate through power states). Before the
 * calibration the clock reads 0. M8 must keep the TSCs of all CPUs in step
 * (they are, on an invariant TSC started at reset) or fall back to a shared
 * source.
 */
#include "arch/arch.h"
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/x86.h"
#include "lib/kprintf.h"

#define NS_PER_S 1000000000ull
#define TSC_ROUND_HZ 100000ull
#define TSC_FALLBACK_HZ NS_PER_S	/* the PIT gave no answer */

extern uint64_t boot_tsc;	/* boot.S: the TSC at the kernel's first instruction */

static uint64_t tsc_hz;		/* set once at boot, before any reader */
static uint64_t tsc_mult;	/* ns per TSC count, 32.32 fixed point */

void tsc_calibrated(uint64_t hz)
{
	klog("tsc: measured %llu Hz against the PIT\n", (unsigned long long)hz);
	hz = (hz + TSC_ROUND_HZ / 2) / TSC_ROUND_HZ * TSC_ROUND_HZ;
	if (hz < TSC_ROUND_HZ)
		hz = TSC_FALLBACK_HZ;
	tsc_hz = hz;
	/* 10^9 * 2^32 fits in 64 bits (4.3e18). */
	__atomic_store_n(&tsc_mult, (NS_PER_S << 32) / hz, __ATOMIC_RELEASE);
}

uint64_t arch_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t arch_now_ns(void)
{
	uint64_t mult = __atomic_load_n(&tsc_mult, __ATOMIC_ACQUIRE);
	uint32_t lo, hi;

	/* lfence: the read is not hoisted above earlier loads (a clock read orders with them). */
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	uint64_t delta = (((uint64_t)hi << 32) | lo) - boot_tsc;
	return (uint64_t)(((unsigned __int128)delta * mult) >> 32);
}
