/* SPDX-License-Identifier: MIT */
/*
 * What the typed clients split over several files (client.c, spawn.c) share:
 * one params message, one answer, and the call that joins them. Not for
 * programs: they use client.h.
 */
#ifndef CAPOS_USER_CLIENT_INTERNAL_H
#define CAPOS_USER_CLIENT_INTERNAL_H

#include <stdbool.h>

#include <capos/cap.h>
#include <capos/ring.h>

#include "capnp/capnp.h"

extern struct capnp_msg client_msg;	/* params being built */
extern struct capnp_msg client_reply;	/* result being read */

/* Starts building params in client_msg; false if the buffers cannot be had. */
bool client_begin(void);

/*
 * CALLs method of cap with the message built in client_msg, sending xfer;
 * the answer opens in client_reply (client_open_answer's result).
 */
int client_call(capos_cap_t cap, uint16_t method, const struct capos_xfer *xfer, uint8_t nxfer,
		struct capos_cqe *cqe);

/* Transfer record i of the last answer, if its interface is iface. */
int client_record(const struct capos_cqe *cqe, uint32_t i, uint64_t iface, capos_cap_t *cap);

#endif
