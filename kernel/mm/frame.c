// SPDX-License-Identifier: MIT
/*
 * Locking wrapper around the buddy allocator and the boot-time computation of
 * what is usable. Lock order: frame_lock is a leaf; nothing is taken under it.
 */
#include "arch/arch.h"
#include "lib/kprintf.h"
#include "lib/spinlock.h"
#include "mm/buddy.h"
#include "mm/frame.h"

#define LOW_MEMORY_END 0x100000		/* BIOS data, EBDA, option ROMs; AP trampoline later */
#define MAX_RESERVED (BOOT_MAX_MODULES + BOOT_MAX_RESERVED + 2)

static struct buddy frames;
static struct spinlock frame_lock = SPINLOCK_INIT_RANK(LOCK_RANK_FRAME);

static void *frame_p2v(paddr_t pa)
{
	return arch_phys_to_virt(pa);
}

void frame_init(const struct boot_info *bi, paddr_t kernel_start, paddr_t kernel_end)
{
	struct phys_range reserved[MAX_RESERVED];
	size_t n = 0;

	reserved[n++] = (struct phys_range){ 0, LOW_MEMORY_END };
	reserved[n++] = (struct phys_range){ kernel_start, kernel_end - kernel_start };
	for (size_t i = 0; i < bi->module_count; i++)
		reserved[n++] = (struct phys_range){ bi->modules[i].start,
						     bi->modules[i].end - bi->modules[i].start };
	for (size_t i = 0; i < bi->reserved_count; i++)
		reserved[n++] = bi->reserved[i];

	int err = buddy_init(&frames, bi->mem, bi->mem_count, reserved, n, frame_p2v);
	if (err)
		panic("frame: cannot build the frame allocator (error %d)", err);
}

int frame_alloc(unsigned order, uint32_t owner, paddr_t *out)
{
	spin_lock(&frame_lock);
	int err = buddy_alloc(&frames, order, owner, out);
	spin_unlock(&frame_lock);
	return err;
}

int frame_free(paddr_t pa, unsigned order)
{
	spin_lock(&frame_lock);
	int err = buddy_free(&frames, pa, order);
	spin_unlock(&frame_lock);
	return err;
}

void frame_release(paddr_t pa, unsigned order)
{
	int err = frame_free(pa, order);

	if (err)
		panic("frame: releasing 0x%llx (order %u) failed with %d", (unsigned long long)pa,
		      order, err);
}

uint64_t frame_free_count(void)
{
	spin_lock(&frame_lock);
	uint64_t n = buddy_free_frames(&frames);
	spin_unlock(&frame_lock);
	return n;
}

uint64_t frame_total_count(void)
{
	spin_lock(&frame_lock);
	uint64_t n = buddy_total_frames(&frames);
	spin_unlock(&frame_lock);
	return n;
}
