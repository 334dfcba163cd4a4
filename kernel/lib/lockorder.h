/* SPDX-License-Identifier: MIT */
/*
 * Lock classes and the order they nest in (docs/locking.md "Lock order"),
 * and the pure logic of the debug build's run-time order check: a stack of
 * the locks one CPU holds, and the rule a new lock must satisfy against it.
 *
 * Every kernel spinlock has a rank (its class). Ranks grow from outer to
 * inner: a CPU may take a lock only if its rank is strictly greater than the
 * rank of every lock it holds. Two locks of one rank never nest, except in a
 * rank marked LOCK_NEST_BY_KEY, whose locks nest in ascending key order (the
 * per-CPU run queues, key = CPU index). The check runs before the lock is
 * waited for, so an inversion is reported even when it would deadlock.
 *
 * Header-only and freestanding: the kernel (lib/lockdep.c, per CPU) and the
 * host tests (a thread-local stack, tests/unit/cap/kstub.c) share it, and
 * tests/unit/lib/test_lockorder.c tests it.
 */
#ifndef CAPOS_KERNEL_LIB_LOCKORDER_H
#define CAPOS_KERNEL_LIB_LOCKORDER_H

#include <stdbool.h>
#include <stdint.h>

/* Outer to inner; keep lock_rank_info() and docs/locking.md in step. */
enum lock_rank {
	LOCK_RANK_NONE = 0,	/* unclassified: the kernel refuses to take it */
	LOCK_RANK_ENDPOINT,	/* endpoint.lock: level 0 */
	LOCK_RANK_PCI_IRQ,	/* pci_irq_lock: before a pci_device.lock */
	LOCK_RANK_KCALL_OBJ,	/* level 1: an object lock over pending calls */
	LOCK_RANK_PARK,		/* park_lock: level 2c, taken with nothing held */
	LOCK_RANK_VM_OBJECT,	/* VirtualMemory's lock: level 2 */
	LOCK_RANK_PROC,		/* proc.lock: level 2b */
	LOCK_RANK_IPC_PEER,	/* ipc_peer.lock: one at a time */
	LOCK_RANK_CAP_TABLE,	/* cap_table.lock: under a peer or a child's handle */
	LOCK_RANK_RING_CQ,	/* ring.cq_lock: level 3 */
	LOCK_RANK_REVOKE_SET,	/* revoke_set.lock: a leaf of the cap code */
	LOCK_RANK_ADDRSPACE,	/* addrspace.lock: only allocator locks inside */
	LOCK_RANK_KMEM_REGISTRY, /* the slab cache list, before a cache's lock */
	LOCK_RANK_MMIO,		/* kernel page tables: may take a frame */
	LOCK_RANK_ALLOC,	/* a slab cache, kmalloc's and kstack's counters */
	LOCK_RANK_FRAME,	/* the frame allocator */
	LOCK_RANK_ACCOUNT,	/* mem_account.lock: level 6 */
	LOCK_RANK_LEAF,		/* leaves taken in thread context only */
	LOCK_RANK_IRQ_LEAF,	/* leaves an interrupt handler takes (interrupts off) */
	LOCK_RANK_RUNQ,		/* the scheduler's lock (per-CPU run queues: by CPU index) */
	LOCK_RANK_CONSOLE,	/* the serial console: innermost */
	LOCK_RANK_COUNT
};

enum lock_nesting {
	LOCK_NEST_NEVER,	/* two locks of the rank are never held at once */
	LOCK_NEST_BY_KEY,	/* they nest in strictly ascending key order */
};

struct lock_rank_info {
	const char *name;
	enum lock_nesting nesting;
};

