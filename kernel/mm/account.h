/* SPDX-License-Identifier: MIT */
/*
 * Memory accounts: how many pages a process may have mapped through
 * VirtualMemory at once (its quota), and how many it has (used). Quotas are
 * handed down, never made up: a child's quota is charged to its parent's
 * account for as long as the child's account lives, and comes back when it
 * goes (quota donation). The root account (init's) gets what the kernel
 * sets aside for user memory at boot. So the pages all processes can hold
 * together never exceed the root's quota.
 *
 * A charge is checked and made in one step under the account's lock (a
 * leaf lock), before the memory is touched; every failure path uncharges.
 *
 * Kernel memory a process makes the kernel hold (a queued call's params,
 * the buffers of a large kernel-object call, its own kernel structures when
 * it is spawned: docs/virtual-memory.md, "Kernel memory") is charged to the
 * same pages: in bytes of heap footprint (kmalloc_footprint), kept in
 * `kbytes`, which hold ceil(kbytes / PAGE_SIZE) pages of `used`. So a
 * process's quota bounds its mappings and its kernel memory together, and a
 * byte charge made and undone in any order leaves `used` where it was.
 */
#ifndef CAPOS_KERNEL_MM_ACCOUNT_H
#define CAPOS_KERNEL_MM_ACCOUNT_H

#include "lib/spinlock.h"
#include "lib/types.h"

struct mem_account {
	uint32_t refs;			/* atomic */
	struct spinlock lock;		/* guards quota and used */
	uint64_t quota;			/* pages that may be charged at once */
	uint64_t used;			/* pages charged: mappings, quotas given to children,
					 * and the pages that kbytes rounds up to */
	uint64_t kbytes;		/* kernel memory charged, bytes */
	struct mem_account *parent;	/* one reference; NULL for the root */
};

/* Sets up the root account (static: never freed) with `quota` pages and one reference. */
void mem_account_init_root(struct mem_account *a, uint64_t quota);

/*
 * A child account of `parent` with `quota` pages, which are charged to the
 * parent now. CAPOS_ERR_QUOTA_EXCEEDED if the parent has not that much
 * left, CAPOS_ERR_NO_MEMORY; nothing changed on failure.
 */
int mem_account_child(struct mem_account *parent, uint64_t quota, struct mem_account **out);

/* Charges `pages`: 0, or CAPOS_ERR_QUOTA_EXCEEDED with nothing charged. */
int mem_account_charge(struct mem_account *a, uint64_t pages);
void mem_account_uncharge(struct mem_account *a, uint64_t pages);

/*
 * Charges `bytes` of kernel memory: 0, or CAPOS_ERR_QUOTA_EXCEEDED with
 * nothing charged. Uncharging gives back exactly what a charge of the same
 * size took, in whatever order charges are undone.
 */
int mem_account_charge_kmem(struct mem_account *a, uint64_t bytes);
void mem_account_uncharge_kmem(struct mem_account *a, uint64_t bytes);

/*
 * What a kernel object holds for its own memory: charged to its creator's
 * payer when it is made, given back when it is freed (whoever frees it).
 */
struct kmem_charge {
	struct mem_account *account;	/* one reference; NULL: nothing charged */
	uint64_t bytes;
};

/*
 * Charges `bytes` to `a` and keeps a reference in *c: 0, or QUOTA_EXCEEDED
 * with *c left empty. `a` NULL charges nobody: for what the kernel makes
 * for itself (and host tests), never for what a process asks for.
 */
int kmem_charge_take(struct kmem_charge *c, struct mem_account *a, uint64_t bytes);
/* Gives c back (an empty one: nothing). */
void kmem_charge_drop(struct kmem_charge *c);

void mem_account_get(struct mem_account *a);
/*
 * Drops a reference; the last one gives the account's quota back to its
 * parent and drops the reference to it (a loop, not recursion: the chain is
 * as deep as the process tree, which user code builds).
 */
void mem_account_put(struct mem_account *a);

/* A snapshot of quota and used. */
void mem_account_usage(struct mem_account *a, uint64_t *quota, uint64_t *used);

#endif
