// SPDX-License-Identifier: MIT
/*
 * Forwarders and revoke sets (model in forward.h). A set's members form a
 * doubly linked list under the set's lock, so a member that dies on its own
 * (its last slot released) leaves in constant time, and a revoke takes the
 * members one at a time, dropping each target after unlocking: a target's
 * destroy() may take any lock, another set's included. A member that has
 * left the list has no target; it lives on, answering DISCONNECTED, until
 * its last holder lets go.
 */
#include <capos/errors.h>

#include "cap/forward.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "lib/spinlock.h"
#include "mm/kmalloc.h"

struct revoke_set {
	uint32_t refs;			/* atomic: the Revoker's and one per member */
	struct spinlock lock;		/* guards everything below and members' target/links */
	bool revoked;
	uint32_t nlive;
	struct forwarder *live;		/* members that still have their target */
};

struct forwarder {
	struct kobj obj;
	struct revoke_set *set;		/* one reference */
	struct kobj *target;		/* one reference; NULL once revoked (set->lock) */
	struct forwarder *prev, *next;	/* in set->live while target is set (set->lock) */
	uint32_t depth;			/* forwarders in the chain from here, this one included */
};

static struct forwarder *fwd_of(struct kobj *obj)
{
	return (struct forwarder *)obj;	/* obj is the first member */
}

size_t revoke_set_footprint(void)
{
	return kmalloc_footprint(sizeof(struct revoke_set)) +
	       REVOKE_SET_MAX * kmalloc_footprint(sizeof(struct forwarder));
}

struct revoke_set *revoke_set_create(void)
{
	struct revoke_set *set = kzalloc(sizeof(*set));

	if (!set)
		return NULL;
	spin_init_class(&set->lock, LOCK_RANK_REVOKE_SET);
	__atomic_store_n(&set->refs, 1, __ATOMIC_RELAXED);
	return set;
}

static void revoke_set_get(struct revoke_set *set)
{
	uint32_t old = __atomic_fetch_add(&set->refs, 1, __ATOMIC_RELAXED);

	assert(old != 0);
}

void revoke_set_put(struct revoke_set *set)
{
	uint32_t old = __atomic_fetch_sub(&set->refs, 1, __ATOMIC_ACQ_REL);

	assert(old != 0);
	if (old > 1)
		return;
	assert(set->nlive == 0 && !set->live);	/* each member holds a reference */
	kfree(set);
}

/* Takes f out of its set's list and returns its target reference (NULL if already out). */
static struct kobj *fwd_detach_locked(struct forwarder *f)
{
	struct revoke_set *set = f->set;
	struct kobj *target = f->target;

	assert_held(&set->lock);
	if (!target)
		return NULL;
	if (f->prev)
		f->prev->next = f->next;
	else
		set->live = f->next;
	if (f->next)
		f->next->prev = f->prev;
	f->prev = f->next = NULL;
	f->target = NULL;
	set->nlive--;
	return target;
}

void revoke_set_revoke(struct revoke_set *set)
{
	spin_lock(&set->lock);
	set->revoked = true;	/* from now on nobody joins: the loop below is bounded */
	spin_unlock(&set->lock);
	for (uint32_t i = 0; i < REVOKE_SET_MAX; i++) {
		struct kobj *target = NULL;

		spin_lock(&set->lock);
		if (set->live)
			target = fwd_detach_locked(set->live);
		spin_unlock(&set->lock);
		if (!target)
			return;
		kobj_put(target);	/* after the unlock: its destroy() may take any lock */
	}
	assert(revoke_set_count(set) == 0);
}

uint32_t revoke_set_count(struct revoke_set *set)
{
	uint32_t n;

	spin_lock(&set->lock);
	n = set->nlive;
	spin_unlock(&set->lock);
	return n;
}

/* The target of forwarder f with a new reference, or NULL once f is revoked. */
static struct kobj *fwd_target_get(struct forwarder *f)
{
	struct kobj *target;

