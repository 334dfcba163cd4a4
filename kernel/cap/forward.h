/* SPDX-License-Identifier: MIT */
/*
 * Revocable capabilities (docs/revocation.md). A forwarder is a kernel
 * object that stands for another (its target) and answers to the target's
 * interface; every table slot and every message that holds a copy of a
 * revocable capability holds the same forwarder, so whatever ends the
 * forwarder's hold on its target ends all copies at once. Forwarders are
 * made in revoke sets: one set is one revocable grant, or one session's
 * whole bundle (M9), and revoking the set drops each member's target
 * reference at once (the target's memory, an endpoint's facet count, go
 * now; no dead reference lingers in any table). A revoked forwarder stays
 * alive as long as slots name it, with no target: every use of it is
 * CAPOS_ERR_DISCONNECTED.
 *
 * Forwarders are unwrapped where a capability is looked up for use (ring
 * dispatch: CALL, RECV, RETURN), never where it is copied (transfers and
 * spawn grants keep the forwarder, which is what makes copies die with it).
 * A forwarder may wrap another (a child sub-delegating what it was lent);
 * the chain is at most FWD_DEPTH_MAX long, checked when it is made, so the
 * unwrapping loop is bounded whatever user space does.
 *
 * Locking: revoke_set.lock guards the set's member list, its `revoked`
 * flag and every member's target pointer. Nothing else is taken under it
 * and no reference is dropped under it (a target's destroy() may take any
 * lock, another set's included). A leaf among object locks (docs/locking.md).
 */
#ifndef CAPOS_KERNEL_CAP_FORWARD_H
#define CAPOS_KERNEL_CAP_FORWARD_H

#include "cap/object.h"
#include "lib/types.h"

#define FWD_DEPTH_MAX		4u	/* forwarders in one chain */
#define REVOKE_SET_MAX		64u	/* live forwarders in one set */

/* fwd_create's errors (the Revoker turns them into its CapExceptions). */
enum fwd_error {
	FWD_OK = 0,
	FWD_ERR_NO_MEMORY,	/* kmalloc failed */
	FWD_ERR_SET_FULL,	/* REVOKE_SET_MAX live members already */
	FWD_ERR_SET_REVOKED,	/* the set was revoked: it takes no new members */
	FWD_ERR_TOO_DEEP,	/* the chain would be longer than FWD_DEPTH_MAX */
	FWD_ERR_TARGET_REVOKED,	/* the target is itself a revoked forwarder */
};

struct revoke_set;

extern const struct kobj_ops fwd_ops;

static inline bool kobj_is_forwarder(const struct kobj *obj)
{
	return obj->ops == &fwd_ops;
}

/* A new, empty set with one reference (its Revoker's); NULL if out of memory. */
struct revoke_set *revoke_set_create(void);
/* The heap a set and its most members take (what a Revoker's creator is charged). */
size_t revoke_set_footprint(void);

/* Drops a reference to the set; the last frees it (no member can be left then). */
void revoke_set_put(struct revoke_set *set);

/*
 * Ends every member: marks the set revoked (no member joins again) and
 * drops each member's target reference. Idempotent. No lock may be held
 * that a target's destroy() takes (no endpoint lock: cap/object.h).
 */
void revoke_set_revoke(struct revoke_set *set);

/* Live members of the set (for tests and logs). */
uint32_t revoke_set_count(struct revoke_set *set);

/*
 * A new forwarder in `set` standing for `target` (the caller keeps its own
 * reference; the forwarder takes another) and answering to its interface.
 * On FWD_OK *out holds the forwarder's one reference.
 */
enum fwd_error fwd_create(struct revoke_set *set, struct kobj *target, struct kobj **out);

/*
 * Replaces the reference *obj (held by the caller) by a reference to the
 * object it finally stands for, through at most FWD_DEPTH_MAX forwarders;
 * objects that are not forwarders are left as they are. Returns 0, or
 * CAPOS_ERR_DISCONNECTED if a forwarder on the way was revoked (then *obj
 * is NULL and the caller holds nothing). Drops references: no endpoint
 * lock may be held.
 */
int fwd_resolve(struct kobj **obj);

#endif
