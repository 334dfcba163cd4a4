// SPDX-License-Identifier: MIT
/*
 * The deadline heap (dlheap.h). The usual array heap: the children of slot
 * i are 2i + 1 and 2i + 2, and every node is no later than its children.
 * Sifting is iterative and bounded by the height (at most 32 levels).
 */
#include "lib/kprintf.h"
#include "sched/dlheap.h"

void dlheap_init(struct dlheap *h, struct dlheap_node **slots, uint32_t cap)
{
	h->slot = slots;
	h->len = 0;
	h->cap = cap;
	h->next_seq = 0;
}

static bool node_before(const struct dlheap_node *a, const struct dlheap_node *b)
{
	return a->deadline < b->deadline || (a->deadline == b->deadline && a->seq < b->seq);
}

static void place(struct dlheap *h, uint32_t i, struct dlheap_node *n)
{
	h->slot[i] = n;
	n->index = i;
}

/* Moves the node at slot i up while it is before its parent. */
static void sift_up(struct dlheap *h, uint32_t i)
{
	struct dlheap_node *n = h->slot[i];

	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (!node_before(n, h->slot[parent]))
			break;
		place(h, i, h->slot[parent]);
		i = parent;
	}
	place(h, i, n);
}

/* Moves the node at slot i down while a child is before it. */
static void sift_down(struct dlheap *h, uint32_t i)
{
	struct dlheap_node *n = h->slot[i];

	for (;;) {
		uint64_t left = 2 * (uint64_t)i + 1, first;

		if (left >= h->len)
			break;
		first = left;
		if (left + 1 < h->len && node_before(h->slot[left + 1], h->slot[left]))
			first = left + 1;
		if (!node_before(h->slot[first], n))
			break;
		place(h, i, h->slot[first]);
		i = (uint32_t)first;
	}
	place(h, i, n);
}

bool dlheap_push(struct dlheap *h, struct dlheap_node *n)
{
	if (h->len == h->cap)
		return false;
	n->seq = h->next_seq++;
	place(h, h->len++, n);
	sift_up(h, n->index);
	return true;
}

void dlheap_remove(struct dlheap *h, struct dlheap_node *n)
{
	uint32_t i = n->index;
	struct dlheap_node *last;

	assert(i < h->len && h->slot[i] == n);	/* only a kernel bug removes a stranger */
	last = h->slot[--h->len];
	n->index = DLHEAP_OUT;
	if (last == n)
		return;
	place(h, i, last);
	/* The last node may belong above or below the hole it fills. */
	if (i > 0 && node_before(last, h->slot[(i - 1) / 2]))
		sift_up(h, i);
	else
		sift_down(h, i);
}

struct dlheap_node **dlheap_move(struct dlheap *h, struct dlheap_node **slots, uint32_t cap)
{
	struct dlheap_node **old = h->slot;

	assert(cap >= h->len);
	for (uint32_t i = 0; i < h->len; i++)
		slots[i] = old[i];
	h->slot = slots;
	h->cap = cap;
	return old;
}
