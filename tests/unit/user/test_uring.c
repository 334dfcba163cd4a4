// SPDX-License-Identifier: MIT
/*
 * Ring client (user/lib/uring.c) against the simulated kernel of
 * fake_kernel.c: header checks, SQ full and zeroed slots, publication only
 * on submit, a 32-NOP batch in one enter, completion matching when the
 * kernel answers out of order or late, hundreds of completions stashed for
 * other callers (more than the CQ holds) with none lost, index wrap-around,
 * error propagation, the SQE a CALL puts on the ring, and which SQEs
 * CAPOS_SQE_F_SKIP_SUCCESS keeps off the CQ.
 */
#include <capos/errors.h>

#include "../test.h"
#include "fake_kernel.h"
#include "uring.h"

static struct uring r;

static void tu_setup(uint32_t start)
{
	uring_stash_free(&r);	/* uring_init starts an empty stash */
	fk_reset(start);
	if (uring_init(&r, fk_ring_addr()))
		abort();
}

TEST(init_rejects_bad_magic_and_geometry)
{
	struct capos_ring_header *h = (struct capos_ring_header *)fk.mem;

	fk_reset(0);
	CHECK_EQ(uring_init(&r, fk_ring_addr()), 0);
	CHECK_EQ(uring_init(&r, 0), CAPOS_ERR_INVALID_ARGUMENT);
	h->magic ^= 1;
	CHECK_EQ(uring_init(&r, fk_ring_addr()), CAPOS_ERR_INVALID_ARGUMENT);
	fk_reset(0);
	h->sq_entries = 48;
	CHECK_EQ(uring_init(&r, fk_ring_addr()), CAPOS_ERR_INVALID_ARGUMENT);
	fk_reset(0);
	h->cq_offset = CAPOS_RING_SIZE - 32;
	CHECK_EQ(uring_init(&r, fk_ring_addr()), CAPOS_ERR_INVALID_ARGUMENT);
	fk_reset(0);
	h->sq_mask = 0;
	CHECK_EQ(uring_init(&r, fk_ring_addr()), CAPOS_ERR_INVALID_ARGUMENT);
}

TEST(get_sqe_zeroes_slot_and_stops_when_sq_full)
{
	struct capos_sqe *sq = (struct capos_sqe *)(fk.mem + CAPOS_RING_SQ_OFFSET);
	uint32_t i;

	tu_setup(0);
	memset(sq, 0xa5, CAPOS_RING_SQ_ENTRIES * sizeof(*sq));
	for (i = 0; i < CAPOS_RING_SQ_ENTRIES; i++) {
		struct capos_sqe *s = uring_get_sqe(&r);

		CHECK(s != NULL);
		CHECK_EQ(s->opcode, 0);
		CHECK_EQ(s->user_data, 0);
		CHECK_EQ(s->pipeline_dep, 0);
	}
	CHECK(uring_get_sqe(&r) == NULL);
	CHECK_EQ(uring_enter(&r, 0, 0), CAPOS_RING_SQ_ENTRIES);
	CHECK(uring_get_sqe(&r) != NULL);
}

TEST(sqes_are_published_only_by_submit)
{
	struct capos_ring_header *h = (struct capos_ring_header *)fk.mem;

	tu_setup(7);
	uring_get_sqe(&r);
	uring_get_sqe(&r);
	CHECK_EQ(h->sq_tail, 7);
	CHECK_EQ(uring_sys_enter(0, 0), 0);
	CHECK_EQ(fk.consumed, 0);
	uring_submit(&r);
	CHECK_EQ(h->sq_tail, 9);
	CHECK_EQ(uring_sys_enter(0, 0), 2);
}

TEST(batch_of_32_nops_completes_in_order_in_one_enter)
{
	struct capos_cqe c;
	uint32_t i;

	tu_setup(0);
	for (i = 0; i < 32; i++) {
		struct capos_sqe *s = uring_get_sqe(&r);

		s->user_data = 1000 + i;
	}
	CHECK_EQ(uring_enter(&r, 32, CAPOS_TIMEOUT_INFINITE), 32);
	CHECK_EQ(fk.enters, 1);
	for (i = 0; i < 32; i++) {
		CHECK(uring_reap(&r, &c));
		CHECK_EQ(c.user_data, 1000 + i);
		CHECK_EQ(c.result, 0);
	}
	CHECK(!uring_reap(&r, &c));
}

