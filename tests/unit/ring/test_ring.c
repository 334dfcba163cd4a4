// SPDX-License-Identifier: MIT
/*
 * Tests of kernel/ring/ring.c, the ring engine: batches of NOPs, budget,
 * CQ credits (also with operations in flight), overflow counting, SQ and CQ
 * corruption and recovery, scribbled kernel-owned header fields, index
 * wrap-around, consumer exclusivity, the wait registration, and the IPC
 * fast path's access to the ring (ring_fast_peek/claim/release, two-step
 * posting). User code is played by fake_submit/fake_reap on the shared
 * region, exactly as the runtime would do it.
 */
#include <capos/errors.h>

#include "fake.h"
#include "ring/dispatch.h"
#include "test.h"

static struct capos_ring_header *hdr(struct fake_proc *p)
{
	return p->region;
}

static void submit_nops(struct fake_proc *p, uint32_t n, uint64_t first)
{
	struct capos_sqe sqe = { .opcode = CAPOS_OP_NOP };
	uint32_t i;

	for (i = 0; i < n; i++) {
		sqe.user_data = first + i;
		fake_submit(p, &sqe);
	}
}

/* Reaps n CQEs and checks they are NOP successes with user data first.. in order. */
static int reap_nops(struct fake_proc *p, uint32_t n, uint64_t first)
{
	struct capos_cqe cqe;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (fake_reap(p, &cqe) || cqe.user_data != first + i || cqe.result != 0 ||
		    cqe.opcode != CAPOS_OP_NOP || cqe.written != 0 || cqe.flags != 0)
			return -1;
	}
	return 0;
}

TEST(ring_init_publishes_geometry)
{
	struct fake_proc p;
	struct capos_ring_header *h;

	fake_proc_init(&p);
	h = hdr(&p);
	CHECK_EQ(h->magic, CAPOS_RING_MAGIC);
	CHECK_EQ(h->version, CAPOS_RING_VERSION);
	CHECK_EQ(h->size, CAPOS_RING_SIZE);
	CHECK_EQ(h->sq_entries, CAPOS_RING_SQ_ENTRIES);
	CHECK_EQ(h->cq_entries, CAPOS_RING_CQ_ENTRIES);
	CHECK_EQ(h->sq_mask, CAPOS_RING_SQ_ENTRIES - 1);
	CHECK_EQ(h->cq_mask, CAPOS_RING_CQ_ENTRIES - 1);
	CHECK_EQ(h->sq_offset, CAPOS_RING_SQ_OFFSET);
	CHECK_EQ(h->cq_offset, CAPOS_RING_CQ_OFFSET);
	CHECK_EQ(h->sq_head | h->sq_tail | h->cq_head | h->cq_tail | h->flags, 0);
	fake_proc_fini(&p);
}

TEST(ring_batch_of_32_nops_completes_in_order_with_user_data)
{
	struct fake_proc p;

	fake_proc_init(&p);
	submit_nops(&p, 32, 0x1000);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, CAPOS_RING_SQ_ENTRIES), 32);
	CHECK_EQ(hdr(&p)->sq_head, 32);
	CHECK_EQ(hdr(&p)->cq_tail, 32);
	CHECK_EQ(ring_cq_ready(&p.ring), 32);
	CHECK_EQ(reap_nops(&p, 32, 0x1000), 0);
	CHECK_EQ(ring_cq_ready(&p.ring), 0);
	CHECK_EQ(p.ring.in_flight, 0);
	fake_proc_fini(&p);
}

TEST(ring_empty_sq_consumes_nothing)
{
	struct fake_proc p;

	fake_proc_init(&p);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, CAPOS_RING_SQ_ENTRIES), 0);
	CHECK_EQ(ring_cq_ready(&p.ring), 0);
	fake_proc_fini(&p);
}

TEST(ring_consume_stops_at_budget)
{
	struct fake_proc p;

	fake_proc_init(&p);
	submit_nops(&p, 64, 0);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 10), 10);
	CHECK_EQ(hdr(&p)->sq_head, 10);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 1000000), 54);
	CHECK_EQ(reap_nops(&p, 64, 0), 0);
	fake_proc_fini(&p);
}

