/* SPDX-License-Identifier: MIT */
/*
 * Socket quotas of NetworkManagers (schema/net.capnp, docs/network.md):
 * each manager has a limit of sockets and listeners open at once, and a
 * manager made by `restrict` counts against its parent's limit too. Pure
 * logic (host unit test tests/unit/net/test_quota.c).
 */
#ifndef CAPOS_NET_QUOTA_H
#define CAPOS_NET_QUOTA_H

#include <stdbool.h>
#include <stdint.h>

#define NET_QUOTA_DEPTH_MAX 8u	/* restrict chains longer than this are refused */

struct net_quota {
	struct net_quota *parent;	/* NULL for the exported manager */
	uint16_t max;
	uint16_t used;
	uint8_t depth;			/* 0 for the exported manager */
	uint16_t children;		/* managers restricted from this one, still open */
};

void quota_init_root(struct net_quota *q, uint16_t max);

/* A child of parent with its own max (1..parent->max); false when max is bad or too deep. */
bool quota_init_child(struct net_quota *q, struct net_quota *parent, uint16_t max);

/* Takes one socket from q and every ancestor, or none (false) when any is full. */
bool quota_take(struct net_quota *q);

/* Gives one back to q and every ancestor (a socket closed). */
void quota_give(struct net_quota *q);

/* Ends a child manager: its parent forgets it (its sockets keep their charges). */
void quota_fini_child(struct net_quota *q);

#endif
