/* SPDX-License-Identifier: MIT */
/*
 * Application processors (docs/smp.md): found in the MADT, started with
 * INIT-SIPI-SIPI through trampoline.S, set up like the boot CPU, then idle.
 */
#ifndef CAPOS_ARCH_X86_64_SMP_H
#define CAPOS_ARCH_X86_64_SMP_H

#include <stdint.h>

struct boot_info;

/*
 * Starts every enabled CPU the MADT lists, one at a time, and prints
 * "smp: N CPUs online". A CPU that does not answer within a bound is
 * reported, sent INIT again (so it cannot wake later) and skipped. Boot
 * CPU, once, after the tick runs and the frame allocator and heap exist.
 */
void smp_start(const struct boot_info *bi);

/* CPUs online: cpus[0 .. smp_cpu_count()) are set up and take interrupts. */
uint32_t smp_cpu_count(void);

/* The trampoline's guest-instruction cost (TSC counts spent in smp_start), for the boot bench. */
uint64_t smp_start_cycles(void);

#endif
