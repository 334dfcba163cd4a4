// SPDX-License-Identifier: MIT
/*
 * Host tests of NetworkManager quotas (user/programs/net/quota.h): a
 * manager takes up to its max, a restricted one counts against its own max
 * and every ancestor's (a full ancestor refuses even when the child has
 * room, and a refusal takes nothing anywhere), giving back frees a slot
 * along the chain, a child may not be wider than its parent, and chains
 * are bounded in depth.
 */
#include "quota.h"
#include "test.h"

TEST(root_takes_up_to_its_max)
{
	struct net_quota q;

	quota_init_root(&q, 3);
	CHECK(quota_take(&q) && quota_take(&q) && quota_take(&q));
	CHECK(!quota_take(&q));
	CHECK_EQ(q.used, 3);
	quota_give(&q);
	CHECK(quota_take(&q));
}

TEST(child_counts_against_parent)
{
	struct net_quota root, a, b;

	quota_init_root(&root, 3);
	CHECK(quota_init_child(&a, &root, 2));
	CHECK(quota_init_child(&b, &root, 2));
	CHECK(quota_take(&a) && quota_take(&a));
	CHECK(!quota_take(&a));			/* its own max */
	CHECK(quota_take(&b));
	CHECK(!quota_take(&b));			/* the parent is full, b has room */
	CHECK_EQ(b.used, 1);			/* a refusal takes nothing */
	CHECK_EQ(root.used, 3);
	quota_give(&a);
	CHECK_EQ(root.used, 2);
	CHECK(quota_take(&b));
}

TEST(child_not_wider_than_parent)
{
	struct net_quota root, c;

	quota_init_root(&root, 4);
	CHECK(!quota_init_child(&c, &root, 0));
	CHECK(!quota_init_child(&c, &root, 5));
	CHECK(quota_init_child(&c, &root, 4));
	CHECK_EQ(root.children, 1);
	quota_fini_child(&c);
	CHECK_EQ(root.children, 0);
}

TEST(depth_is_bounded)
{
	struct net_quota q[NET_QUOTA_DEPTH_MAX + 2];

	quota_init_root(&q[0], 8);
	for (uint32_t i = 1; i <= NET_QUOTA_DEPTH_MAX; i++)
		CHECK(quota_init_child(&q[i], &q[i - 1], 8));
	CHECK(!quota_init_child(&q[NET_QUOTA_DEPTH_MAX + 1], &q[NET_QUOTA_DEPTH_MAX], 8));
	CHECK(quota_take(&q[NET_QUOTA_DEPTH_MAX]));
	CHECK_EQ(q[0].used, 1);
}

TEST(give_never_underflows)
{
	struct net_quota q;

	quota_init_root(&q, 1);
	quota_give(&q);
	CHECK_EQ(q.used, 0);
}

int main(void)
{
	RUN(root_takes_up_to_its_max);
	RUN(child_counts_against_parent);
	RUN(child_not_wider_than_parent);
	RUN(depth_is_bounded);
	RUN(give_never_underflows);
	TEST_EXIT();
}
