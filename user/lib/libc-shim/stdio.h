/* SPDX-License-Identifier: MIT */
/*
 * <stdio.h> for the Argon2 reference code in capOS user space. encoding.c
 * formats the PHC string's numbers with sprintf into a 30-byte buffer
 * (`char tmp[30]`, "%lu": at most 21 bytes); user/lib/argon2_sprintf.c gives it that, bounded.
 */
#ifndef CAPOS_ARGON2_LIBC_STDIO_H
#define CAPOS_ARGON2_LIBC_STDIO_H

int sprintf(char *buf, const char *fmt, ...) __attribute__((format(__printf__, 2, 3)));

#endif
