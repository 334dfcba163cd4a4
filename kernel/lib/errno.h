/* SPDX-License-Identifier: MIT */
/*
 * Kernel-internal error codes: small negative ints returned by fallible kernel
 * functions (0 means success). They stay inside the kernel; errors that cross
 * the ABI are the CAPOS_ERR_* codes of include/capos/, to which a system call
 * translates these. Grouped so that a value alone says what went wrong.
 */
#ifndef CAPOS_KERNEL_LIB_ERRNO_H
#define CAPOS_KERNEL_LIB_ERRNO_H

enum {
	ERR_NOMEM = -1,		/* no memory (or no block of the requested size) left */
	ERR_INVAL = -2,		/* malformed argument: bad order, unaligned address, bad size */
	ERR_RANGE = -3,		/* address or index outside the managed range */
	ERR_DOUBLE_FREE = -4,	/* freeing something that is already free */
	ERR_RESERVED = -5,	/* freeing or touching a reserved frame */
	ERR_NOT_OWNER = -6,	/* object does not belong to this allocator or cache */
	ERR_MALFORMED = -7,	/* untrusted input (boot information) fails validation */
	ERR_TRUNCATED = -8,	/* input ends before a structure it announces */
	ERR_OVERFLOW = -9,	/* a fixed-capacity table is full; the excess was dropped */
};

#endif
