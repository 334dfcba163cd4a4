/* SPDX-License-Identifier: MIT */
/*
 * Capability tables: one per process, mapping the process's capability ids
 * (include/capos/cap.h: 16-bit slot index, 16-bit generation) to kernel
 * objects. A slot holds one reference to its object and a rights mask. Freeing
 * a slot bumps its generation, so a kept id is STALE_CAP rather than a name
 * for the next occupant; a slot whose generation reaches CAPOS_CAP_GEN_MAX is
 * retired instead of wrapped. Lookups distinguish three cases exactly:
 *   live slot, same generation          -> the object (with a new reference)
 *   id generation < slot generation      -> CAPOS_ERR_STALE_CAP (it was issued)
 *   anything else (never issued, forged) -> CAPOS_ERR_INVALID_CAP
 * A free slot's generation is always one that has not been issued yet.
 *
 * The quota (at most CAPOS_CAP_SLOTS_MAX, default CAP_TABLE_QUOTA_DEFAULT)
 * bounds live plus reserved slots; the slot array is allocated once at init
 * with `quota` entries, so a retired slot lowers the usable quota by one (a
 * slot retires only after 65,535 reuses). Free slots form a LIFO list.
 *
 * Transfer (M4) is two-phase so a message moves its capabilities all or
 * nothing: cap_table_reserve() takes n free slots from the receiver (the only
 * step that can fail: quota), cap_table_commit() fills one reserved slot and
 * cannot fail, cap_table_rollback() returns the uncommitted ones without
 * issuing their ids. The sender side uses cap_table_lookup() (validate, take a
 * reference) and, for a move, cap_table_take() after delivery.
 *
 * Locking: `lock` guards every field and slot. Objects are never destroyed
 * under it: functions that drop a slot's reference do so after unlocking.
 * Lock order: cap_table.lock before any object lock except a ProcessHandle's
 * (docs/locking.md).
 */
#ifndef CAPOS_KERNEL_CAP_TABLE_H
#define CAPOS_KERNEL_CAP_TABLE_H

#include <capos/cap.h>
#include <capos/ring.h>

#include "cap/object.h"
#include "lib/spinlock.h"
#include "lib/types.h"

#define CAP_TABLE_QUOTA_DEFAULT	256u

/* Rights carried by a slot (struct cap_slot.rights). */
#define CAP_RIGHT_CALL		(1u << 0)	/* CALL methods on the object */
#define CAP_RIGHT_RECV		(1u << 1)	/* RECV/RETURN: owner side of an endpoint (M4) */
#define CAP_RIGHT_TRANSFER	(1u << 2)	/* send it on in a message (M4) */
#define CAP_RIGHTS_ALL		(CAP_RIGHT_CALL | CAP_RIGHT_RECV | CAP_RIGHT_TRANSFER)

/* struct cap_slot.state */
#define CAP_SLOT_FREE		0u	/* on the free list; gen not yet issued */
#define CAP_SLOT_LIVE		1u	/* obj and rights valid; gen issued */
#define CAP_SLOT_RESERVED	2u	/* taken by cap_table_reserve, not yet committed */
#define CAP_SLOT_RETIRED	3u	/* generation exhausted; never used again */

struct cap_slot {
	struct kobj *obj;	/* one reference while LIVE; NULL otherwise */
	uint16_t gen;		/* LIVE: the issued generation; FREE: the next one */
	uint8_t state;		/* CAP_SLOT_* */
	uint8_t rights;		/* CAP_RIGHT_*, LIVE only */
	uint32_t next_free;	/* FREE: index of the next free slot, or CAP_TABLE_NONE */
};

#define CAP_TABLE_NONE		0xffffffffu

struct cap_table {
	struct spinlock lock;	/* guards everything below */
	struct cap_slot *slots;	/* `quota` entries, kmalloc'd at init */
	uint32_t quota;		/* slots in the array; live + reserved <= quota */
	uint32_t used;		/* LIVE + RESERVED slots */
	uint32_t free_head;	/* first FREE slot, or CAP_TABLE_NONE */
	uint32_t retired;	/* RETIRED slots (for tests and logs) */
};

/* A set of reserved slots in one table (M4 transfer); lives on the stack. */
struct cap_reservation {
	uint32_t count;				/* slots reserved */
	uint32_t committed;			/* bit i set: idx[i] was committed */
	uint32_t idx[CAPOS_XFER_MAX];		/* slot indices */
};

/*
 * Allocates the slot array. quota 0 means CAP_TABLE_QUOTA_DEFAULT; above
 * CAPOS_CAP_SLOTS_MAX is CAPOS_ERR_INVALID_ARGUMENT. CAPOS_ERR_NO_MEMORY if
 * kmalloc fails. May sleep only if kmalloc does.
 */
int __must_check cap_table_init(struct cap_table *t, uint32_t quota);

/*
 * Empties the table (drops every slot's reference, outside the lock) and
 * frees the slot array. For process teardown: nobody else may use the table.
 */
void cap_table_destroy(struct cap_table *t);

/*
 * Installs obj with `rights` in a free slot and returns its id in *id. The
 * table takes over the caller's reference on success; on failure
 * (CAPOS_ERR_CAP_TABLE_FULL) the caller still owns it.
 */
int __must_check cap_table_insert(struct cap_table *t, struct kobj *obj, uint32_t rights,
				  capos_cap_t *id);

/*
 * Finds id. On success *obj holds a NEW reference (kobj_put it when done) and
 * *rights (if not NULL) the slot's rights. CAPOS_ERR_INVALID_CAP or
 * CAPOS_ERR_STALE_CAP as in the file comment. A concurrent remove does not
 * affect a reference already returned: the object lives until it is put.
 */
int __must_check cap_table_lookup(struct cap_table *t, capos_cap_t id, struct kobj **obj,
				  uint32_t *rights);

/* RELEASE: frees the slot (its id becomes stale) and drops its reference. */
int __must_check cap_table_remove(struct cap_table *t, capos_cap_t id);

/* Like remove, but hands the slot's reference to the caller in *obj (a move). */
int __must_check cap_table_take(struct cap_table *t, capos_cap_t id, struct kobj **obj);

/* Live capabilities (for tests, quotas and logs). */
uint32_t cap_table_count(struct cap_table *t);

/*
 * Slots in use (live plus reserved) in *used and the usable quota (retired
 * slots lower it) in *quota: what CapabilityManager.usage and
 * ProcessHandle.capUsage report.
 */
void cap_table_usage(struct cap_table *t, uint32_t *used, uint32_t *quota);

/*
 * Reserves n (<= CAPOS_XFER_MAX) free slots in r. CAPOS_ERR_CAP_TABLE_FULL if
 * the quota cannot hold them (nothing reserved), CAPOS_ERR_INVALID_ARGUMENT
 * if n is too large.
 */
int __must_check cap_table_reserve(struct cap_table *t, uint32_t n, struct cap_reservation *r);

/*
 * Fills reserved slot i (< r->count) with obj, taking over the caller's
 * reference, and returns its new id. Cannot fail.
 */
capos_cap_t cap_table_commit(struct cap_table *t, struct cap_reservation *r, uint32_t i,
			     struct kobj *obj, uint32_t rights);

/* Frees every reserved slot of r not committed; their ids were never issued. */
void cap_table_rollback(struct cap_table *t, struct cap_reservation *r);

#endif
