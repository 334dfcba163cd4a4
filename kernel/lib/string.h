/* SPDX-License-Identifier: MIT */
/*
 * The C string and memory functions the kernel needs. The kernel has no libc,
 * yet GCC emits calls to memcpy, memset, memmove and memcmp for struct copies
 * and initialisers even with -ffreestanding, so these must exist under their
 * standard names with their standard contracts. On the host the same
 * declarations resolve to libc, so code shared with host tests just works.
 */
#ifndef CAPOS_KERNEL_LIB_STRING_H
#define CAPOS_KERNEL_LIB_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strncmp(const char *a, const char *b, size_t n);
int strcmp(const char *a, const char *b);

#endif