	spin_lock(&f->set->lock);
	target = f->target;
	if (target)
		kobj_get(target);	/* f's own reference keeps it alive meanwhile */
	spin_unlock(&f->set->lock);
	return target;
}

/* The chain length a new forwarder of target would have, or an error. */
static enum fwd_error fwd_depth_for(struct kobj *target, uint32_t *depth)
{
	struct kobj *inner;

	if (!kobj_is_forwarder(target)) {
		*depth = 1;
		return FWD_OK;
	}
	*depth = fwd_of(target)->depth + 1;
	if (*depth > FWD_DEPTH_MAX)
		return FWD_ERR_TOO_DEEP;
	/* A dead chain is refused now; one revoked after this still fails at use. */
	inner = fwd_target_get(fwd_of(target));
	if (!inner)
		return FWD_ERR_TARGET_REVOKED;
	kobj_put(inner);	/* not _extra: a revoke may have dropped target's meanwhile */
	return FWD_OK;
}

/* Joins f to set with target; FWD_OK or why the set refuses it. */
static enum fwd_error fwd_join(struct revoke_set *set, struct forwarder *f, struct kobj *target)
{
	enum fwd_error err = FWD_OK;

	spin_lock(&set->lock);
	if (set->revoked)
		err = FWD_ERR_SET_REVOKED;
	else if (set->nlive >= REVOKE_SET_MAX)
		err = FWD_ERR_SET_FULL;
	if (!err) {
		kobj_get(target);	/* the caller holds one: never 0 -> 1 */
		f->target = target;
		f->prev = NULL;
		f->next = set->live;
		if (set->live)
			set->live->prev = f;
		set->live = f;
		set->nlive++;
		revoke_set_get(set);
	}
	spin_unlock(&set->lock);
	return err;
}

enum fwd_error fwd_create(struct revoke_set *set, struct kobj *target, struct kobj **out)
{
	struct forwarder *f;
	uint32_t depth;
	enum fwd_error err = fwd_depth_for(target, &depth);

	if (err)
		return err;
	f = kzalloc(sizeof(*f));
	if (!f)
		return FWD_ERR_NO_MEMORY;
	kobj_init(&f->obj, &fwd_ops);
	f->obj.iface_id = target->iface_id;	/* before it is published */
	f->set = set;
	f->depth = depth;
	err = fwd_join(set, f, target);
	if (err) {
		kfree(f);
		return err;
	}
	*out = &f->obj;
	return FWD_OK;
}

int fwd_resolve(struct kobj **obj)
{
	/* Each forwarder's depth counts the ones below it: the chain ends in time. */
	for (uint32_t i = 0; i < FWD_DEPTH_MAX && kobj_is_forwarder(*obj); i++) {
		struct kobj *next = fwd_target_get(fwd_of(*obj));

		kobj_put(*obj);
		*obj = next;
		if (!next)
			return CAPOS_ERR_DISCONNECTED;
	}
	assert(!kobj_is_forwarder(*obj));
	return 0;
}

static void fwd_destroy(struct kobj *obj)
{
	struct forwarder *f = fwd_of(obj);
	struct revoke_set *set = f->set;
	struct kobj *target;

	spin_lock(&set->lock);
	target = fwd_detach_locked(f);
	spin_unlock(&set->lock);
	if (target)
		kobj_put(target);
	revoke_set_put(set);
	kfree(f);
}

/*
 * Never invoked: dispatch resolves a forwarder before it invokes anything.
 * Transferable: a copy of a revocable capability is the same forwarder, so
 * it dies with the others (whether its holder may send it on is the slot's
 * CAP_RIGHT_TRANSFER, which wrap copies from the wrapped slot).
 */
const struct kobj_ops fwd_ops = {
	.iface_id = 0,	/* each forwarder answers to its target's: kobj.iface_id */
	.name = "Forwarder",
	.flags = KOBJ_F_TRANSFERABLE,
	.call = NULL,
	.destroy = fwd_destroy,
};
