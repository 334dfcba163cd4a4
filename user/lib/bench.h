/* SPDX-License-Identifier: MIT */
/*
 * Measurement helpers for benchmark programs (contracts.md "Benchmarks"):
 * each figure is the median of many samples taken after a warm-up, with
 * rt_rdtsc() as the clock (one tick per guest instruction under QEMU
 * -icount shift=0). Output lines are "BENCH <name> <value> <unit>".
 */
#ifndef CAPOS_USER_BENCH_H
#define CAPOS_USER_BENCH_H

#include <stdint.h>

/* Median of v[0..n) (n >= 1); sorts v in place (insertion sort: n is small). */
static inline uint64_t bench_median(uint64_t *v, uint32_t n)
{
	uint32_t i, j;

	for (i = 1; i < n; i++) {
		uint64_t x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
