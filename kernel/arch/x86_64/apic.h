/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_ARCH_X86_64_APIC_H
#define CAPOS_ARCH_X86_64_APIC_H

#include <stdint.h>

/* Masks the legacy 8259 PICs (after moving them off the exception vectors). */
void pic_disable(void);
/* Enables this CPU's local APIC (xAPIC MMIO mode) with the spurious vector. */
void lapic_init(void);
/*
 * Measures the LAPIC timer against PIT channel 2 and starts a periodic tick of
 * `hz` on VEC_TIMER. Returns the measured LAPIC timer count per millisecond
 * (divide-by-16), or 0 if the PIT gave no answer (the tick then assumes 1 GHz).
 */
uint32_t lapic_timer_start(unsigned hz);
void lapic_eoi(void);
uint32_t lapic_id(void);

#endif
