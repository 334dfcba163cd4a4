/* SPDX-License-Identifier: MIT */
/* Architecture bring-up steps called by kmain, in this order. */
#ifndef CAPOS_ARCH_ARCH_INIT_H
#define CAPOS_ARCH_ARCH_INIT_H

#include "boot/bootinfo.h"
#include "lib/types.h"

/* Console, CPU tables, boot information and final page tables. Panics on failure. */
void arch_early_init(uint32_t magic, paddr_t info_pa, struct boot_info *bi);
void arch_print_cpu(void);
/* The frame allocator is up: later page tables come from it. */
void arch_memory_ready(void);
/* Interrupt controllers and the periodic tick; enables interrupts. Returns timer counts/ms. */
uint32_t arch_start_timer(void);
/* Starts the other CPUs (they idle until the per-CPU scheduler); prints how many are online. */
void arch_start_cpus(const struct boot_info *bi);

#endif
