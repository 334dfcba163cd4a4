/* SPDX-License-Identifier: MIT */
/*
 * lwIP's architecture header for capOS user space (docs/network.md): the
 * compiler is gcc on x86_64 (little endian), no C library. lwIP's own
 * <inttypes.h>/<ctype.h> uses are replaced by what it offers as fallbacks;
 * diagnostics and failed assertions go to the service's log (port.c).
 */
#ifndef CAPOS_NET_LWIP_ARCH_H
#define CAPOS_NET_LWIP_ARCH_H

#include <stddef.h>
#include <stdint.h>

#define LWIP_NO_INTTYPES_H 1
#define LWIP_NO_CTYPE_H 1
#define LWIP_NO_UNISTD_H 1

/* printf formats lwIP's debug output uses (only with LWIP_DEBUG). */
#define X8_F "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

#define BYTE_ORDER LITTLE_ENDIAN


/* The runtime's heap (MEM_LIBC_MALLOC, MEMP_MEM_MALLOC in lwip_config.h). */
void *malloc(size_t n);
void *calloc(size_t count, size_t n);
void free(void *p);

/* netif_find() parses an interface number; lwIP includes no <stdlib.h> for it. */
int net_lwip_atoi(const char *s);
#define atoi(s) net_lwip_atoi(s)

void net_lwip_diag(const char *msg);
void net_lwip_assert(const char *msg, const char *file, int line) __attribute__((noreturn));

#define LWIP_PLATFORM_DIAG(x) do { } while (0)
#define LWIP_PLATFORM_ASSERT(x) net_lwip_assert((x), __FILE__, __LINE__)

/* TCP initial sequence numbers and ports come from here: seeded from entropy (port.c). */
uint32_t net_lwip_rand(void);
#define LWIP_RAND() net_lwip_rand()

#endif
