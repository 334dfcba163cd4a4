// SPDX-License-Identifier: MIT
/*
 * Capability tables (model in table.h): a fixed array of slots, a LIFO free
 * list threaded through the free slots, and a generation per slot. All state
 * is under t->lock; references are dropped only after it is released, so an
 * object's destroy() never runs under a table lock (it may take other locks,
 * even another table's).
 */
#include <capos/errors.h>

#include "cap/table.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "mm/kmalloc.h"

int cap_table_init(struct cap_table *t, uint32_t quota)
{
	uint32_t i;

	if (quota == 0)
		quota = CAP_TABLE_QUOTA_DEFAULT;
	if (quota > CAPOS_CAP_SLOTS_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	t->slots = kmalloc((size_t)quota * sizeof(*t->slots));
	if (!t->slots)
		return CAPOS_ERR_NO_MEMORY;
	for (i = 0; i < quota; i++) {
		t->slots[i].obj = NULL;
		t->slots[i].gen = 1;	/* generation 0 is never issued */
		t->slots[i].state = CAP_SLOT_FREE;
		t->slots[i].rights = 0;
		t->slots[i].next_free = i + 1 < quota ? i + 1 : CAP_TABLE_NONE;
	}
	spin_init_class(&t->lock, LOCK_RANK_CAP_TABLE);
	t->quota = quota;
	t->used = 0;
	t->free_head = 0;
	t->retired = 0;
	return 0;
}

/* Pops a free slot and marks it RESERVED; CAP_TABLE_NONE if there is none. */
static uint32_t cap_slot_alloc_locked(struct cap_table *t)
{
	uint32_t i = t->free_head;

	assert_held(&t->lock);
	if (i == CAP_TABLE_NONE)
		return i;
	t->free_head = t->slots[i].next_free;
	t->slots[i].state = CAP_SLOT_RESERVED;
	t->used++;
	return i;
}

/* Makes slot i LIVE with obj; returns its id (the slot's generation is issued now). */
static capos_cap_t cap_slot_fill_locked(struct cap_table *t, uint32_t i, struct kobj *obj,
					uint32_t rights)
{
	struct cap_slot *s = &t->slots[i];

	assert_held(&t->lock);
	assert(s->state == CAP_SLOT_RESERVED);
	s->obj = obj;
	s->rights = (uint8_t)(rights & CAP_RIGHTS_ALL);
	s->state = CAP_SLOT_LIVE;
	return capos_cap_make(i, s->gen);
}

/*
 * Returns slot i to the free list. `issued` says whether its generation was
 * handed out (a LIVE slot) and must therefore never be used again: bump it,
 * or retire the slot when it is the last one.
 */
static void cap_slot_free_locked(struct cap_table *t, uint32_t i, bool issued)
{
	struct cap_slot *s = &t->slots[i];

	assert_held(&t->lock);
	s->obj = NULL;
	s->rights = 0;
	t->used--;
	if (issued && s->gen == CAPOS_CAP_GEN_MAX) {
		s->state = CAP_SLOT_RETIRED;
		t->retired++;
		return;
	}
	if (issued)
		s->gen++;
	s->state = CAP_SLOT_FREE;
	s->next_free = t->free_head;
	t->free_head = i;
}

/* Finds the LIVE slot named by id, or says precisely why there is none. */
static int cap_slot_find_locked(struct cap_table *t, capos_cap_t id, struct cap_slot **out)
{
	uint32_t i = capos_cap_index(id), gen = capos_cap_gen(id);
	struct cap_slot *s;

	assert_held(&t->lock);
	if (gen == 0 || i >= t->quota)
		return CAPOS_ERR_INVALID_CAP;
	s = &t->slots[i];
	if (s->state == CAP_SLOT_LIVE && s->gen == gen) {
		*out = s;
		return 0;
	}
	/* A retired slot issued every generation; otherwise those below gen were. */
	if (s->state == CAP_SLOT_RETIRED || gen < s->gen)
		return CAPOS_ERR_STALE_CAP;
	return CAPOS_ERR_INVALID_CAP;
}

void cap_table_destroy(struct cap_table *t)
{
	struct kobj *obj;
	uint32_t i;

	for (i = 0; i < t->quota; i++) {
		spin_lock(&t->lock);
		obj = NULL;
		if (t->slots[i].state == CAP_SLOT_LIVE) {
			obj = t->slots[i].obj;
			cap_slot_free_locked(t, i, true);
		}
		spin_unlock(&t->lock);
		if (obj)
			kobj_put(obj);
	}
	kfree(t->slots);
	t->slots = NULL;
	t->quota = 0;
}

int cap_table_insert(struct cap_table *t, struct kobj *obj, uint32_t rights, capos_cap_t *id)
{
	uint32_t i;

	spin_lock(&t->lock);
	i = cap_slot_alloc_locked(t);
	if (i == CAP_TABLE_NONE) {
		spin_unlock(&t->lock);
		return CAPOS_ERR_CAP_TABLE_FULL;
	}
	*id = cap_slot_fill_locked(t, i, obj, rights);
	spin_unlock(&t->lock);
	return 0;
}

int cap_table_lookup(struct cap_table *t, capos_cap_t id, struct kobj **obj, uint32_t *rights)
{
	struct cap_slot *s;
	int err;

	spin_lock(&t->lock);
	err = cap_slot_find_locked(t, id, &s);
	if (!err) {
		/* The slot's reference keeps the object alive while we take ours. */
		kobj_get(s->obj);
		*obj = s->obj;
		if (rights)
			*rights = s->rights;
	}
	spin_unlock(&t->lock);
	return err;
}

int cap_table_take(struct cap_table *t, capos_cap_t id, struct kobj **obj)
{
	struct cap_slot *s;
	int err;

	spin_lock(&t->lock);
	err = cap_slot_find_locked(t, id, &s);
	if (!err) {
		*obj = s->obj;
		cap_slot_free_locked(t, capos_cap_index(id), true);
	}
	spin_unlock(&t->lock);
	return err;
}

int cap_table_remove(struct cap_table *t, capos_cap_t id)
{
	struct kobj *obj;
	int err = cap_table_take(t, id, &obj);

	if (!err)
		kobj_put(obj);	/* after the unlock: destroy() may take other locks */
	return err;
}

uint32_t cap_table_count(struct cap_table *t)
{
	uint32_t n, i;

	spin_lock(&t->lock);
	n = 0;
	for (i = 0; i < t->quota; i++)
		n += t->slots[i].state == CAP_SLOT_LIVE;
	spin_unlock(&t->lock);
	return n;
}

void cap_table_usage(struct cap_table *t, uint32_t *used, uint32_t *quota)
{
	spin_lock(&t->lock);
	*used = t->used;
	*quota = t->quota - t->retired;
	spin_unlock(&t->lock);
}

int cap_table_reserve(struct cap_table *t, uint32_t n, struct cap_reservation *r)
{
	uint32_t i, avail;

	if (n > CAPOS_XFER_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	r->count = 0;
	r->committed = 0;
	spin_lock(&t->lock);
	avail = t->quota - t->used - t->retired;
	if (n > avail) {
		spin_unlock(&t->lock);
		return CAPOS_ERR_CAP_TABLE_FULL;
	}
	for (i = 0; i < n; i++)
		r->idx[i] = cap_slot_alloc_locked(t);
	r->count = n;
	spin_unlock(&t->lock);
	return 0;
}

capos_cap_t cap_table_commit(struct cap_table *t, struct cap_reservation *r, uint32_t i,
			     struct kobj *obj, uint32_t rights)
{
	capos_cap_t id;

	assert(i < r->count && !(r->committed & (1u << i)));
	spin_lock(&t->lock);
	id = cap_slot_fill_locked(t, r->idx[i], obj, rights);
	spin_unlock(&t->lock);
	r->committed |= 1u << i;
	return id;
}

void cap_table_rollback(struct cap_table *t, struct cap_reservation *r)
{
	uint32_t i;

	spin_lock(&t->lock);
	for (i = 0; i < r->count; i++)
		if (!(r->committed & (1u << i)))
			cap_slot_free_locked(t, r->idx[i], false);
	spin_unlock(&t->lock);
	r->count = 0;
	r->committed = 0;
}
