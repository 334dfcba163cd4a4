// SPDX-License-Identifier: MIT
/*
 * Tests of kernel/cap/table.c and object.c: ids and generations, precise
 * lookup errors, quota, reference counts (destroy exactly once), removal
 * while a lookup holds a reference, slot retirement, the two-phase
 * reserve/commit/rollback of transfer, and a two-thread stress of lookup
 * against insert/remove.
 */
#include <pthread.h>

#include <capos/errors.h>

#include "cap/table.h"
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
	.iface_id = 1,
	.name = "Test",
	.destroy = tobj_destroy,
};

static void tobj_init(struct tobj *o)
{
	o->destroyed = 0;
	kobj_init(&o->k, &tobj_ops);
}

TEST(cap_table_insert_then_lookup_returns_object_with_new_reference)
{
	struct cap_table t;
	struct tobj o;
	struct kobj *got;
	capos_cap_t id;
	uint32_t rights;

	tobj_init(&o);
	CHECK_EQ(cap_table_init(&t, 4), 0);
	CHECK_EQ(cap_table_insert(&t, &o.k, CAP_RIGHT_CALL, &id), 0);
	CHECK(capos_cap_is_wellformed(id));
	CHECK(id != CAPOS_CAP_INVALID);
	CHECK_EQ(kobj_refs(&o.k), 1);
	CHECK_EQ(cap_table_lookup(&t, id, &got, &rights), 0);
	CHECK(got == &o.k);
	CHECK_EQ(rights, CAP_RIGHT_CALL);
	CHECK_EQ(kobj_refs(&o.k), 2);
	kobj_put(got);
	CHECK_EQ(cap_table_count(&t), 1);
	cap_table_destroy(&t);
	CHECK_EQ(o.destroyed, 1);
}

TEST(cap_table_rejects_stale_generation_after_release)
{
	struct cap_table t;
	struct tobj a, b;
	struct kobj *got;
	capos_cap_t ida, idb;

	tobj_init(&a);
	tobj_init(&b);
	CHECK_EQ(cap_table_init(&t, 1), 0);
	CHECK_EQ(cap_table_insert(&t, &a.k, CAP_RIGHT_CALL, &ida), 0);
	CHECK_EQ(cap_table_remove(&t, ida), 0);
	CHECK_EQ(a.destroyed, 1);
	CHECK_EQ(cap_table_lookup(&t, ida, &got, NULL), CAPOS_ERR_STALE_CAP);
	CHECK_EQ(cap_table_remove(&t, ida), CAPOS_ERR_STALE_CAP);
	/* The slot is reused with a new generation: the old id still fails. */
	CHECK_EQ(cap_table_insert(&t, &b.k, CAP_RIGHT_CALL, &idb), 0);
	CHECK_EQ(capos_cap_index(idb), capos_cap_index(ida));
	CHECK(capos_cap_gen(idb) != capos_cap_gen(ida));
	CHECK_EQ(cap_table_lookup(&t, ida, &got, NULL), CAPOS_ERR_STALE_CAP);
	CHECK_EQ(cap_table_lookup(&t, idb, &got, NULL), 0);
	CHECK(got == &b.k);
	kobj_put(got);
	cap_table_destroy(&t);
	CHECK_EQ(b.destroyed, 1);
}

