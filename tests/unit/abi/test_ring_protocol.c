// SPDX-License-Identifier: MIT
/*
 * Runs the ring protocol of docs/ring.md between two host threads over a real
 * ring region laid out by <capos/ring.h>: a "user" thread submits SQEs and
 * reaps CQEs exactly as the doc's snippets do, a "kernel" thread consumes SQEs
 * and posts one CQE each, keeping its own copies of sq_head and cq_tail and
 * reserving a CQ credit per accepted SQE. Many times around both queues, every
 * completion must arrive once, in order, with its SQE's user_data. This checks
 * the published ownership and acquire/release pairing, index wrap-around, and
 * the corruption test (tail - head > entries).
 */
#include <pthread.h>

#include <capos/errors.h>
#include <capos/ring.h>

#include "../test.h"

#define RP_OPS 100000u

struct rp_ring {
	_Alignas(4096) uint8_t mem[CAPOS_RING_SIZE];
	int stop;	/* 1: test done; 2: kernel thread gave up */
};

static struct capos_ring_header *rp_hdr(struct rp_ring *r)
{
	return (struct capos_ring_header *)r->mem;
}

static struct capos_sqe *rp_sqes(struct rp_ring *r)
{
	return (struct capos_sqe *)(r->mem + CAPOS_RING_SQ_OFFSET);
}

static struct capos_cqe *rp_cqes(struct rp_ring *r)
{
	return (struct capos_cqe *)(r->mem + CAPOS_RING_CQ_OFFSET);
}

static void rp_init(struct rp_ring *r)
{
	struct capos_ring_header *h = rp_hdr(r);

	memset(r, 0, sizeof(*r));
	h->magic = CAPOS_RING_MAGIC;
	h->version = CAPOS_RING_VERSION;
	h->size = CAPOS_RING_SIZE;
	h->sq_entries = CAPOS_RING_SQ_ENTRIES;
	h->cq_entries = CAPOS_RING_CQ_ENTRIES;
	h->sq_mask = CAPOS_RING_SQ_ENTRIES - 1;
	h->cq_mask = CAPOS_RING_CQ_ENTRIES - 1;
	h->sq_offset = CAPOS_RING_SQ_OFFSET;
	h->cq_offset = CAPOS_RING_CQ_OFFSET;
	/* Start near the wrap so the 32-bit indices overflow during the run. */
	h->sq_tail = h->sq_head = h->cq_head = h->cq_tail = 0xffffff00u;
}

/*
 * One kernel pass: returns SQEs consumed, or CAPOS_ERR_RING_CORRUPT. Private
 * sq_head/cq_tail live in *k; shared user indices are loaded once each.
 */
struct rp_kernel {
	uint32_t sq_head;
	uint32_t cq_tail;
};

static int rp_kernel_pass(struct rp_ring *r, struct rp_kernel *k)
{
	struct capos_ring_header *h = rp_hdr(r);
	uint32_t tail = capos_load_acquire_u32(&h->sq_tail);
	uint32_t cq_head = capos_load_acquire_u32(&h->cq_head);
	int n = 0;

	if (capos_ring_pending(k->sq_head, tail) > CAPOS_RING_SQ_ENTRIES) {
		h->flags |= CAPOS_RING_F_SQ_CORRUPT;
		return CAPOS_ERR_RING_CORRUPT;
	}
	if (capos_ring_pending(cq_head, k->cq_tail) > CAPOS_RING_CQ_ENTRIES) {
		h->flags |= CAPOS_RING_F_CQ_CORRUPT;
		return CAPOS_ERR_RING_CORRUPT;
	}
	while (k->sq_head != tail && capos_ring_pending(cq_head, k->cq_tail) <
					     CAPOS_RING_CQ_ENTRIES) {
		struct capos_sqe sqe = rp_sqes(r)[k->sq_head++ & (CAPOS_RING_SQ_ENTRIES - 1)];
		struct capos_cqe *cqe = &rp_cqes(r)[k->cq_tail & (CAPOS_RING_CQ_ENTRIES - 1)];

		memset(cqe, 0, sizeof(*cqe));
		cqe->user_data = sqe.user_data;
		cqe->opcode = sqe.opcode;
		cqe->result = sqe.opcode == CAPOS_OP_NOP ? 0 : CAPOS_ERR_INVALID_OPCODE;
		k->cq_tail++;
		n++;
	}
	capos_store_release_u32(&h->sq_head, k->sq_head);
	capos_store_release_u32(&h->cq_tail, k->cq_tail);
	return n;
}

static void *rp_kernel_thread(void *arg)
{
	struct rp_ring *r = arg;
	struct rp_kernel k = { rp_hdr(r)->sq_head, rp_hdr(r)->cq_tail };

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE))
		if (rp_kernel_pass(r, &k) < 0)
			__atomic_store_n(&r->stop, 2, __ATOMIC_RELEASE);
	return NULL;
}