TEST(ring_sq_tail_far_past_head_is_corruption_and_recoverable)
{
	struct fake_proc p;

	fake_proc_init(&p);
	submit_nops(&p, 3, 7);
	hdr(&p)->sq_tail = 0x80000000u;
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), CAPOS_ERR_RING_CORRUPT);
	CHECK(hdr(&p)->flags & CAPOS_RING_F_SQ_CORRUPT);
	CHECK_EQ(hdr(&p)->sq_head, 0);
	CHECK_EQ(ring_cq_ready(&p.ring), 0);
	/* Just one past the SQ size is corrupt too. */
	hdr(&p)->sq_tail = CAPOS_RING_SQ_ENTRIES + 1;
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), CAPOS_ERR_RING_CORRUPT);
	/* Behind the head (negative fill) is corrupt. */
	hdr(&p)->sq_tail = 0xffffffffu;
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), CAPOS_ERR_RING_CORRUPT);
	/* A sane tail recovers; the flag stays as a record. */
	hdr(&p)->sq_tail = 3;
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 3);
	CHECK_EQ(reap_nops(&p, 3, 7), 0);
	CHECK(ring_flags(&p.ring) & CAPOS_RING_F_SQ_CORRUPT);
	fake_proc_fini(&p);
}

TEST(ring_ignores_scribbled_kernel_owned_header_fields)
{
	struct fake_proc p;
	struct capos_ring_header *h;

	fake_proc_init(&p);
	h = hdr(&p);
	submit_nops(&p, 4, 100);
	h->sq_head = 0xdeadbeef;
	h->cq_tail = 0x12345678;
	h->cq_overflow = 77;
	h->sq_mask = 0;
	h->sq_entries = 0xffffffff;
	h->cq_mask = 1;
	h->sq_offset = 0x4000;
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 4);
	/* The kernel rewrote its indices from its own copies. */
	CHECK_EQ(h->sq_head, 4);
	CHECK_EQ(h->cq_tail, 4);
	CHECK_EQ(reap_nops(&p, 4, 100), 0);
	CHECK_EQ(p.ring.cq_overflow, 0);
	CHECK_EQ(ring_flags(&p.ring), 0);
	fake_proc_fini(&p);
}

TEST(ring_full_cq_stops_consumption_without_losing_completions)
{
	struct fake_proc p;
	uint32_t i;

	fake_proc_init(&p);
	/* Fill the CQ with 256 unreaped NOPs, 64 at a time. */
	for (i = 0; i < 4; i++) {
		submit_nops(&p, 64, i * 64);
		CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 64);
	}
	submit_nops(&p, 5, 256);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 0);
	CHECK_EQ(hdr(&p)->sq_head, 256);	/* the 5 wait in the SQ */
	CHECK_EQ(ring_cq_ready(&p.ring), 256);
	CHECK_EQ(reap_nops(&p, 2, 0), 0);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 2);
	CHECK_EQ(reap_nops(&p, 254, 2), 0);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 3);
	CHECK_EQ(reap_nops(&p, 5, 256), 0);
	CHECK_EQ(p.ring.cq_overflow, 0);
	CHECK_EQ(ring_flags(&p.ring), 0);
	fake_proc_fini(&p);
}

TEST(ring_reserves_cq_credits_for_operations_in_flight)
{
	struct fake_proc p;
	struct capos_cqe late = { .user_data = 0xabc, .result = 5, .written = 5 };
	struct capos_cqe cqe;

	fake_proc_init(&p);
	/* 250 operations accepted earlier still hold their credits. */
	p.ring.in_flight = 250;
	submit_nops(&p, 10, 0);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 6);
	CHECK_EQ(p.ring.in_flight, 250);
	CHECK_EQ(reap_nops(&p, 6, 0), 0);
	/* Each pending completion finds its slot, even with the CQ otherwise busy. */
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 4);
	CHECK_EQ(ring_post(&p.ring, &late), 0);
	CHECK_EQ(p.ring.in_flight, 249);
	CHECK_EQ(reap_nops(&p, 4, 6), 0);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 0xabc);
	CHECK_EQ(cqe.result, 5);
	CHECK_EQ(p.ring.cq_overflow, 0);
	p.ring.in_flight = 0;
	fake_proc_fini(&p);
}