TEST(peek_reads_completions_in_place_and_seen_frees_each_slot)
{
	const struct capos_cqe *c;
	uint32_t i;

	tu_setup(0xfffffff0u);	/* cq_head and cq_tail wrap on the way */
	CHECK(uring_peek_cqe(&r) == NULL);
	for (i = 0; i < 32; i++)
		uring_get_sqe(&r)->user_data = 2000 + i;
	CHECK_EQ(uring_enter(&r, 32, CAPOS_TIMEOUT_INFINITE), 32);
	for (i = 0; i < 32; i++) {
		c = uring_peek_cqe(&r);
		CHECK(c != NULL);
		CHECK(c == uring_peek_cqe(&r));	/* peeking twice consumes nothing */
		CHECK_EQ(c->user_data, 2000 + i);
		CHECK_EQ(c->result, 0);
		uring_cqe_seen(&r);
	}
	CHECK(uring_peek_cqe(&r) == NULL);
	CHECK_EQ(r.hdr->cq_head, r.hdr->cq_tail);
}

TEST(wait_finds_its_completion_among_reversed_ones)
{
	struct capos_cqe c;
	uint32_t i;

	tu_setup(0);
	fk.reverse = 1;
	for (i = 0; i < 10; i++)
		uring_get_sqe(&r)->user_data = 50 + i;
	CHECK_EQ(uring_wait(&r, 50, &c), 0);
	CHECK_EQ(c.user_data, 50);
	CHECK_EQ(r.nstash, 9);
	CHECK_EQ(uring_wait(&r, 55, &c), 0);
	CHECK_EQ(c.user_data, 55);
	/* The rest come out of uring_reap oldest-reaped first: 59..56, 54..51. */
	for (i = 59; i > 50; i--) {
		if (i == 55)
			continue;
		CHECK(uring_reap(&r, &c));
		CHECK_EQ(c.user_data, i);
	}
	CHECK(!uring_reap(&r, &c));
}

TEST(wait_enters_again_for_a_late_completion)
{
	struct capos_sqe nop = { .opcode = CAPOS_OP_NOP };
	struct capos_cqe c;

	tu_setup(0);
	fk.defer = 1;
	CHECK_EQ(uring_run(&r, &nop, &c), 0);
	CHECK_EQ(fk.enters, 2);
	CHECK_EQ(c.opcode, CAPOS_OP_NOP);
}

TEST(wait_returns_enter_error)
{
	struct capos_sqe nop = { .opcode = CAPOS_OP_NOP };

	tu_setup(0);
	fk.fail = CAPOS_ERR_BUSY;
	CHECK_EQ(uring_run(&r, &nop, NULL), CAPOS_ERR_BUSY);
}

/*
 * Submits n NOPs (user_data first..first+n-1) in batches the SQ holds; each
 * enter posts its batch in reverse, so the first of the last batch comes last.
 */
static void tu_submit_reversed(uint64_t first, uint32_t n)
{
	uint32_t done = 0;

	fk.reverse = 1;
	while (done < n) {
		uint32_t batch = n - done < 50 ? n - done : 50;

		for (uint32_t i = 0; i < batch; i++)
			uring_get_sqe(&r)->user_data = first + done + i;
		CHECK(uring_enter(&r, 0, 0) >= 0);
		done += batch;
	}
}

/* Every one of ids first..first+n-1 except `skip` is reaped exactly once. */
static void tu_reap_all_once(uint64_t first, uint32_t n, uint64_t skip)
{
	static uint8_t seen[1024];
	struct capos_cqe c;
	uint32_t got = 0;

	memset(seen, 0, sizeof(seen));
	while (uring_reap(&r, &c)) {
		CHECK(c.user_data >= first && c.user_data < first + n && c.user_data != skip);
		CHECK_EQ(seen[c.user_data - first]++, 0);
		got++;
	}
	CHECK_EQ(got, n - 1);
}

TEST(wait_behind_many_other_completions_loses_none)
{
	struct capos_cqe c;

	tu_setup(0);
	/* 200 in the CQ; 151 (first of the last batch) is posted last: 199 go to the stash. */
	tu_submit_reversed(1, 200);
	CHECK_EQ(uring_wait(&r, 151, &c), 0);
	CHECK_EQ(c.user_data, 151);
	CHECK_EQ(r.nstash, 199);
	tu_reap_all_once(1, 200, 151);
}

TEST(stash_grows_past_the_cq_size)
{
	struct capos_cqe c;

	tu_setup(0);
	/* Stashing frees CQ slots, so more work fits: 600 pending, beyond the 256-entry CQ. */
	tu_submit_reversed(1, 200);
	CHECK_EQ(uring_wait(&r, 151, &c), 0);
	tu_submit_reversed(201, 200);
	CHECK_EQ(uring_wait(&r, 351, &c), 0);
	tu_submit_reversed(401, 200);
	CHECK_EQ(uring_wait(&r, 551, &c), 0);
	CHECK_EQ(r.nstash, 597);
	CHECK(r.stash_cap >= 597);
	/* Each of the others exactly once, by its id. */
	for (uint64_t id = 1; id <= 600; id++) {
		if (id == 151 || id == 351 || id == 551)
			continue;
		CHECK_EQ(uring_wait(&r, id, &c), 0);
		CHECK_EQ(c.user_data, id);
	}
	CHECK_EQ(r.nstash, 0);
	CHECK(!uring_reap(&r, &c));
}