TEST(cap_table_rejects_forged_ids_as_invalid)
{
	struct cap_table t;
	struct tobj o;
	struct kobj *got = NULL;
	capos_cap_t id;

	tobj_init(&o);
	CHECK_EQ(cap_table_init(&t, 8), 0);
	CHECK_EQ(cap_table_insert(&t, &o.k, CAP_RIGHTS_ALL, &id), 0);
	CHECK_EQ(cap_table_lookup(&t, CAPOS_CAP_INVALID, &got, NULL), CAPOS_ERR_INVALID_CAP);
	/* generation 0 on a live slot's index */
	CHECK_EQ(cap_table_lookup(&t, capos_cap_make(capos_cap_index(id), 0), &got, NULL),
		 CAPOS_ERR_INVALID_CAP);
	/* a generation never issued yet */
	CHECK_EQ(cap_table_lookup(&t, capos_cap_make(capos_cap_index(id), capos_cap_gen(id) + 1),
				  &got, NULL), CAPOS_ERR_INVALID_CAP);
	/* a free slot that was never used */
	CHECK_EQ(cap_table_lookup(&t, capos_cap_make(5, 1), &got, NULL), CAPOS_ERR_INVALID_CAP);
	/* an index beyond the table */
	CHECK_EQ(cap_table_lookup(&t, capos_cap_make(8, 1), &got, NULL), CAPOS_ERR_INVALID_CAP);
	CHECK_EQ(cap_table_lookup(&t, 0xffffffffu, &got, NULL), CAPOS_ERR_INVALID_CAP);
	CHECK(got == NULL);
	CHECK_EQ(kobj_refs(&o.k), 1);
	cap_table_destroy(&t);
}

TEST(cap_table_enforces_quota_and_frees_slots_on_release)
{
	struct cap_table t;
	struct tobj o[5];
	capos_cap_t id[5];
	int i;

	CHECK_EQ(cap_table_init(&t, 4), 0);
	for (i = 0; i < 5; i++)
		tobj_init(&o[i]);
	for (i = 0; i < 4; i++)
		CHECK_EQ(cap_table_insert(&t, &o[i].k, CAP_RIGHT_CALL, &id[i]), 0);
	CHECK_EQ(cap_table_insert(&t, &o[4].k, CAP_RIGHT_CALL, &id[4]), CAPOS_ERR_CAP_TABLE_FULL);
	CHECK_EQ(kobj_refs(&o[4].k), 1);	/* the caller still owns it */
	CHECK_EQ(cap_table_remove(&t, id[2]), 0);
	CHECK_EQ(cap_table_insert(&t, &o[4].k, CAP_RIGHT_CALL, &id[4]), 0);
	CHECK_EQ(cap_table_count(&t), 4);
	cap_table_destroy(&t);
	for (i = 0; i < 5; i++)
		CHECK_EQ(o[i].destroyed, 1);
}

TEST(cap_table_init_checks_quota_and_memory)
{
	struct cap_table t;

	CHECK_EQ(cap_table_init(&t, 0), 0);
	CHECK_EQ(t.quota, CAP_TABLE_QUOTA_DEFAULT);
	cap_table_destroy(&t);
	CHECK_EQ(cap_table_init(&t, CAPOS_CAP_SLOTS_MAX + 1), CAPOS_ERR_INVALID_ARGUMENT);
	kstub_kmalloc_fail_after = 0;
	CHECK_EQ(cap_table_init(&t, 4), CAPOS_ERR_NO_MEMORY);
	kstub_kmalloc_fail_after = -1;
}

TEST(cap_object_destroyed_once_after_remove_during_lookup)
{
	struct cap_table t;
	struct tobj o;
	struct kobj *got;
	capos_cap_t id;

	tobj_init(&o);
	CHECK_EQ(cap_table_init(&t, 2), 0);
	CHECK_EQ(cap_table_insert(&t, &o.k, CAP_RIGHT_CALL, &id), 0);
	CHECK_EQ(cap_table_lookup(&t, id, &got, NULL), 0);
	/* Released while the lookup's reference is held: the object lives on. */
	CHECK_EQ(cap_table_remove(&t, id), 0);
	CHECK_EQ(o.destroyed, 0);
	CHECK_EQ(kobj_refs(&o.k), 1);
	CHECK_EQ(cap_table_lookup(&t, id, &got, NULL), CAPOS_ERR_STALE_CAP);
	kobj_put(&o.k);
	CHECK_EQ(o.destroyed, 1);
	cap_table_destroy(&t);
	CHECK_EQ(o.destroyed, 1);
}

