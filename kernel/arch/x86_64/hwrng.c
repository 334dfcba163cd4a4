// SPDX-License-Identifier: MIT
/*
 * The CPU's random number instructions (arch.h: arch_rdseed64,
 * arch_rdrand64), used only when CPUID reports them. Either may fail
 * transiently (CF clear) when the hardware's buffer is empty: RDRAND is
 * retried 10 times, as Intel's guide to its DRNG says a working unit
 * practically never fails that often; RDSEED, which waits for fresh
 * entropy and fails more readily, 100 times with a pause between. The
 * values are not judged here: kernel/lib/rng.c mixes them with its other
 * sources and checks them for the failures seen in the field (all ones,
 * the same value again).
 */
#include "arch/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/x86.h"

#define RDRAND_TRIES 10
#define RDSEED_TRIES 100

bool arch_rdrand64(uint64_t *v)
{
	if (!cpu_features.rdrand)
		return false;
	for (int i = 0; i < RDRAND_TRIES; i++)
		if (rdrand64(v))
			return true;
	return false;
}

bool arch_rdseed64(uint64_t *v)
{
	if (!cpu_features.rdseed)
		return false;
	for (int i = 0; i < RDSEED_TRIES; i++) {
		if (rdseed64(v))
			return true;
		pause();
	}
	return false;
}
