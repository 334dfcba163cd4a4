/* SPDX-License-Identifier: MIT */
/*
 * The device's side of a split virtqueue in plain memory, for the host
 * tests: takes what the driver made available and writes used elements,
 * including the bad ones a hostile device could write.
 */
#ifndef CAPOS_TESTS_FAKE_VIRTQ_DEV_H
#define CAPOS_TESTS_FAKE_VIRTQ_DEV_H

#include <stdlib.h>

#include "virtq.h"

struct fake_dev {
	struct virtq *q;	/* the driver's queue: its pointers name the shared memory */
	uint16_t last_avail;
	uint16_t used_idx;
};

/* Ring memory as the device sees it: zeroed, page aligned. */
static inline void *fake_ring_alloc(void)
{
	void *m = aligned_alloc(4096, VIRTQ_RING_BYTES);

	memset(m, 0, VIRTQ_RING_BYTES);
	return m;
}

/* Next available descriptor: 1 with its id, address and length, 0 if none. */
static inline int fake_dev_pop(struct fake_dev *d, uint16_t *id, uint64_t *addr, uint32_t *len)
{
	if (d->q->avail->idx == d->last_avail)
		return 0;
	*id = d->q->avail->ring[d->last_avail++ & (d->q->size - 1)];
	*addr = d->q->desc[*id].addr;
	*len = d->q->desc[*id].len;
	return 1;
}

static inline void fake_dev_push(struct fake_dev *d, uint32_t id, uint32_t len)
{
	d->q->used->ring[d->used_idx & (d->q->size - 1)].id = id;
	d->q->used->ring[d->used_idx & (d->q->size - 1)].len = len;
	d->q->used->idx = ++d->used_idx;
}

#endif
