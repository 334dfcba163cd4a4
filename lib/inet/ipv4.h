/* SPDX-License-Identifier: MIT */
/*
 * Dotted IPv4 text: "a.b.c.d" <-> (a << 24) | (b << 16) | (c << 8) | d, the
 * form schema/net.capnp carries. Pure, freestanding; host-tested
 * (tests/unit/inet).
 */
#ifndef CAPOS_LIB_INET_IPV4_H
#define CAPOS_LIB_INET_IPV4_H

#include <stddef.h>
#include <stdint.h>

#define IPV4_TEXT_MAX 16	/* "255.255.255.255" and its NUL */

/*
 * Parses s[0..len) as exactly four decimal parts 0..255, each 1..3 digits,
 * separated by dots, nothing else. 0 and *addr, or -1.
 */
int ipv4_parse(const char *s, size_t len, uint32_t *addr);

/* Writes addr as "a.b.c.d" and a NUL into out[IPV4_TEXT_MAX]; returns its length. */
size_t ipv4_format(uint32_t addr, char out[IPV4_TEXT_MAX]);

#endif
