/* SPDX-License-Identifier: MIT */
/*
 * An IPC peer: what an endpoint needs to reach a process that takes part in a
 * call (its ring, address space and capability table), in a refcounted
 * record that outlives the process. Calls and waiting RECVs hold a reference;
 * the process clears `alive` under `lock` as it starts to exit, after which
 * nobody touches its ring, memory or table through this record. The same
 * record lists the process's calls pending on kernel objects (ipc/kcall.h),
 * which its exit withdraws.
 *
 * Lock order: endpoint lock or a kernel object's lock, then peer lock (a
 * peer lock is held only to check `alive` and act on the process's ring,
 * memory, table and pending-call list).
 */
#ifndef CAPOS_KERNEL_IPC_PEER_H
#define CAPOS_KERNEL_IPC_PEER_H

#include "cap/table.h"
#include "lib/spinlock.h"
#include "mm/addrspace.h"
#include "ring/ring.h"

struct kcall;

struct ipc_peer {
	struct spinlock lock;	/* guards alive, kcalls and every use of the pointers below */
	uint32_t refs;		/* atomic */
	bool alive;
	struct ring *ring;
	struct addrspace *as;
	struct cap_table *caps;
	struct kcall *kcalls;	/* its calls pending on kernel objects (ipc/kcall.h) */
	uint32_t nkcalls;	/* how many: at most KCALL_MAX_PER_PROC */
};

struct ipc_peer *ipc_peer_create(struct ring *ring, struct addrspace *as, struct cap_table *caps);
void ipc_peer_get(struct ipc_peer *p);
void ipc_peer_put(struct ipc_peer *p);
/*
 * The process is going away: no more deliveries to it, and its calls
 * pending on kernel objects are withdrawn from them; returns how many
 * there were. No lock held.
 */
uint32_t ipc_peer_kill(struct ipc_peer *p);

#endif