/* The heap's own growth waits on the ring: the first stashed CQEs need no heap. */
TEST(stash_starts_inline_and_moves_to_the_heap_in_order)
{
	struct capos_cqe c = { 0 };

	tu_setup(0);
	for (uint32_t i = 0; i < URING_STASH_INLINE; i++) {
		c.user_data = 1000 + i;
		CHECK(uring_stash_put(&r, &c));
	}
	CHECK(r.stash == r.stash_inline);
	c.user_data = 1000 + URING_STASH_INLINE;
	CHECK(uring_stash_put(&r, &c));
	CHECK(r.stash != r.stash_inline);
	CHECK_EQ(r.stash_cap, URING_STASH_INIT);
	for (uint32_t i = 0; i <= URING_STASH_INLINE; i++) {
		uring_reap_stash(&r, &c);
		CHECK_EQ(c.user_data, 1000 + i);
	}
	CHECK_EQ(r.nstash, 0);
}

TEST(many_runs_across_index_wrap)
{
	struct capos_sqe nop = { .opcode = CAPOS_OP_NOP };
	struct capos_ring_header *h = (struct capos_ring_header *)fk.mem;
	struct capos_cqe c;
	uint32_t i;

	tu_setup(0xffffff00u);
	for (i = 0; i < 2000; i++) {
		CHECK_EQ(uring_run(&r, &nop, &c), 0);
		CHECK_EQ(c.user_data, r.next_user_data - 1);
	}
	CHECK_EQ(h->sq_tail, 0xffffff00u + 2000);
	CHECK_EQ(h->cq_head, 0xffffff00u + 2000);
}

TEST(run_enters_first_when_sq_is_full)
{
	struct capos_sqe nop = { .opcode = CAPOS_OP_NOP };
	struct capos_cqe c;
	uint32_t i;

	tu_setup(0);
	for (i = 0; i < CAPOS_RING_SQ_ENTRIES; i++)
		uring_get_sqe(&r)->user_data = 0x5000 + i;
	CHECK_EQ(uring_run(&r, &nop, &c), 0);
	CHECK_EQ(fk.consumed, CAPOS_RING_SQ_ENTRIES + 1);
	CHECK_EQ(r.nstash, CAPOS_RING_SQ_ENTRIES);
}

TEST(user_data_ids_are_unique_and_nonzero)
{
	tu_setup(0);
	r.next_user_data = (uint64_t)-1;
	CHECK_EQ(uring_next_id(&r), (uint64_t)-1);
	CHECK_EQ(uring_next_id(&r), 1);
	CHECK_EQ(uring_next_id(&r), 2);
}

static void tu_call_answer(const struct capos_sqe *s, struct capos_cqe *c)
{
	c->result = (int32_t)s->method_id;
	c->written = (uint32_t)s->method_id;
}

TEST(call_puts_every_field_on_the_ring)
{
	static uint64_t params[4], result[8];
	struct capos_xfer x[2] = { { .cap_id = 9, .mode = CAPOS_XFER_COPY } };
	struct capos_cqe c;

	tu_setup(0);
	fk.call = tu_call_answer;
	CHECK_EQ(uring_call(&r, 0x10003, 7, params, sizeof(params), result, sizeof(result), x,
			    1, &c), 7);
	CHECK_EQ(fk.last.opcode, CAPOS_OP_CALL);
	CHECK_EQ(fk.last.cap_id, 0x10003);
	CHECK_EQ(fk.last.method_id, 7);
	CHECK(fk.last.params_addr == (uint64_t)(uintptr_t)params);
	CHECK_EQ(fk.last.params_len, sizeof(params));
	CHECK(fk.last.result_addr == (uint64_t)(uintptr_t)result);
	CHECK_EQ(fk.last.result_len, sizeof(result));
	CHECK(fk.last.xfer_addr == (uint64_t)(uintptr_t)x);
	CHECK_EQ(fk.last.xfer_count, 1);
	CHECK_EQ(fk.last.flags | fk.last.call_id | fk.last.thread_id | fk.last.pipeline_dep, 0);
	CHECK_EQ(c.written, 7);
	uring_call(&r, 1, 0, params, 8, result, 8, x, 0, NULL);
	CHECK_EQ(fk.last.xfer_addr, 0);
}

/* Queues opcode op with flags and user_data ud. */
static void tu_queue(uint8_t op, uint16_t flags, uint64_t ud)
{
	struct capos_sqe *s = uring_get_sqe(&r);

	s->opcode = op;
	s->flags = flags;
	s->user_data = ud;
}

