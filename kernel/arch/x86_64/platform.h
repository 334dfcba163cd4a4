/* SPDX-License-Identifier: MIT */
/*
 * Bring-up entry points of the x86_64 platform, called in order by kmain
 * through arch_init_* (kernel/arch/arch_init.h).
 */
#ifndef CAPOS_ARCH_X86_64_PLATFORM_H
#define CAPOS_ARCH_X86_64_PLATFORM_H

#include <stdint.h>

uint32_t timer_init(void);
/* Starts the calling AP's tick at the boot CPU's measured rate (after timer_init). */
void timer_start_ap(void);

#endif
