/* SPDX-License-Identifier: MIT */
/*
 * A deadline heap: a binary min-heap of intrusive nodes ordered by
 * (deadline, seq), where seq is handed out by the heap at push, so nodes with
 * the same deadline leave in the order they came. Each node knows its slot
 * (`index`), so any node can be removed in O(log n), not only the first.
 *
 * The slot array belongs to the caller, who may move the heap to a larger or
 * smaller one (dlheap_move): pushing never allocates, so it can be done under
 * a spinlock after the room was made. Pure logic with no locks or globals:
 * the owner serializes (the timer queue, obj/timer_queue.c); host-tested in
 * tests/unit/sched/test_dlheap.c.
 */
#ifndef CAPOS_KERNEL_SCHED_DLHEAP_H
#define CAPOS_KERNEL_SCHED_DLHEAP_H

#include "lib/types.h"

#define DLHEAP_OUT UINT32_MAX	/* dlheap_node.index of a node not in a heap */

struct dlheap_node {
	uint64_t deadline;	/* the key; set before the push, not changed while in */
	uint64_t seq;		/* set by dlheap_push: breaks ties in push order */
	uint32_t index;		/* slot in the heap, or DLHEAP_OUT */
};

struct dlheap {
	struct dlheap_node **slot;	/* slot[0..len): the heap, slot[0] the first */
	uint32_t len;
	uint32_t cap;			/* slots the array has room for */
	uint64_t next_seq;
};

/* An empty heap in slots[0..cap). */
void dlheap_init(struct dlheap *h, struct dlheap_node **slots, uint32_t cap);

/* Adds n (not in any heap). False, with nothing changed, if the array is full. */
bool __must_check dlheap_push(struct dlheap *h, struct dlheap_node *n);

/* The node with the earliest (deadline, seq), or NULL if the heap is empty. */
static inline struct dlheap_node *dlheap_first(const struct dlheap *h)
{
	return h->len ? h->slot[0] : NULL;
}

/* Takes n (which must be in h) out; its index becomes DLHEAP_OUT. */
void dlheap_remove(struct dlheap *h, struct dlheap_node *n);

/*
 * Moves the heap into slots[0..cap) (cap >= len) and returns the array it
 * used before, for the caller to free. Order and indices are unchanged.
 */
struct dlheap_node **dlheap_move(struct dlheap *h, struct dlheap_node **slots, uint32_t cap);

#endif
