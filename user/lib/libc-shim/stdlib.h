/* SPDX-License-Identifier: MIT */
/*
 * <stdlib.h> for the Argon2 reference code in capOS user space: the
 * runtime's heap (rt.c). The 19 MiB of blocks do not come from here:
 * user/lib/argon2id_mem.c maps them through VirtualMemory.
 */
#ifndef CAPOS_ARGON2_LIBC_STDLIB_H
#define CAPOS_ARGON2_LIBC_STDLIB_H

#include <stddef.h>

void *malloc(size_t n);
void *calloc(size_t count, size_t n);
void free(void *p);

#endif
