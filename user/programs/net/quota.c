// SPDX-License-Identifier: MIT
/*
 * Socket quotas (quota.h). A chain is at most NET_QUOTA_DEPTH_MAX long, so
 * walking it is bounded whatever clients ask for.
 */
#include "quota.h"

#include <stddef.h>

void quota_init_root(struct net_quota *q, uint16_t max)
{
	*q = (struct net_quota){ .max = max };
}

bool quota_init_child(struct net_quota *q, struct net_quota *parent, uint16_t max)
{
	if (max == 0 || max > parent->max || parent->depth + 1u > NET_QUOTA_DEPTH_MAX)
		return false;
	*q = (struct net_quota){ .parent = parent, .max = max, .depth = (uint8_t)(parent->depth + 1) };
	parent->children++;
	return true;
}

bool quota_take(struct net_quota *q)
{
	for (struct net_quota *a = q; a; a = a->parent)
		if (a->used >= a->max)
			return false;
	for (struct net_quota *a = q; a; a = a->parent)
		a->used++;
	return true;
}

void quota_give(struct net_quota *q)
{
	for (struct net_quota *a = q; a; a = a->parent)
		if (a->used)
			a->used--;
}

void quota_fini_child(struct net_quota *q)
{
	if (q->parent && q->parent->children)
		q->parent->children--;
}