TEST(ring_post_into_full_cq_is_counted_overflow)
{
	struct fake_proc p;
	struct capos_cqe cqe = { .user_data = 1 };

	fake_proc_init(&p);
	p.ring.in_flight = 2;	/* two pending operations hold credits */
	/* User code moves cq_head back a full CQ: the CQ now looks full. */
	hdr(&p)->cq_head = (uint32_t)-(int32_t)CAPOS_RING_CQ_ENTRIES;
	CHECK_EQ(ring_post(&p.ring, &cqe), CAPOS_ERR_CQ_FULL);
	CHECK_EQ(p.ring.cq_overflow, 1);
	CHECK_EQ(hdr(&p)->cq_overflow, 1);
	CHECK(hdr(&p)->flags & CAPOS_RING_F_CQ_OVERFLOW);
	CHECK(!(hdr(&p)->flags & CAPOS_RING_F_CQ_CORRUPT));
	CHECK_EQ(hdr(&p)->cq_tail, 0);
	CHECK_EQ(p.ring.in_flight, 1);
	/* Sane again: the next completion is posted; the overflow flag stays. */
	hdr(&p)->cq_head = 0;
	CHECK_EQ(ring_post(&p.ring, &cqe), 0);
	CHECK_EQ(hdr(&p)->cq_tail, 1);
	CHECK(ring_flags(&p.ring) & CAPOS_RING_F_CQ_OVERFLOW);
	fake_proc_fini(&p);
}

static struct fake_proc *hook_proc;

/* User code on another CPU moves cq_head back a whole CQ while a CALL runs. */
static void hook_rewind_cq_head(void)
{
	struct capos_ring_header *h = hook_proc->region;

	h->cq_head = h->cq_tail - CAPOS_RING_CQ_ENTRIES;
}

TEST(ring_nop_run_after_a_call_counts_overflow_from_rewound_cq_head)
{
	struct fake_proc p;
	struct fake_obj o;
	struct capos_sqe call = { .opcode = CAPOS_OP_CALL, .method_id = FAKE_M_HOOK };
	capos_cap_t id;

	fake_proc_init(&p);
	fake_obj_init(&o);
	CHECK_EQ(cap_table_insert(&p.caps, &o.k, CAP_RIGHT_CALL, &id), 0);
	call.cap_id = id;
	hook_proc = &p;
	fake_hook = hook_rewind_cq_head;
	submit_nops(&p, 1, 0);
	fake_submit(&p, &call);
	submit_nops(&p, 3, 10);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 5);
	fake_hook = NULL;
	/* NOP 0 was posted; the CALL's CQE and the 3 NOPs after it found the CQ full. */
	CHECK_EQ(o.calls, 1);
	CHECK_EQ(p.ring.cq_overflow, 4);
	CHECK_EQ(hdr(&p)->cq_overflow, 4);
	CHECK(ring_flags(&p.ring) & CAPOS_RING_F_CQ_OVERFLOW);
	CHECK_EQ(hdr(&p)->cq_tail, 1);
	CHECK_EQ(p.ring.in_flight, 0);
	fake_proc_fini(&p);
	CHECK_EQ(o.destroyed, 1);
}

TEST(ring_corrupt_cq_head_blocks_consumption_until_sane)
{
	struct fake_proc p;

	fake_proc_init(&p);
	submit_nops(&p, 3, 0);
	hdr(&p)->cq_head = 1000;	/* ahead of cq_tail: tail - head > entries */
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 0);
	CHECK(hdr(&p)->flags & CAPOS_RING_F_CQ_CORRUPT);
	CHECK_EQ(ring_cq_ready(&p.ring), CAPOS_RING_CQ_ENTRIES);
	hdr(&p)->cq_head = 0;
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 3);
	CHECK_EQ(reap_nops(&p, 3, 0), 0);
	fake_proc_fini(&p);
}