TEST(cap_object_in_two_slots_destroyed_once_with_the_last)
{
	struct cap_table t;
	struct tobj o;
	capos_cap_t a, b;

	tobj_init(&o);
	CHECK_EQ(cap_table_init(&t, 4), 0);
	CHECK_EQ(cap_table_insert(&t, &o.k, CAP_RIGHT_CALL, &a), 0);
	kobj_get(&o.k);
	CHECK_EQ(cap_table_insert(&t, &o.k, CAP_RIGHT_CALL, &b), 0);
	CHECK(a != b);
	CHECK_EQ(cap_table_remove(&t, a), 0);
	CHECK_EQ(o.destroyed, 0);
	cap_table_destroy(&t);
	CHECK_EQ(o.destroyed, 1);
}

TEST(cap_table_take_hands_over_the_reference)
{
	struct cap_table t;
	struct tobj o;
	struct kobj *got;
	capos_cap_t id;

	tobj_init(&o);
	CHECK_EQ(cap_table_init(&t, 2), 0);
	CHECK_EQ(cap_table_insert(&t, &o.k, CAP_RIGHT_CALL, &id), 0);
	CHECK_EQ(cap_table_take(&t, id, &got), 0);
	CHECK(got == &o.k);
	CHECK_EQ(o.destroyed, 0);
	CHECK_EQ(kobj_refs(&o.k), 1);
	CHECK_EQ(cap_table_lookup(&t, id, &got, NULL), CAPOS_ERR_STALE_CAP);
	cap_table_destroy(&t);
	CHECK_EQ(o.destroyed, 0);
	kobj_put(&o.k);
	CHECK_EQ(o.destroyed, 1);
}

TEST(cap_table_retires_slot_at_last_generation)
{
	struct cap_table t;
	struct tobj o;
	struct kobj *got;
	capos_cap_t id, first = 0;
	uint32_t n;

	tobj_init(&o);
	CHECK_EQ(cap_table_init(&t, 1), 0);
	for (n = 1; n <= CAPOS_CAP_GEN_MAX; n++) {
		kobj_get(&o.k);
		CHECK_EQ(cap_table_insert(&t, &o.k, CAP_RIGHT_CALL, &id), 0);
		CHECK_EQ(capos_cap_gen(id), n);
		if (n == 1)
			first = id;
		CHECK_EQ(cap_table_remove(&t, id), 0);
	}
	CHECK_EQ(t.retired, 1);
	kobj_get(&o.k);
	CHECK_EQ(cap_table_insert(&t, &o.k, CAP_RIGHT_CALL, &id), CAPOS_ERR_CAP_TABLE_FULL);
	kobj_put(&o.k);
	/* Every id the slot ever had is stale, none is reissued. */
	CHECK_EQ(cap_table_lookup(&t, first, &got, NULL), CAPOS_ERR_STALE_CAP);
	CHECK_EQ(cap_table_lookup(&t, capos_cap_make(0, CAPOS_CAP_GEN_MAX), &got, NULL),
		 CAPOS_ERR_STALE_CAP);
	cap_table_destroy(&t);
	CHECK_EQ(o.destroyed, 0);
	kobj_put(&o.k);
	CHECK_EQ(o.destroyed, 1);
}

