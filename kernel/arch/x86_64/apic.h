/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_ARCH_X86_64_APIC_H
#define CAPOS_ARCH_X86_64_APIC_H

#include <stdbool.h>
#include <stdint.h>

/* Masks the legacy 8259 PICs (after moving them off the exception vectors). */
void pic_disable(void);
/* Maps the local APIC (xAPIC MMIO mode) and enables the boot CPU's with the spurious vector. */
void lapic_init(void);
/* Enables the calling CPU's local APIC (an AP's; after lapic_init on the boot CPU). */
void lapic_enable_this_cpu(void);
/*
 * Measures the LAPIC timer against PIT channel 2 and starts a periodic tick of
 * `hz` on VEC_TIMER. Returns the measured LAPIC timer count per millisecond
 * (divide-by-16), or 0 if the PIT gave no answer (the tick then assumes 1 GHz).
 */
uint32_t lapic_timer_start(unsigned hz);
/* The periodic tick at a rate the boot CPU measured (every LAPIC timer runs off one clock). */
void lapic_timer_run(uint32_t per_ms, unsigned hz);
void lapic_eoi(void);
/*
 * Inter-processor interrupts through this CPU's ICR (interrupts off while it
 * is written). Each waits, bounded, for the LAPIC to accept the command and returns false
 * if it never did. xAPIC destinations are 8-bit APIC ids.
 */
bool lapic_send_init(uint32_t apic_id);
bool lapic_send_startup(uint32_t apic_id, uint32_t page);
bool lapic_send_ipi(uint32_t apic_id, unsigned vector);
bool lapic_send_ipi_others(unsigned vector);
uint32_t lapic_id(void);

#endif