TEST(ring_indices_wrap_around_32_bits)
{
	struct fake_proc p;
	const uint32_t start = 0xfffffff0u;
	uint32_t i;

	fake_proc_init(&p);
	p.ring.sq_head = start;
	p.ring.cq_tail = start;
	hdr(&p)->sq_head = hdr(&p)->sq_tail = start;
	hdr(&p)->cq_head = hdr(&p)->cq_tail = start;
	for (i = 0; i < 4; i++) {
		submit_nops(&p, 40, i * 40);
		CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 40);
		CHECK_EQ(reap_nops(&p, 40, i * 40), 0);
	}
	CHECK_EQ(hdr(&p)->sq_head, start + 160);
	CHECK_EQ(hdr(&p)->cq_tail, start + 160);
	fake_proc_fini(&p);
}

TEST(ring_second_consumer_gets_busy)
{
	struct fake_proc p;

	fake_proc_init(&p);
	submit_nops(&p, 1, 0);
	p.ring.consuming = 1;	/* another thread is inside ring_consume */
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), CAPOS_ERR_BUSY);
	CHECK_EQ(hdr(&p)->sq_head, 0);
	p.ring.consuming = 0;
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 1);
	fake_proc_fini(&p);
}

TEST(ring_wait_wakes_once_when_min_complete_reached)
{
	struct fake_proc p;
	struct capos_cqe cqe = { 0 };
	bool busy;

	fake_proc_init(&p);
	fake_wake_count = 0;
	CHECK(!ring_wait_prepare(&p.ring, 0, &busy));
	CHECK(ring_wait_prepare(&p.ring, 2, &busy));
	CHECK(!busy);
	/* A second waiter is refused while the first is registered. */
	CHECK(!ring_wait_prepare(&p.ring, 1, &busy));
	CHECK(busy);
	p.ring.in_flight = 3;
	CHECK_EQ(ring_post(&p.ring, &cqe), 0);
	CHECK_EQ(fake_wake_count, 0);
	CHECK_EQ(ring_post(&p.ring, &cqe), 0);
	CHECK_EQ(fake_wake_count, 1);
	CHECK_EQ(ring_post(&p.ring, &cqe), 0);
	CHECK_EQ(fake_wake_count, 1);	/* the registration was consumed */
	ring_wait_finish(&p.ring);
	/* Already satisfied: no sleep. */
	CHECK(!ring_wait_prepare(&p.ring, 3, &busy));
	CHECK(!busy);
	CHECK(ring_wait_prepare(&p.ring, 4, NULL));
	ring_wait_finish(&p.ring);
	CHECK_EQ(p.ring.wait_min, 0);
	fake_proc_fini(&p);
}

/* ---- the IPC fast path's access to the SQ, and two-step posting ------------------------ */

/* What a refused ring_fast_claim must leave as it was. */
struct fast_state {
	uint32_t consuming, sq_head, hdr_sq_head, cq_tail, in_flight, flags;
};

static struct fast_state fast_state(struct fake_proc *p)
{
	return (struct fast_state){ p->ring.consuming, p->ring.sq_head, hdr(p)->sq_head,
				    p->ring.cq_tail, p->ring.in_flight, p->ring.flags };
}

