/* SPDX-License-Identifier: MIT */
/*
 * capOS ABI basics shared by every ABI header: fixed-width integer types and
 * the layout-assertion helpers. Every structure that crosses the user/kernel
 * boundary (or is read by a host tool) is built only from the fixed-width
 * types below, with natural alignment and every gap named (`reserved`, must be
 * zero, or `_pad`). Each ABI header asserts its own sizes and offsets, so any
 * compiler that includes it checks the layout it will use.
 *
 * Assembly may include ABI headers too: C-only parts sit under
 * `#ifndef __ASSEMBLY__`; constants are plain `#define`s so `.S` files can use
 * them. C++ consumers (host tools) get `static_assert` for `_Static_assert`.
 */
#ifndef CAPOS_TYPES_H
#define CAPOS_TYPES_H

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define CAPOS_STATIC_ASSERT(expr, msg) static_assert(expr, msg)
#else
#define CAPOS_STATIC_ASSERT(expr, msg) _Static_assert(expr, msg)
#endif

/* Size and field-offset checks; the message names the structure. */
#define CAPOS_ABI_SIZE(type, size) \
	CAPOS_STATIC_ASSERT(sizeof(type) == (size), #type " size is ABI")
#define CAPOS_ABI_OFFSET(type, field, off) \
	CAPOS_STATIC_ASSERT(offsetof(type, field) == (off), #type "." #field " offset is ABI")

/* A 128-bit opaque value (e.g. a caller-session reference), as two words. */
struct capos_u128 {
	uint64_t lo;		/*  0: low 64 bits */
	uint64_t hi;		/*  8: high 64 bits */
};
CAPOS_ABI_SIZE(struct capos_u128, 16);
CAPOS_ABI_OFFSET(struct capos_u128, lo, 0);
CAPOS_ABI_OFFSET(struct capos_u128, hi, 8);
#endif /* !__ASSEMBLY__ */

/* Page size of every capOS address space; ABI regions are multiples of it. */
#define CAPOS_PAGE_SIZE 4096

#endif /* CAPOS_TYPES_H */
