/* SPDX-License-Identifier: MIT */
/* The direct map of physical memory (layout.h), for arch/arch.h's inline helpers. */
#ifndef CAPOS_ARCH_X86_64_DIRECT_MAP_H
#define CAPOS_ARCH_X86_64_DIRECT_MAP_H

#include "arch/x86_64/layout.h"
#include "lib/types.h"

static inline void *arch_phys_to_virt(paddr_t pa)
{
	return (void *)(DIRECT_MAP_BASE + pa);
}

#endif