static bool fast_state_eq(struct fast_state a, struct fast_state b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* Submits n distinct CALL SQEs (never consumed here: only claimed and copied). */
static void submit_calls(struct fake_proc *p, uint32_t n, uint64_t first)
{
	struct capos_sqe sqe = { .opcode = CAPOS_OP_CALL, .cap_id = 7, .params_len = 8 };
	uint32_t i;

	for (i = 0; i < n; i++) {
		sqe.user_data = first + i;
		sqe.method_id = (uint16_t)i;
		fake_submit(p, &sqe);
	}
}

/* Fills the CQ with `used` unreaped NOP completions. */
static void fill_cq(struct fake_proc *p, uint32_t used)
{
	while (used) {
		uint32_t k = used < 64 ? used : 64;

		submit_nops(p, k, 0);
		if (ring_consume(&p->ring, &p->caller, 64) != (int)k)
			abort();
		used -= k;
	}
}

TEST(ring_fast_peek_sees_count_and_first_opcode_only_for_one_or_two)
{
	struct fake_proc p;
	struct capos_sqe recv = { .opcode = CAPOS_OP_RECV };
	uint8_t op = 0xee;

	fake_proc_init(&p);
	CHECK_EQ(ring_fast_peek(&p.ring, &op), 0);
	CHECK_EQ(op, 0xee);
	fake_submit(&p, &recv);
	CHECK_EQ(ring_fast_peek(&p.ring, &op), 1);
	CHECK_EQ(op, CAPOS_OP_RECV);
	submit_calls(&p, 1, 0);
	op = 0xee;
	CHECK_EQ(ring_fast_peek(&p.ring, &op), 2);
	CHECK_EQ(op, CAPOS_OP_RECV);
	submit_calls(&p, 1, 0);
	op = 0xee;
	CHECK_EQ(ring_fast_peek(&p.ring, &op), 3);
	CHECK_EQ(op, 0xee);
	CHECK(fast_state_eq(fast_state(&p), (struct fast_state){ 0 }));
	fake_proc_fini(&p);
}

/*
 * Every refusal takes nothing: the consumer flag as it was, no credit, the
 * SQ untouched. One case per condition, each on a fresh ring.
 */
TEST(ring_fast_claim_refuses_and_takes_nothing)
{
	static const struct {
		const char *what;
		uint32_t queued, n;	/* SQEs in the SQ, SQEs claimed */
		uint32_t busy;		/* consumer flag held by another thread */
		uint32_t cq_used, in_flight;
		uint32_t cq_head;	/* non-zero: user code writes this cq_head */
	} cases[] = {
		{ "consumer flag held", 1, 1, 1, 0, 0, 0 },
		{ "consumer flag held, two", 2, 2, 1, 0, 0, 0 },
		{ "SQ holds fewer", 1, 2, 0, 0, 0, 0 },
		{ "SQ empty", 0, 1, 0, 0, 0, 0 },
		{ "SQ holds more", 2, 1, 0, 0, 0, 0 },
		{ "SQ holds three", 3, 2, 0, 0, 0, 0 },
		{ "n 0 on an empty SQ", 0, 0, 0, 0, 0, 0 },
		{ "n 3", 3, 3, 0, 0, 0, 0 },
		{ "CQ full", 1, 1, 0, CAPOS_RING_CQ_ENTRIES, 0, 0 },
		{ "CQ full with a credit held", 1, 1, 0, CAPOS_RING_CQ_ENTRIES - 1, 1, 0 },
		{ "one credit left, two wanted", 2, 2, 0, CAPOS_RING_CQ_ENTRIES - 1, 0, 0 },
		{ "one credit left counting in_flight", 2, 2, 0, CAPOS_RING_CQ_ENTRIES - 3, 2, 0 },
		{ "corrupt cq_head (used > entries)", 1, 1, 0, 0, 0, 1000 },
		{ "cq_head one past a full CQ", 1, 1, 0, 0, 0,
		  (uint32_t)-(int32_t)(CAPOS_RING_CQ_ENTRIES + 1) },
	};
	uint64_t w[RING_FAST_MAX][CAPOS_SQE_SIZE / 8];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fake_proc p;
		struct fast_state before;

		fake_proc_init(&p);
		fill_cq(&p, cases[i].cq_used);
		submit_calls(&p, cases[i].queued, 100);
		p.ring.in_flight = cases[i].in_flight;
		p.ring.consuming = cases[i].busy;
		if (cases[i].cq_head)
			hdr(&p)->cq_head = cases[i].cq_head;
		before = fast_state(&p);
		if (ring_fast_claim(&p.ring, cases[i].n, w) || !fast_state_eq(before, fast_state(&p))) {
			snprintf(test_why, sizeof(test_why), "%s: claimed, or changed the ring",
				 cases[i].what);
			test_failed_at = test_why;
			return;
		}
		p.ring.in_flight = 0;
		fake_proc_fini(&p);
	}
}

