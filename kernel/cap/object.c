// SPDX-License-Identifier: MIT
/*
 * Reference counting of kernel objects (model in object.h). The count is
 * atomic: an increment needs no ordering beyond atomicity (the caller already
 * holds a reference, so the object is alive), and the decrement that reaches
 * zero is acq_rel so that every earlier use of the object by any CPU happens
 * before destroy() runs. An increment from zero or a decrement below zero is
 * a kernel bug (a use after free in the making) and panics.
 */
#include "cap/object.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"

void kobj_init(struct kobj *obj, const struct kobj_ops *ops)
{
	obj->iface_id = ops->iface_id;
	obj->ops = ops;
	__atomic_store_n(&obj->refs, 1, __ATOMIC_RELAXED);
}

void kobj_get(struct kobj *obj)
{
	uint32_t old = __atomic_fetch_add(&obj->refs, 1, __ATOMIC_RELAXED);

	assert(old != 0 && old != UINT32_MAX);
}

void kobj_put(struct kobj *obj)
{
	uint32_t old;

	/* A destroy() may take an endpoint lock: none may be held (debug builds). */
	lockdep_assert_no_ipc_locks();
	old = __atomic_fetch_sub(&obj->refs, 1, __ATOMIC_ACQ_REL);
	assert(old != 0);
	if (old == 1)
		obj->ops->destroy(obj);
}

void kobj_put_extra(struct kobj *obj)
{
	uint32_t old = __atomic_fetch_sub(&obj->refs, 1, __ATOMIC_RELEASE);

	assert(old > 1);	/* the caller's own reference keeps it alive */
}

void kobj_defer_drop(struct kobj_defer *d)
{
	for (uint32_t i = 0; i < d->n; i++)
		kobj_put(d->obj[i]);
	d->n = 0;
}

uint32_t kobj_refs(const struct kobj *obj)
{
	return __atomic_load_n(&obj->refs, __ATOMIC_RELAXED);
}

void kobj_destroy_static(struct kobj *obj)
{
	(void)obj;	/* its storage is static; the count only keeps the accounting honest */
}