TEST(cap_table_reserve_commit_rollback_is_all_or_nothing)
{
	struct cap_table t;
	struct cap_reservation r;
	struct tobj o[3];
	struct kobj *got;
	capos_cap_t id, never;
	int i;

	for (i = 0; i < 3; i++)
		tobj_init(&o[i]);
	CHECK_EQ(cap_table_init(&t, 4), 0);
	CHECK_EQ(cap_table_insert(&t, &o[0].k, CAP_RIGHT_CALL, &id), 0);
	/* 4 would exceed the quota with the live slot: nothing is reserved. */
	CHECK_EQ(cap_table_reserve(&t, 4, &r), CAPOS_ERR_CAP_TABLE_FULL);
	CHECK_EQ(r.count, 0);
	CHECK_EQ(t.used, 1);
	CHECK_EQ(cap_table_reserve(&t, CAPOS_XFER_MAX + 1, &r), CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_EQ(cap_table_reserve(&t, 3, &r), 0);
	CHECK_EQ(r.count, 3);
	/* Reserved slots count against the quota and are not yet nameable. */
	CHECK_EQ(cap_table_insert(&t, &o[1].k, CAP_RIGHT_CALL, &never), CAPOS_ERR_CAP_TABLE_FULL);
	never = capos_cap_make(r.idx[2], t.slots[r.idx[2]].gen);
	CHECK_EQ(cap_table_lookup(&t, never, &got, NULL), CAPOS_ERR_INVALID_CAP);
	id = cap_table_commit(&t, &r, 0, &o[1].k, CAP_RIGHT_CALL);
	CHECK_EQ(cap_table_lookup(&t, id, &got, NULL), 0);
	CHECK(got == &o[1].k);
	kobj_put(got);
	cap_table_rollback(&t, &r);
	CHECK_EQ(t.used, 2);
	CHECK_EQ(cap_table_count(&t), 2);
	/* A rolled-back slot's id was never issued: it is still INVALID, then the next insert's. */
	CHECK_EQ(cap_table_lookup(&t, never, &got, NULL), CAPOS_ERR_INVALID_CAP);
	CHECK_EQ(cap_table_insert(&t, &o[2].k, CAP_RIGHT_CALL, &id), 0);
	CHECK_EQ(cap_table_insert(&t, &o[2].k, CAP_RIGHT_CALL, &never), 0);
	kobj_get(&o[2].k);
	cap_table_destroy(&t);
	for (i = 0; i < 3; i++)
		CHECK_EQ(o[i].destroyed, 1);
}

/* Two threads: one looks up and puts, one releases and re-inserts the same object. */
struct stress {
	struct cap_table t;
	struct tobj o;
	capos_cap_t id;		/* atomic */
	int stop;		/* atomic */
	long hits, stale;
};

static void *stress_lookup(void *arg)
{
	struct stress *s = arg;
	struct kobj *got;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		int err = cap_table_lookup(&s->t, __atomic_load_n(&s->id, __ATOMIC_RELAXED),
					   &got, NULL);
		if (err == 0) {
			if (got != &s->o.k || s->o.destroyed)
				abort();
			kobj_put(got);
			s->hits++;
		} else if (err == CAPOS_ERR_STALE_CAP) {
			s->stale++;
		} else {
			abort();
		}
	}
	return NULL;
}

TEST(cap_table_lookup_races_remove_without_losing_references)
{
	struct stress s = { 0 };
	pthread_t th;
	capos_cap_t id;
	int i;

	tobj_init(&s.o);
	CHECK_EQ(cap_table_init(&s.t, 4), 0);
	CHECK_EQ(cap_table_insert(&s.t, &s.o.k, CAP_RIGHT_CALL, &id), 0);
	__atomic_store_n(&s.id, id, __ATOMIC_RELAXED);
	CHECK_EQ(pthread_create(&th, NULL, stress_lookup, &s), 0);
	for (i = 0; i < 20000; i++) {
		struct kobj *k;

		CHECK_EQ(cap_table_take(&s.t, id, &k), 0);
		CHECK_EQ(cap_table_insert(&s.t, k, CAP_RIGHT_CALL, &id), 0);
		__atomic_store_n(&s.id, id, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	CHECK_EQ(kobj_refs(&s.o.k), 1);
	cap_table_destroy(&s.t);
	CHECK_EQ(s.o.destroyed, 1);
}

int main(void)
{
	RUN(cap_table_insert_then_lookup_returns_object_with_new_reference);
	RUN(cap_table_rejects_stale_generation_after_release);
	RUN(cap_table_rejects_forged_ids_as_invalid);
	RUN(cap_table_enforces_quota_and_frees_slots_on_release);
	RUN(cap_table_init_checks_quota_and_memory);
	RUN(cap_object_destroyed_once_after_remove_during_lookup);
	RUN(cap_object_in_two_slots_destroyed_once_with_the_last);
	RUN(cap_table_take_hands_over_the_reference);
	RUN(cap_table_retires_slot_at_last_generation);
	RUN(cap_table_reserve_commit_rollback_is_all_or_nothing);
	RUN(cap_table_lookup_races_remove_without_losing_references);
	TEST_EXIT();
}