/* Submits while there is SQ room; returns how many were submitted. */
static uint32_t rp_submit(struct rp_ring *r, uint64_t next, uint64_t end)
{
	struct capos_ring_header *h = rp_hdr(r);
	uint32_t tail = h->sq_tail;
	uint32_t n = 0;

	while (next + n < end && tail - capos_load_acquire_u32(&h->sq_head) < h->sq_entries) {
		struct capos_sqe *sqe = &rp_sqes(r)[tail & h->sq_mask];

		memset(sqe, 0, sizeof(*sqe));
		sqe->opcode = CAPOS_OP_NOP;
		sqe->user_data = next + n;
		tail++;
		n++;
	}
	capos_store_release_u32(&h->sq_tail, tail);
	return n;
}

/* Reaps all posted CQEs; returns the count or -1 on an out-of-order CQE. */
static long rp_reap(struct rp_ring *r, uint64_t expect)
{
	struct capos_ring_header *h = rp_hdr(r);
	uint32_t head = h->cq_head;
	long n = 0;

	while (head != capos_load_acquire_u32(&h->cq_tail)) {
		const struct capos_cqe *c = &rp_cqes(r)[head++ & h->cq_mask];

		if (c->user_data != expect + (uint64_t)n || c->result != 0)
			return -1;
		n++;
	}
	capos_store_release_u32(&h->cq_head, head);
	return n;
}

TEST(ring_protocol_delivers_every_completion_in_order_across_threads)
{
	static struct rp_ring r;
	pthread_t kt;
	uint64_t submitted = 0, reaped = 0;
	long got = 0;

	rp_init(&r);
	CHECK(pthread_create(&kt, NULL, rp_kernel_thread, &r) == 0);
	while (reaped < RP_OPS && got >= 0 && !__atomic_load_n(&r.stop, __ATOMIC_ACQUIRE)) {
		submitted += rp_submit(&r, submitted, RP_OPS);
		got = rp_reap(&r, reaped);
		if (got > 0)
			reaped += (uint64_t)got;
	}
	CHECK_EQ(__atomic_exchange_n(&r.stop, 1, __ATOMIC_ACQ_REL), 0);
	pthread_join(kt, NULL);
	CHECK(got >= 0);
	CHECK_EQ(reaped, RP_OPS);
	CHECK_EQ(rp_hdr(&r)->flags, 0);
	CHECK_EQ(rp_hdr(&r)->cq_overflow, 0);
}

TEST(kernel_pass_flags_sq_tail_beyond_entries_as_corrupt)
{
	static struct rp_ring r;
	struct rp_kernel k;

	rp_init(&r);
	k = (struct rp_kernel){ rp_hdr(&r)->sq_head, rp_hdr(&r)->cq_tail };
	rp_hdr(&r)->sq_tail += CAPOS_RING_SQ_ENTRIES + 1;
	CHECK_EQ(rp_kernel_pass(&r, &k), CAPOS_ERR_RING_CORRUPT);
	CHECK(rp_hdr(&r)->flags & CAPOS_RING_F_SQ_CORRUPT);
	rp_hdr(&r)->sq_tail -= 1; /* exactly full: legal again */
	CHECK_EQ(rp_kernel_pass(&r, &k), (int)CAPOS_RING_SQ_ENTRIES);
	rp_hdr(&r)->sq_tail = k.sq_head - 1; /* tail behind head */
	CHECK_EQ(rp_kernel_pass(&r, &k), CAPOS_ERR_RING_CORRUPT);
}

TEST(kernel_pass_stops_consuming_when_cq_credits_run_out)
{
	static struct rp_ring r;
	struct rp_kernel k;
	int total = 0, n;

	rp_init(&r);
	k = (struct rp_kernel){ rp_hdr(&r)->sq_head, rp_hdr(&r)->cq_tail };
	/* Never reap: after cq_entries completions the kernel must stop. */
	for (int i = 0; i < 8; i++) {
		rp_submit(&r, (uint64_t)total, UINT64_MAX);
		n = rp_kernel_pass(&r, &k);
		CHECK(n >= 0);
		total += n;
	}
	CHECK_EQ(total, CAPOS_RING_CQ_ENTRIES);
	CHECK_EQ(capos_ring_pending(rp_hdr(&r)->sq_head, rp_hdr(&r)->sq_tail),
		 CAPOS_RING_SQ_ENTRIES);
	CHECK_EQ(rp_reap(&r, 0), CAPOS_RING_CQ_ENTRIES);
	CHECK_EQ(rp_kernel_pass(&r, &k), (int)CAPOS_RING_SQ_ENTRIES);
}

int main(void)
{
	RUN(ring_protocol_delivers_every_completion_in_order_across_threads);
	RUN(kernel_pass_flags_sq_tail_beyond_entries_as_corrupt);
	RUN(kernel_pass_stops_consuming_when_cq_credits_run_out);
	TEST_EXIT();
}
