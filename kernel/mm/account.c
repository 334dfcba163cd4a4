// SPDX-License-Identifier: MIT
/* Memory accounts and quota donation (account.h). */
#include <capos/errors.h>

#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "mm/account.h"
#include "mm/kmalloc.h"

static struct mem_account *account_new(uint64_t quota, struct mem_account *parent)
{
	struct mem_account *a = kmalloc(sizeof(*a));

	if (!a)
		return NULL;
	a->refs = 1;
	spin_init_class(&a->lock, LOCK_RANK_ACCOUNT);
	a->quota = quota;
	a->used = 0;
	a->kbytes = 0;
	a->parent = parent;
	return a;
}

void mem_account_init_root(struct mem_account *a, uint64_t quota)
{
	a->refs = 1;	/* the kernel's: the root is never freed */
	spin_init_class(&a->lock, LOCK_RANK_ACCOUNT);
	a->quota = quota;
	a->used = 0;
	a->kbytes = 0;
	a->parent = NULL;
}

int mem_account_charge(struct mem_account *a, uint64_t pages)
{
	int err = 0;

	spin_lock(&a->lock);
	if (pages > a->quota - a->used)
		err = CAPOS_ERR_QUOTA_EXCEEDED;
	else
		a->used += pages;
	spin_unlock(&a->lock);
	return err;
}

void mem_account_uncharge(struct mem_account *a, uint64_t pages)
{
	spin_lock(&a->lock);
	assert(pages <= a->used);
	a->used -= pages;
	spin_unlock(&a->lock);
}

/* No single kernel allocation comes near it; bounds the sum below. */
#define KMEM_CHARGE_MAX ((uint64_t)1 << 40)

static uint64_t kmem_pages(uint64_t bytes)
{
	return bytes / PAGE_SIZE + (bytes % PAGE_SIZE != 0);
}

int mem_account_charge_kmem(struct mem_account *a, uint64_t bytes)
{
	int err = CAPOS_ERR_QUOTA_EXCEEDED;

	if (bytes > KMEM_CHARGE_MAX)
		return err;
	spin_lock(&a->lock);
	/* kbytes stays below used * PAGE_SIZE, far from overflow. */
	uint64_t more = kmem_pages(a->kbytes + bytes) - kmem_pages(a->kbytes);

	if (more <= a->quota - a->used) {
		a->kbytes += bytes;
		a->used += more;
		err = 0;
	}
	spin_unlock(&a->lock);
	return err;
}

void mem_account_uncharge_kmem(struct mem_account *a, uint64_t bytes)
{
	spin_lock(&a->lock);
	assert(bytes <= a->kbytes);
	uint64_t fewer = kmem_pages(a->kbytes) - kmem_pages(a->kbytes - bytes);

	assert(fewer <= a->used);
	a->kbytes -= bytes;
	a->used -= fewer;
	spin_unlock(&a->lock);
}

int kmem_charge_take(struct kmem_charge *c, struct mem_account *a, uint64_t bytes)
{
	*c = (struct kmem_charge){ NULL, 0 };
	if (!a)
		return 0;
	int err = mem_account_charge_kmem(a, bytes);

	if (err)
		return err;
	mem_account_get(a);
	*c = (struct kmem_charge){ a, bytes };
	return 0;
}

void kmem_charge_drop(struct kmem_charge *c)
{
	if (!c->account)
		return;
	mem_account_uncharge_kmem(c->account, c->bytes);
	mem_account_put(c->account);
	*c = (struct kmem_charge){ NULL, 0 };
}

int mem_account_child(struct mem_account *parent, uint64_t quota, struct mem_account **out)
{
	int err = mem_account_charge(parent, quota);

	if (err)
		return err;
	*out = account_new(quota, parent);
	if (!*out) {
		mem_account_uncharge(parent, quota);
		return CAPOS_ERR_NO_MEMORY;
	}
	mem_account_get(parent);
	return 0;
}

void mem_account_get(struct mem_account *a)
{
	__atomic_add_fetch(&a->refs, 1, __ATOMIC_RELAXED);
}

void mem_account_put(struct mem_account *a)
{
	while (a && __atomic_sub_fetch(&a->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		struct mem_account *parent = a->parent;

		/* Its holders are gone, so nothing is mapped against it any more. */
		assert(a->used == 0);
		if (parent)
			mem_account_uncharge(parent, a->quota);
		(void)kfree(a);
		a = parent;
	}
}

void mem_account_usage(struct mem_account *a, uint64_t *quota, uint64_t *used)
{
	spin_lock(&a->lock);
	*quota = a->quota;
	*used = a->used;
	spin_unlock(&a->lock);
}
