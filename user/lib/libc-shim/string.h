/* SPDX-License-Identifier: MIT */
/*
 * <string.h> for the Argon2 reference code in capOS user space (see
 * mk/argon2/rules.mk): the runtime's string functions (kernel/lib/string.c built
 * with the user flags). Only the Argon2 objects see this folder.
 */
#ifndef CAPOS_ARGON2_LIBC_STRING_H
#define CAPOS_ARGON2_LIBC_STRING_H

#include "../../../kernel/lib/string.h"

#endif