/* The boundary: exactly enough credits (CQ used + in_flight + n == entries) is enough. */
TEST(ring_fast_claim_takes_exactly_n_credits_and_the_flag)
{
	struct fake_proc p;
	uint64_t w[RING_FAST_MAX][CAPOS_SQE_SIZE / 8];
	struct capos_sqe *sq;
	uint32_t head;

	fake_proc_init(&p);
	sq = (struct capos_sqe *)((uint8_t *)p.region + CAPOS_RING_SQ_OFFSET);
	fill_cq(&p, CAPOS_RING_CQ_ENTRIES - 5);
	head = p.ring.sq_head;
	p.ring.in_flight = 3;
	submit_calls(&p, 2, 0x500);
	memset(w, 0xa5, sizeof(w));
	CHECK(ring_fast_claim(&p.ring, 2, w));
	CHECK_EQ(p.ring.in_flight, 5);
	CHECK_EQ(p.ring.consuming, 1);
	CHECK(memcmp(w[0], &sq[head & (CAPOS_RING_SQ_ENTRIES - 1)], CAPOS_SQE_SIZE) == 0);
	CHECK(memcmp(w[1], &sq[(head + 1) & (CAPOS_RING_SQ_ENTRIES - 1)], CAPOS_SQE_SIZE) == 0);
	CHECK_EQ(((struct capos_sqe *)w[1])->user_data, 0x501);
	/* The SQ is not consumed until the release. */
	CHECK_EQ(p.ring.sq_head, head);
	CHECK_EQ(hdr(&p)->sq_head, head);
	/* A second claimer (or ring_consume) finds the flag taken. */
	CHECK(!ring_fast_claim(&p.ring, 2, w));
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), CAPOS_ERR_BUSY);
	CHECK_EQ(p.ring.in_flight, 5);
	/* Both consumed; one credit stays (a waiting operation), one goes back. */
	ring_fast_release(&p.ring, 2, 1);
	CHECK_EQ(p.ring.sq_head, head + 2);
	CHECK_EQ(hdr(&p)->sq_head, head + 2);
	CHECK_EQ(p.ring.in_flight, 4);
	CHECK_EQ(p.ring.consuming, 0);
	CHECK_EQ(p.ring.cq_tail, CAPOS_RING_CQ_ENTRIES - 5);
	p.ring.in_flight = 0;
	fake_proc_fini(&p);
}

/* A declined claim gives every credit back and leaves the SQEs for ring_consume. */
TEST(ring_fast_release_of_a_declined_claim_restores_everything)
{
	struct fake_proc p;
	uint64_t w[RING_FAST_MAX][CAPOS_SQE_SIZE / 8];
	struct fast_state before;

	fake_proc_init(&p);
	submit_nops(&p, 1, 0x42);
	before = fast_state(&p);
	CHECK(ring_fast_claim(&p.ring, 1, w));
	CHECK_EQ(p.ring.in_flight, 1);
	ring_fast_release(&p.ring, 0, 1);
	CHECK(fast_state_eq(before, fast_state(&p)));
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 1);
	CHECK_EQ(reap_nops(&p, 1, 0x42), 0);
	/* The kernel republishes sq_head from its copy, not from a scribbled header. */
	submit_nops(&p, 1, 0x43);
	hdr(&p)->sq_head = 0xdead;
	CHECK(ring_fast_claim(&p.ring, 1, w));
	ring_fast_release(&p.ring, 1, 1);
	CHECK_EQ(hdr(&p)->sq_head, 2);
	CHECK_EQ(p.ring.in_flight, 0);
	fake_proc_fini(&p);
}

