/* SPDX-License-Identifier: MIT */
/*
 * Unaligned-safe little-endian loads for the boot information parsers. Boot
 * loader memory gives no alignment guarantee we want to trust (and fuzzers
 * feed arbitrary buffers); a fixed-size __builtin_memcpy compiles to one load.
 */
#ifndef CAPOS_KERNEL_BOOT_MB_READ_H
#define CAPOS_KERNEL_BOOT_MB_READ_H

#include "lib/types.h"

static inline uint32_t mb_read32(const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t mb_read64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

#endif
