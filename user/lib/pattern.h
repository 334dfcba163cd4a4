/* SPDX-License-Identifier: MIT */
/*
 * Byte patterns for the IPC test programs: byte i of a message with tag t
 * depends on both, so a check finds a byte that went to the wrong place,
 * came from the wrong message or was not written at all.
 */
#ifndef CAPOS_USER_PATTERN_H
#define CAPOS_USER_PATTERN_H

#include <stdbool.h>
#include <stdint.h>

static inline uint8_t pattern_byte(uint32_t tag, uint32_t i)
{
	return (uint8_t)(tag * 37u + i * 7u + 1u);
}

static inline void pattern_fill(void *p, uint32_t tag, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		((uint8_t *)p)[i] = pattern_byte(tag, i);
}

static inline bool pattern_same(const void *p, uint32_t tag, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (((const uint8_t *)p)[i] != pattern_byte(tag, i))
			return false;
	return true;
}

/* A pointer as the user address an SQE carries. */
static inline uint64_t uaddr_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

#endif
