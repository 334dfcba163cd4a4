/* SPDX-License-Identifier: MIT */
/*
 * String and memory functions for user programs. There is no libc: the
 * definitions are the kernel's (kernel/lib/string.c, compiled again with the
 * user flags) because gcc emits calls to memcpy/memset/memmove/memcmp for
 * struct copies even with -ffreestanding, and the contracts are the standard
 * ones. On the host these declarations resolve to libc.
 */
#ifndef CAPOS_USER_USTRING_H
#define CAPOS_USER_USTRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strncmp(const char *a, const char *b, size_t n);

#endif
