/* SPDX-License-Identifier: MIT */
/*
 * lwIP's network interface over the virtio-net device (netif.c): frames
 * lwIP sends go out through vnet_sendv, frames received are handed to lwIP
 * in batches per interrupt. Without a NIC (no `nic` grant) the interface
 * still has its address, and traffic to it loops back inside lwIP.
 */
#ifndef CAPOS_NET_NETIF_GLUE_H
#define CAPOS_NET_NETIF_GLUE_H

#include <stdbool.h>
#include <stdint.h>

#include <capos/cap.h>
#include <capos/ring.h>

#define NETIF_IRQ_USER_DATA 0x6e65746972710000ull	/* "netirq": the NIC's interrupt CQEs */

/* Opens the NIC (nic may be CAPOS_CAP_INVALID) and brings the interface up. 0 or CAPOS_ERR_*. */
int netif_glue_init(capos_cap_t nic);
/* A completion the loop did not expect: true if it was the NIC's (then handled). */
bool netif_glue_completion(const struct capos_cqe *cqe);
/* Delivers looped-back packets and frames still in the receive ring. */
void netif_glue_poll(void);
/*
 * Every NETIF_WATCHDOG_NS: kicks a transmit queue the device stopped taking
 * (vnet_tx_watchdog). True while transmit buffers are in flight.
 */
#define NETIF_WATCHDOG_NS 200000000ull
bool netif_glue_watchdog(void);
bool netif_glue_up(void);
void netif_glue_mac(uint8_t mac[6]);
uint16_t netif_glue_mtu(void);

#endif
