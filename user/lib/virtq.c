// SPDX-License-Identifier: MIT
/*
 * Split virtqueue, driver side: see virtq.h for the model. The device's
 * words are read once each into locals (volatile loads), then checked.
 */
#include "virtq.h"

#define virtq_compiler_barrier() __asm__ volatile("" ::: "memory")

/* A full barrier: a later load may not pass an earlier store (x86 allows that reordering). */
static inline void virtq_full_barrier(void)
{
	__asm__ volatile("mfence" ::: "memory");
}

static uint16_t virtq_round_size(uint16_t size)
{
	uint16_t p = 1;

	if (size > VIRTQ_MAX_SIZE)
		size = VIRTQ_MAX_SIZE;
	while ((uint16_t)(p << 1) != 0 && (uint16_t)(p << 1) <= size)
		p <<= 1;
	return p;
}

int virtq_init(struct virtq *q, uint16_t size, void *mem, uint64_t dev_addr, bool event_idx)
{
	uint8_t *base = mem;

	if (size == 0)
		return -1;
	*q = (struct virtq){ 0 };
	q->size = virtq_round_size(size);
	q->desc = (volatile struct virtq_desc *)base;
	q->avail = (volatile struct virtq_avail *)(base + VIRTQ_AVAIL_OFFSET);
	q->used = (volatile struct virtq_used *)(base + VIRTQ_USED_OFFSET);
	q->desc_dev = dev_addr;
	q->avail_dev = dev_addr + VIRTQ_AVAIL_OFFSET;
	q->used_dev = dev_addr + VIRTQ_USED_OFFSET;
	q->event_idx = event_idx;
	return 0;
}

int virtq_add(struct virtq *q, uint16_t id, uint64_t addr, uint32_t len, bool device_writes)
{
	if (id >= q->size || q->in_flight[id])
		return -1;
	q->desc[id].addr = addr;
	q->desc[id].len = len;
	q->desc[id].flags = device_writes ? VIRTQ_DESC_F_WRITE : 0;
	q->desc[id].next = 0;
	q->avail->ring[q->avail_idx & (q->size - 1)] = id;
	q->avail_idx++;
	q->in_flight[id] = 1;
	q->num_in_flight++;
	return 0;
}

/* The device's avail_event (EVENT_IDX): the slot after the used ring. */
static uint16_t virtq_avail_event(const struct virtq *q)
{
	const volatile uint8_t *after_ring = (const volatile uint8_t *)q->used +
					     sizeof(struct virtq_used) +
					     q->size * sizeof(struct virtq_used_elem);

	return *(const volatile uint16_t *)after_ring;
}

bool virtq_publish(struct virtq *q)
{
	uint16_t old = q->published_idx, now = q->avail_idx;

	if (old == now)
		return false;
	/* Descriptors and ring entries before the index (x86 keeps store order). */
	virtq_compiler_barrier();
	q->avail->idx = now;
	q->published_idx = now;
	/* The index store must be visible before we read whether the device wants a kick. */
	virtq_full_barrier();
	if (q->event_idx)
		return (uint16_t)(now - virtq_avail_event(q) - 1) < (uint16_t)(now - old);
	return !(q->used->flags & VIRTQ_USED_F_NO_NOTIFY);
}

bool virtq_has_used(const struct virtq *q)
{
	return q->used->idx != q->last_used;
}

int virtq_get_used(struct virtq *q, uint16_t *id, uint32_t *len)
{
	uint16_t used_idx = q->used->idx;
	volatile struct virtq_used_elem *e;
	uint32_t elem_id;

	if (used_idx == q->last_used)
		return 0;
	if ((uint16_t)(used_idx - q->last_used) > q->size)
		return VIRTQ_USED_CORRUPT;
	/* The element is read after the index that published it. */
	virtq_compiler_barrier();
	e = &q->used->ring[q->last_used & (q->size - 1)];
	elem_id = e->id;
	*len = e->len;
	q->last_used++;
	if (elem_id >= q->size || !q->in_flight[elem_id])
		return VIRTQ_USED_BAD_ID;
	q->in_flight[elem_id] = 0;
	q->num_in_flight--;
	*id = (uint16_t)elem_id;
	return 1;
}

void virtq_disable_interrupts(struct virtq *q)
{
	/* With EVENT_IDX the used_event written at enable already limits us to one. */
	if (!q->event_idx)
		q->avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
}

bool virtq_enable_interrupts(struct virtq *q)
{
	if (q->event_idx)
		q->avail->ring[q->size] = q->last_used;	/* used_event */
	else
		q->avail->flags = 0;
	/* Our store before the re-check of used->idx, or a buffer used in between is missed. */
	virtq_full_barrier();
	return virtq_has_used(q);
}
