/* SPDX-License-Identifier: MIT */
/* memobj-check's parts: one process (main.c) and shares with memobj-peer (share.c). */
#ifndef MEMOBJ_CHECK_H
#define MEMOBJ_CHECK_H

#include "../memobj-peer/peer.h"
#include "capos.capnp.h"
#include "check.h"
#include "memobj.h"
#include "rt.h"

#define PG VM_PAGE

/* init's "memory" and "spawner". */
extern capos_cap_t factory, spawner;

/* Pages charged to this process's quota now. */
uint64_t used_pages(void);

void share_two(void);
void share_concurrent(void);
void share_three(void);
void share_thousand(void);
void share_creator_exits(void);
void share_killed(void);

#endif
