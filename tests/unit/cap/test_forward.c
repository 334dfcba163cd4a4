// SPDX-License-Identifier: MIT
/*
 * Tests of kernel/cap/forward.c: a forwarder answers to its target's
 * interface and resolves to it; a revoke drops every member's target
 * reference at once and every later resolve is DISCONNECTED; revoke is
 * idempotent and closes the set; a member that dies leaves its set; the
 * set and depth limits; nesting (an inner revoke ends an outer copy); a
 * revoked forwarder cannot be wrapped; nothing is left allocated.
 */
#include <capos/errors.h>

#include "cap/forward.h"
#include "kstub.h"
#include "test.h"

struct tobj {
	struct kobj k;
	int destroyed;
};

static void tobj_destroy(struct kobj *k)
{
	((struct tobj *)k)->destroyed++;
}

static const struct kobj_ops tobj_ops = {
	.iface_id = 0x1234,
	.name = "Test",
	.destroy = tobj_destroy,
};

static void tobj_init(struct tobj *o)
{
	o->destroyed = 0;
	kobj_init(&o->k, &tobj_ops);
}

TEST(forwarder_answers_to_target_interface_and_resolves_to_it)
{
	long live0 = kstub_kmalloc_live;
	struct revoke_set *set = revoke_set_create();
	struct kobj *f, *use;
	struct tobj t;

	tobj_init(&t);
	CHECK_EQ(fwd_create(set, &t.k, &f), FWD_OK);
	CHECK(kobj_is_forwarder(f));
	CHECK_EQ(f->iface_id, 0x1234);
	CHECK_EQ(kobj_refs(&t.k), 2);
	kobj_get(f);
	use = f;
	CHECK_EQ(fwd_resolve(&use), 0);
	CHECK(use == &t.k);
	CHECK_EQ(kobj_refs(&t.k), 3);	/* the resolved reference */
	CHECK_EQ(kobj_refs(f), 1);	/* the resolve gave up the one it was handed */
	kobj_put(use);
	kobj_put(f);
	CHECK_EQ(kobj_refs(&t.k), 1);	/* the forwarder's went with it */
	CHECK_EQ(revoke_set_count(set), 0);
	revoke_set_put(set);
	kobj_put(&t.k);
	CHECK_EQ(t.destroyed, 1);
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(revoke_drops_every_target_at_once_and_is_idempotent)
{
	long live0 = kstub_kmalloc_live;
	struct revoke_set *set = revoke_set_create();
	struct kobj *f[3], *use;
	struct tobj t;

	tobj_init(&t);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(fwd_create(set, &t.k, &f[i]), FWD_OK);
	kobj_put(&t.k);			/* the forwarders hold it now */
	CHECK_EQ(revoke_set_count(set), 3);
	revoke_set_revoke(set);
	CHECK_EQ(t.destroyed, 1);	/* at the revoke, not when the copies go */
	CHECK_EQ(revoke_set_count(set), 0);
	for (int i = 0; i < 3; i++) {
		kobj_get(f[i]);
		use = f[i];
		CHECK_EQ(fwd_resolve(&use), CAPOS_ERR_DISCONNECTED);
		CHECK(use == NULL);
		CHECK_EQ(kobj_refs(f[i]), 1);
	}
	revoke_set_revoke(set);		/* a second revoke does nothing */
	struct tobj t2;
	tobj_init(&t2);
	CHECK_EQ(fwd_create(set, &t2.k, &use), FWD_ERR_SET_REVOKED);
	CHECK_EQ(kobj_refs(&t2.k), 1);
	for (int i = 0; i < 3; i++)
		kobj_put(f[i]);
	revoke_set_put(set);
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(set_limit_and_a_dead_member_frees_its_place)
{
	long live0 = kstub_kmalloc_live;
	struct revoke_set *set = revoke_set_create();
	struct kobj *f[REVOKE_SET_MAX], *extra;
	struct tobj t;

	tobj_init(&t);
	for (uint32_t i = 0; i < REVOKE_SET_MAX; i++)
		CHECK_EQ(fwd_create(set, &t.k, &f[i]), FWD_OK);
	CHECK_EQ(fwd_create(set, &t.k, &extra), FWD_ERR_SET_FULL);
	kobj_put(f[7]);
	CHECK_EQ(revoke_set_count(set), REVOKE_SET_MAX - 1);
	CHECK_EQ(fwd_create(set, &t.k, &f[7]), FWD_OK);
	CHECK_EQ(kobj_refs(&t.k), 1 + REVOKE_SET_MAX);
	revoke_set_revoke(set);
	CHECK_EQ(kobj_refs(&t.k), 1);
	for (uint32_t i = 0; i < REVOKE_SET_MAX; i++)
		kobj_put(f[i]);
	revoke_set_put(set);
	kobj_put(&t.k);
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(nesting_is_bounded_and_an_inner_revoke_ends_the_outer_copy)
{
	long live0 = kstub_kmalloc_live;
	struct revoke_set *set[FWD_DEPTH_MAX + 1];
	struct kobj *f[FWD_DEPTH_MAX], *extra, *use;
	struct tobj t;

	tobj_init(&t);
	for (uint32_t i = 0; i <= FWD_DEPTH_MAX; i++)
		set[i] = revoke_set_create();
	for (uint32_t i = 0; i < FWD_DEPTH_MAX; i++)
		CHECK_EQ(fwd_create(set[i], i ? f[i - 1] : &t.k, &f[i]), FWD_OK);
	CHECK_EQ(fwd_create(set[FWD_DEPTH_MAX], f[FWD_DEPTH_MAX - 1], &extra), FWD_ERR_TOO_DEEP);
	CHECK_EQ(f[FWD_DEPTH_MAX - 1]->iface_id, 0x1234);
	kobj_get(f[FWD_DEPTH_MAX - 1]);
	use = f[FWD_DEPTH_MAX - 1];
	CHECK_EQ(fwd_resolve(&use), 0);	/* through the whole chain */
	CHECK(use == &t.k);
	kobj_put(use);
	revoke_set_revoke(set[0]);	/* the innermost */
	kobj_get(f[FWD_DEPTH_MAX - 1]);
	use = f[FWD_DEPTH_MAX - 1];
	CHECK_EQ(fwd_resolve(&use), CAPOS_ERR_DISCONNECTED);
	CHECK_EQ(fwd_create(set[FWD_DEPTH_MAX], f[0], &extra), FWD_ERR_TARGET_REVOKED);
	for (uint32_t i = FWD_DEPTH_MAX; i-- > 0;)
		kobj_put(f[i]);
	for (uint32_t i = 0; i <= FWD_DEPTH_MAX; i++) {
		revoke_set_revoke(set[i]);
		revoke_set_put(set[i]);
	}
	CHECK_EQ(kobj_refs(&t.k), 1);
	kobj_put(&t.k);
	CHECK_EQ(kstub_kmalloc_live, live0);
}

TEST(out_of_memory_leaves_the_set_as_it_was)
{
	struct revoke_set *set = revoke_set_create();
	struct kobj *f;
	struct tobj t;

	tobj_init(&t);
	kstub_kmalloc_fail_after = 0;
	CHECK_EQ(fwd_create(set, &t.k, &f), FWD_ERR_NO_MEMORY);
	kstub_kmalloc_fail_after = -1;
	CHECK_EQ(revoke_set_count(set), 0);
	CHECK_EQ(kobj_refs(&t.k), 1);
	revoke_set_put(set);
}

int main(void)
{
	RUN(forwarder_answers_to_target_interface_and_resolves_to_it);
	RUN(revoke_drops_every_target_at_once_and_is_idempotent);
	RUN(set_limit_and_a_dead_member_frees_its_place);
	RUN(nesting_is_bounded_and_an_inner_revoke_ends_the_outer_copy);
	RUN(out_of_memory_leaves_the_set_as_it_was);
	TEST_EXIT();
}
