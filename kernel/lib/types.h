/* SPDX-License-Identifier: MIT */
/*
 * Scalar types with a meaning shared by all kernel code. Physical and virtual
 * addresses are both 64-bit integers, never pointers: a physical address must go
 * through the direct map (or a caller-supplied translation) before it can be
 * dereferenced, and keeping it an integer makes an accidental dereference a
 * compile error. The header is freestanding and also compiles on the host.
 */
#ifndef CAPOS_KERNEL_LIB_TYPES_H
#define CAPOS_KERNEL_LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;	/* physical address */
typedef uint64_t vaddr_t;	/* virtual address */

#define PAGE_SHIFT 12
#define PAGE_SIZE ((uint64_t)1 << PAGE_SHIFT)

/* A range of physical memory [base, base + len); len 0 is an empty range. */
struct phys_range {
	paddr_t base;		/* first byte */
	uint64_t len;		/* length in bytes */
};

#ifndef __must_check
#define __must_check __attribute__((warn_unused_result))
#endif

#endif