static inline struct lock_rank_info lock_rank_info(unsigned rank)
{
	static const struct lock_rank_info table[LOCK_RANK_COUNT] = {
		[LOCK_RANK_NONE] = { "unclassified", LOCK_NEST_NEVER },
		[LOCK_RANK_ENDPOINT] = { "endpoint", LOCK_NEST_NEVER },
		[LOCK_RANK_PCI_IRQ] = { "pci_irq", LOCK_NEST_NEVER },
		[LOCK_RANK_KCALL_OBJ] = { "kcall-object", LOCK_NEST_NEVER },
		[LOCK_RANK_PARK] = { "park", LOCK_NEST_NEVER },
		[LOCK_RANK_VM_OBJECT] = { "vm_object", LOCK_NEST_NEVER },
		[LOCK_RANK_PROC] = { "proc", LOCK_NEST_NEVER },
		[LOCK_RANK_IPC_PEER] = { "ipc_peer", LOCK_NEST_NEVER },
		[LOCK_RANK_CAP_TABLE] = { "cap_table", LOCK_NEST_NEVER },
		[LOCK_RANK_RING_CQ] = { "ring.cq", LOCK_NEST_NEVER },
		[LOCK_RANK_REVOKE_SET] = { "revoke_set", LOCK_NEST_NEVER },
		[LOCK_RANK_ADDRSPACE] = { "addrspace", LOCK_NEST_NEVER },
		[LOCK_RANK_KMEM_REGISTRY] = { "kmem_registry", LOCK_NEST_NEVER },
		[LOCK_RANK_MMIO] = { "mmio", LOCK_NEST_NEVER },
		[LOCK_RANK_ALLOC] = { "alloc", LOCK_NEST_NEVER },
		[LOCK_RANK_FRAME] = { "frame", LOCK_NEST_NEVER },
		[LOCK_RANK_ACCOUNT] = { "mem_account", LOCK_NEST_NEVER },
		[LOCK_RANK_LEAF] = { "leaf", LOCK_NEST_NEVER },
		[LOCK_RANK_IRQ_LEAF] = { "irq-leaf", LOCK_NEST_NEVER },
		[LOCK_RANK_RUNQ] = { "runq", LOCK_NEST_BY_KEY },
		[LOCK_RANK_CONSOLE] = { "console", LOCK_NEST_NEVER },
	};

	if (rank >= LOCK_RANK_COUNT)
		return (struct lock_rank_info){ "invalid", LOCK_NEST_NEVER };
	return table[rank];
}

/* Deep enough for the longest legal chain (one lock per rank at most, plus keyed pairs). */
#define LOCK_HELD_MAX 16

struct lock_held {
	const void *lock;
	uint16_t rank;
	uint16_t key;
	uintptr_t pc;		/* where it was taken */
};

struct lock_held_stack {
	uint32_t depth;
	struct lock_held held[LOCK_HELD_MAX];
};

/* May a lock of (rank, key) be taken while `h` is held? */
static inline bool lock_order_allows(const struct lock_held *h, unsigned rank, unsigned key)
{
	if (rank > h->rank)
		return true;
	return rank == h->rank && lock_rank_info(rank).nesting == LOCK_NEST_BY_KEY &&
	       key > h->key;
}

/* Index of the innermost held lock that forbids taking (lock, rank, key), or -1. */
static inline int lock_order_conflict(const struct lock_held_stack *s, const void *lock,
				      unsigned rank, unsigned key)
{
	for (uint32_t i = s->depth; i-- > 0;) {
		if (s->held[i].lock == lock || !lock_order_allows(&s->held[i], rank, key))
			return (int)i;
	}
	return -1;
}

/* Records a lock as held; false when the stack is full. */
static inline bool lock_held_push(struct lock_held_stack *s, const void *lock, unsigned rank,
				  unsigned key, uintptr_t pc)
{
	if (s->depth >= LOCK_HELD_MAX)
		return false;
	s->held[s->depth++] = (struct lock_held){ lock, (uint16_t)rank, (uint16_t)key, pc };
	return true;
}

/* Forgets a held lock wherever it is (locks may be released out of order); false if not held. */
static inline bool lock_held_remove(struct lock_held_stack *s, const void *lock)
{
	for (uint32_t i = s->depth; i-- > 0;) {
		if (s->held[i].lock != lock)
			continue;
		for (uint32_t j = i; j + 1 < s->depth; j++)
			s->held[j] = s->held[j + 1];
		s->depth--;
		return true;
	}
	return false;
}

#endif
