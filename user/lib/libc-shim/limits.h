/* SPDX-License-Identifier: MIT */
/*
 * <limits.h> for the Argon2 reference code in capOS user space: gcc's own
 * (ULONG_MAX for encoding.c). Under -nostdinc gcc's limits.h would look for
 * a C library's limits.h after its own unless told there is none.
 */
#ifndef CAPOS_ARGON2_LIBC_LIMITS_H
#define CAPOS_ARGON2_LIBC_LIMITS_H

#define _LIBC_LIMITS_H_ 1
#include_next <limits.h>

#endif