TEST(skip_success_posts_only_failures_and_is_refused_on_call_and_recv)
{
	const uint16_t skip = CAPOS_SQE_F_SKIP_SUCCESS;
	struct capos_cqe c;

	tu_setup(0);
	tu_queue(CAPOS_OP_NOP, skip, 1);
	tu_queue(CAPOS_OP_RETURN, skip | CAPOS_SQE_F_EXCEPTION, 2);
	tu_queue(CAPOS_OP_RELEASE, skip, 3);
	tu_queue(CAPOS_OP_NOP, skip | CAPOS_SQE_F_EXCEPTION, 4);	/* fails: still posts */
	tu_queue(CAPOS_OP_CALL, skip, 5);
	tu_queue(CAPOS_OP_RECV, skip, 6);
	tu_queue(CAPOS_OP_NOP, 0, 7);
	CHECK_EQ(uring_enter(&r, 0, 0), 4);
	CHECK_EQ(fk.consumed, 7);
	CHECK(uring_reap(&r, &c));
	CHECK_EQ(c.user_data, 4);
	CHECK_EQ(c.result, CAPOS_ERR_INVALID_FLAGS);
	CHECK(uring_reap(&r, &c));
	CHECK_EQ(c.user_data, 5);
	CHECK_EQ(c.result, CAPOS_ERR_INVALID_FLAGS);
	CHECK(uring_reap(&r, &c));
	CHECK_EQ(c.user_data, 6);
	CHECK_EQ(c.result, CAPOS_ERR_INVALID_FLAGS);
	CHECK(uring_reap(&r, &c));
	CHECK_EQ(c.user_data, 7);
	CHECK_EQ(c.result, 0);
	CHECK(!uring_reap(&r, &c));
}

/* RECV | REPLY is accepted and posts one CQE; a failed answer says so in the CQE flags. */
TEST(recv_reply_posts_one_cqe_and_flags_a_failed_answer)
{
	struct capos_cqe c;

	tu_setup(0);
	tu_queue(CAPOS_OP_RECV, CAPOS_SQE_F_REPLY, 1);
	tu_queue(CAPOS_OP_RECV, CAPOS_SQE_F_REPLY | CAPOS_SQE_F_EXCEPTION, 2);
	tu_queue(CAPOS_OP_RECV, CAPOS_SQE_F_EXCEPTION, 3);	/* EXCEPTION needs REPLY */
	CHECK_EQ(uring_enter(&r, 0, 0), 3);
	CHECK(uring_reap(&r, &c));
	CHECK_EQ(c.result, 0);
	CHECK_EQ(c.flags, 0);
	CHECK(uring_reap(&r, &c));
	CHECK_EQ(c.user_data, 2);
	CHECK_EQ(c.result, 0);
	CHECK(uring_reap(&r, &c));
	CHECK_EQ(c.result, CAPOS_ERR_INVALID_FLAGS);
	fk.reply_result = CAPOS_ERR_NO_SUCH_CALL;
	tu_queue(CAPOS_OP_RECV, CAPOS_SQE_F_REPLY, 4);
	tu_queue(CAPOS_OP_RECV, 0, 5);
	CHECK_EQ(uring_enter(&r, 0, 0), 2);
	CHECK(uring_reap(&r, &c));
	CHECK_EQ(c.user_data, 4);
	CHECK_EQ(c.result, CAPOS_ERR_NO_SUCH_CALL);
	CHECK_EQ(c.flags, CAPOS_CQE_F_REPLY_FAILED);
	CHECK(uring_reap(&r, &c));
	CHECK_EQ(c.result, 0);
	CHECK_EQ(c.flags, 0);
	CHECK(!uring_reap(&r, &c));
}

int main(void)
{
	RUN(init_rejects_bad_magic_and_geometry);
	RUN(get_sqe_zeroes_slot_and_stops_when_sq_full);
	RUN(sqes_are_published_only_by_submit);
	RUN(batch_of_32_nops_completes_in_order_in_one_enter);
	RUN(peek_reads_completions_in_place_and_seen_frees_each_slot);
	RUN(wait_finds_its_completion_among_reversed_ones);
	RUN(wait_enters_again_for_a_late_completion);
	RUN(wait_returns_enter_error);
	RUN(wait_behind_many_other_completions_loses_none);
	RUN(stash_grows_past_the_cq_size);
	RUN(stash_starts_inline_and_moves_to_the_heap_in_order);
	RUN(many_runs_across_index_wrap);
	RUN(run_enters_first_when_sq_is_full);
	RUN(user_data_ids_are_unique_and_nonzero);
	RUN(call_puts_every_field_on_the_ring);
	RUN(skip_success_posts_only_failures_and_is_refused_on_call_and_recv);
	RUN(recv_reply_posts_one_cqe_and_flags_a_failed_answer);
	TEST_EXIT();
}