/* A CQE posted in two steps into a full CQ is dropped and counted; the end still unlocks. */
TEST(ring_post_begin_on_a_full_cq_counts_the_overflow)
{
	struct fake_proc p;
	struct capos_cqe *slot;

	fake_proc_init(&p);
	p.ring.in_flight = 2;
	hdr(&p)->cq_head = (uint32_t)-(int32_t)CAPOS_RING_CQ_ENTRIES;	/* looks full */
	fake_wake_count = 0;
	CHECK(ring_wait_prepare(&p.ring, 1, NULL) == false);	/* a full CQ: min met */
	slot = ring_post_begin(&p.ring);
	CHECK(slot == NULL);
	CHECK(spin_is_held(&p.ring.cq_lock));
	CHECK_EQ(p.ring.in_flight, 2);	/* the credit comes back in ring_post_end */
	CHECK_EQ(p.ring.cq_overflow, 1);
	CHECK_EQ(hdr(&p)->cq_overflow, 1);
	CHECK(hdr(&p)->flags & CAPOS_RING_F_CQ_OVERFLOW);
	CHECK(!(hdr(&p)->flags & CAPOS_RING_F_CQ_CORRUPT));
	CHECK(!ring_post_end(&p.ring, NULL));
	CHECK(!spin_is_held(&p.ring.cq_lock));
	CHECK_EQ(p.ring.in_flight, 1);
	CHECK_EQ(hdr(&p)->cq_tail, 0);
	CHECK_EQ(p.ring.cq_tail, 0);
	/* Corrupt rather than full: counted, and flagged as corruption too. */
	hdr(&p)->cq_head = 1000;
	CHECK(ring_post_begin(&p.ring) == NULL);
	CHECK(!ring_post_end(&p.ring, NULL));
	CHECK(!spin_is_held(&p.ring.cq_lock));
	CHECK_EQ(p.ring.cq_overflow, 2);
	CHECK_EQ(p.ring.in_flight, 0);
	CHECK(ring_flags(&p.ring) & CAPOS_RING_F_CQ_CORRUPT);
	CHECK_EQ(fake_wake_count, 0);
	fake_proc_fini(&p);
}

/*
 * A poster on another CPU between its two steps (ring_post_begin has the
 * slot, ring_post_end has not published it): the unlocked credit taker of
 * the fast path must not see that credit free before the CQE is counted in
 * cq_tail, or it over-commits the CQ and a completion is lost. With the CQ
 * one short of full and that CALL's credit the last, a claim must fail until
 * the post ends, and then too (the CQE now fills the CQ).
 */
TEST(ring_credit_comes_back_only_with_its_cqe)
{
	struct fake_proc p;
	struct capos_cqe *slot;
	uint64_t w[RING_FAST_MAX][CAPOS_SQE_SIZE / 8];

	fake_proc_init(&p);
	fill_cq(&p, CAPOS_RING_CQ_ENTRIES - 1);
	p.ring.in_flight = 1;	/* a call waiting for its answer */
	submit_calls(&p, 1, 100);
	slot = ring_post_begin(&p.ring);	/* the answer arrives, half posted */
	CHECK(slot != NULL);
	CHECK(!ring_fast_claim(&p.ring, 1, w));
	*slot = (struct capos_cqe){ .user_data = 1, .opcode = CAPOS_OP_CALL };
	CHECK(!ring_post_end(&p.ring, slot));
	CHECK(!ring_fast_claim(&p.ring, 1, w));
	CHECK_EQ(p.ring.in_flight, 0);
	CHECK_EQ(p.ring.cq_overflow, 0);
	fake_proc_fini(&p);
}

/*
 * Two-step posting publishes cq_tail and reports the waiter's wake-up
 * exactly when a registered waiter's min is reached (and never calls
 * ring_wake itself: the caller owes it).
 */
