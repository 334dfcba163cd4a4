/* SPDX-License-Identifier: MIT */
/*
 * NetworkManager.ping (ping.c): ICMP echo requests from the service, held
 * until their reply arrives or their timeout passes.
 */
#ifndef CAPOS_NET_PING_H
#define CAPOS_NET_PING_H

#include <stdint.h>

#include "server.h"

#define PING_SIZE_MAX 1472u
#define PING_TIMEOUT_MAX_MS 60000u
#define PING_INFLIGHT_MAX 16u		/* in the whole service (schema) */

void ping_init(void);
/* Sends one echo request and holds the call (SERVER_HELD), or raises. */
int ping_start(struct server_call *c, uint32_t address, uint16_t size, uint32_t timeout_ms);
/* Fails the pings whose time is up; returns ns until the next deadline (UINT64_MAX: none). */
uint64_t ping_expire(uint64_t now_ns);

#endif
