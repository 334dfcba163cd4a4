// SPDX-License-Identifier: MIT
/* A MemoryObject's frames and their charge (shared_pages.h). */
#include <capos/errors.h>

#include "arch/arch.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/account.h"
#include "mm/frame.h"
#include "mm/kmalloc.h"
#include "mm/shared_pages.h"

static void frames_release(struct shared_pages *sp, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		frame_release(sp->frames[i], 0);
}

int shared_pages_create(struct mem_account *account, uint64_t npages, struct shared_pages **out)
{
	struct shared_pages *sp;
	int err;

	if (npages == 0 || npages > SHARED_PAGES_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = mem_account_charge(account, npages);
	if (err)
		return err;
	sp = kmalloc(sizeof(*sp) + npages * sizeof(paddr_t));
	if (!sp) {
		mem_account_uncharge(account, npages);
		return CAPOS_ERR_NO_MEMORY;
	}
	for (uint64_t i = 0; i < npages; i++) {
		if (frame_alloc(0, FRAME_OWNER_SHARED, &sp->frames[i]) != 0) {
			frames_release(sp, i);
			(void)kfree(sp);
			mem_account_uncharge(account, npages);
			return CAPOS_ERR_NO_MEMORY;
		}
		memset(arch_phys_to_virt(sp->frames[i]), 0, PAGE_SIZE);
	}
	sp->refs = 1;
	sp->kind = SHARED_PAGES_FRAMES;
	sp->npages = npages;
	sp->account = account;
	mem_account_get(account);
	*out = sp;
	return 0;
}

static uint32_t order_of(uint64_t npages)
{
	uint32_t order = 0;

	while ((1ull << order) < npages)	/* npages <= SHARED_PAGES_MAX: 14 steps */
		order++;
	return order;
}

int shared_pages_create_dma(struct mem_account *account, uint64_t npages,
			    struct shared_pages **out)
{
	struct shared_pages *sp;
	uint32_t order;
	int err;

	if (npages == 0 || npages > SHARED_PAGES_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	order = order_of(npages);
	err = mem_account_charge(account, 1ull << order);
	if (err)
		return err;
	sp = kzalloc(sizeof(*sp));
	if (!sp || frame_alloc(order, FRAME_OWNER_SHARED, &sp->base) != 0) {
		if (sp)
			(void)kfree(sp);
		mem_account_uncharge(account, 1ull << order);
		return CAPOS_ERR_NO_MEMORY;
	}
	memset(arch_phys_to_virt(sp->base), 0, PAGE_SIZE << order);
	sp->refs = 1;
	sp->kind = SHARED_PAGES_DMA;
	sp->npages = npages;
	sp->order = order;
	sp->account = account;
	mem_account_get(account);
	*out = sp;
	return 0;
}

int shared_pages_create_device(paddr_t base, uint64_t npages, struct shared_pages **out)
{
	struct shared_pages *sp;

	if (npages == 0 || npages > SHARED_PAGES_MAX || (base & (PAGE_SIZE - 1)))
		return CAPOS_ERR_INVALID_ARGUMENT;
	sp = kzalloc(sizeof(*sp));
	if (!sp)
		return CAPOS_ERR_NO_MEMORY;
	sp->refs = 1;
	sp->kind = SHARED_PAGES_DEVICE;
	sp->npages = npages;
	sp->base = base;
	*out = sp;
	return 0;
}

void shared_pages_get(struct shared_pages *sp)
{
	__atomic_add_fetch(&sp->refs, 1, __ATOMIC_RELAXED);
}

void shared_pages_put(struct shared_pages *sp)
{
	if (__atomic_sub_fetch(&sp->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (sp->kind == SHARED_PAGES_FRAMES) {
		frames_release(sp, sp->npages);
		mem_account_uncharge(sp->account, sp->npages);
	} else if (sp->kind == SHARED_PAGES_DMA) {
		frame_release(sp->base, sp->order);
		mem_account_uncharge(sp->account, 1ull << sp->order);
	}
	if (sp->account)
		mem_account_put(sp->account);
	(void)kfree(sp);
}
