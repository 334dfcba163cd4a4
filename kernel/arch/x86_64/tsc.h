/* SPDX-License-Identifier: MIT */
/* The TSC as the monotonic clock (tsc.c); apic.c measures its rate. */
#ifndef CAPOS_ARCH_X86_64_TSC_H
#define CAPOS_ARCH_X86_64_TSC_H

#include <stdint.h>

/* Records the TSC rate measured against the PIT (0: unknown, 1 GHz assumed). Boot CPU, once. */
void tsc_calibrated(uint64_t hz);

#endif
