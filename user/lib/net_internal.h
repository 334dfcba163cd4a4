/* SPDX-License-Identifier: MIT */
/* Shared by net.c and net_calls.c (net.h's implementation); not a public interface. */
#ifndef CAPOS_USER_NET_INTERNAL_H
#define CAPOS_USER_NET_INTERNAL_H

#include "capnp/capnp.h"
#include "net.h"

/* The scratch arena: a write's data plus the message's framing and pointers. */
#define NET_SCRATCH_WORDS (NET_TCP_IO_MAX / 8 + 16)

/* Starts building params in *m, in the scratch arena. 0 or CAPOS_ERR_NO_MEMORY. */
int net_begin(struct capnp_msg *m);

/* Frames *m into params[0..psize) and queues (and publishes) CALL method of cap. */
int net_queue(struct uring *r, capos_cap_t cap, uint16_t method, struct capnp_msg *m,
	      uint64_t *params, size_t psize, uint64_t *result, size_t rsize, uint64_t *user_data);

/* Opens a completed call's answer in *m (client_open_answer); *exc_type when it raised. */
int net_open(const struct capos_cqe *cqe, const uint64_t *result, size_t rsize,
	     struct capnp_msg *m, uint16_t *exc_type);

/* Capability record `index` of the answer, which must be of interface iface. */
int net_record(const struct capos_cqe *cqe, const uint64_t *result, size_t rsize,
	       uint32_t index, uint64_t iface, capos_cap_t *cap);

#endif