TEST(ring_post_begin_end_publish_and_report_the_wake)
{
	struct fake_proc p;
	struct capos_cqe *slot, cqe;
	uint32_t i;

	fake_proc_init(&p);
	fake_wake_count = 0;
	p.ring.in_flight = 5;
	/* No waiter: published, nothing to wake. */
	slot = ring_post_begin(&p.ring);
	CHECK(slot != NULL);
	CHECK_EQ(p.ring.in_flight, 5);	/* back with the CQE, in ring_post_end */
	*slot = (struct capos_cqe){ .user_data = 100, .result = 7, .opcode = CAPOS_OP_RECV };
	CHECK(!ring_post_end(&p.ring, slot));
	CHECK(!spin_is_held(&p.ring.cq_lock));
	CHECK_EQ(p.ring.in_flight, 4);
	CHECK_EQ(hdr(&p)->cq_tail, 1);
	CHECK_EQ(p.ring.cq_tail, 1);
	/* A waiter for 3 ready CQEs: woken by the third, reported once. */
	CHECK(ring_wait_prepare(&p.ring, 3, NULL));
	for (i = 1; i < 4; i++) {
		bool wake;

		slot = ring_post_begin(&p.ring);
		CHECK(slot != NULL);
		*slot = (struct capos_cqe){ .user_data = 100 + i };
		wake = ring_post_end(&p.ring, slot);
		CHECK_EQ(wake, i == 2);
		CHECK_EQ(hdr(&p)->cq_tail, i + 1);
	}
	CHECK_EQ(p.ring.wait_min, 0);
	CHECK_EQ(p.ring.in_flight, 1);
	CHECK_EQ(fake_wake_count, 0);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(fake_reap(&p, &cqe), 0);
		CHECK_EQ(cqe.user_data, 100 + i);
	}
	/* A waiter whose min is not reached is not reported. */
	CHECK(ring_wait_prepare(&p.ring, 2, NULL));
	slot = ring_post_begin(&p.ring);
	CHECK(!ring_post_end(&p.ring, slot));
	CHECK_EQ(p.ring.wait_min, 2);
	ring_wait_finish(&p.ring);
	/* ring_post_defer_wake agrees with the two steps. */
	p.ring.in_flight = 1;
	CHECK(ring_wait_prepare(&p.ring, 2, NULL));
	{
		bool wake = false;

		CHECK_EQ(ring_post_defer_wake(&p.ring, &cqe, &wake), 0);
		CHECK(wake);
	}
	CHECK_EQ(fake_wake_count, 0);
	fake_proc_fini(&p);
}

int main(void)
{
	RUN(ring_init_publishes_geometry);
	RUN(ring_batch_of_32_nops_completes_in_order_with_user_data);
	RUN(ring_empty_sq_consumes_nothing);
	RUN(ring_consume_stops_at_budget);
	RUN(ring_sq_tail_far_past_head_is_corruption_and_recoverable);
	RUN(ring_ignores_scribbled_kernel_owned_header_fields);
	RUN(ring_full_cq_stops_consumption_without_losing_completions);
	RUN(ring_reserves_cq_credits_for_operations_in_flight);
	RUN(ring_post_into_full_cq_is_counted_overflow);
	RUN(ring_nop_run_after_a_call_counts_overflow_from_rewound_cq_head);
	RUN(ring_corrupt_cq_head_blocks_consumption_until_sane);
	RUN(ring_indices_wrap_around_32_bits);
	RUN(ring_second_consumer_gets_busy);
	RUN(ring_wait_wakes_once_when_min_complete_reached);
	RUN(ring_fast_peek_sees_count_and_first_opcode_only_for_one_or_two);
	RUN(ring_fast_claim_refuses_and_takes_nothing);
	RUN(ring_fast_claim_takes_exactly_n_credits_and_the_flag);
	RUN(ring_fast_release_of_a_declined_claim_restores_everything);
	RUN(ring_post_begin_on_a_full_cq_counts_the_overflow);
	RUN(ring_credit_comes_back_only_with_its_cqe);
	RUN(ring_post_begin_end_publish_and_report_the_wake);
	TEST_EXIT();
}
