/* SPDX-License-Identifier: MIT */
/*
 * String and memory functions for user programs. There is no libc: the
 * definitions are the kernel's (kernel/lib/string.c, compiled again with the
 * user flags) because gcc emits calls to memcpy/memset/memmove/memcmp for
 * struct copies even with -ffreestanding, so the declarations are the
 * kernel's too. On the host they resolve to libc.
 */
#ifndef CAPOS_USER_USTRING_H
#define CAPOS_USER_USTRING_H

#include "../../kernel/lib/string.h"

#endif
