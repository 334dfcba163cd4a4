// SPDX-License-Identifier: MIT
/* IPC peers: see peer.h. */
#include "ipc/kcall.h"
#include "ipc/peer.h"
#include "mm/kmalloc.h"

struct ipc_peer *ipc_peer_create(struct ring *ring, struct addrspace *as, struct cap_table *caps)
{
	struct ipc_peer *p = kzalloc(sizeof(*p));

	if (p) {
		spin_init_class(&p->lock, LOCK_RANK_IPC_PEER);
		p->refs = 1;
		p->alive = true;
		p->ring = ring;
		p->as = as;
		p->caps = caps;
	}
	return p;
}

void ipc_peer_get(struct ipc_peer *p)
{
	__atomic_fetch_add(&p->refs, 1, __ATOMIC_RELAXED);
}

void ipc_peer_put(struct ipc_peer *p)
{
	if (__atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) == 0)
		(void)kfree(p);
}

uint32_t ipc_peer_kill(struct ipc_peer *p)
{
	struct kcall *pending;
	uint32_t n;

	spin_lock(&p->lock);
	p->alive = false;
	n = p->nkcalls;
	pending = kcall_peer_take_locked(p);	/* in the same hold: none is answered after */
	spin_unlock(&p->lock);
	kcall_withdraw_all(pending);
	return n;
}
