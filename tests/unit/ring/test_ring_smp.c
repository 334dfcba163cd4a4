// SPDX-License-Identifier: MIT
/*
 * Two CPUs on one ring: the owning thread submits, consumes and reaps NOP
 * batches while a second thread posts completions of operations that were
 * pending (as a server's RETURN does, M4) through ring_post. Every CQE must
 * arrive exactly once, the NOPs in order among themselves, none lost to
 * overflow. Built twice: under ASan/UBSan and under ThreadSanitizer, which
 * fails the test if cq_lock or the shared-index acquire/release pairs are
 * wrong (the remote writer's CQE against the owner's reads).
 */
#include <pthread.h>

#include <capos/errors.h>

#include "fake.h"
#include "test.h"

#define SMP_REMOTE 2000u	/* completions posted by the other CPU */
#define SMP_NOPS 20000u		/* NOPs through the owner's own ring_consume */
#define SMP_REMOTE_TAG (1ull << 63)

static struct fake_proc smp;

/*
 * Takes one CQ credit as ring_consume does when it accepts an SQE that will
 * complete later; false if the CQ has no room now.
 */
static bool smp_take_credit(struct ring *r)
{
	uint32_t used;
	bool ok;

	spin_lock(&r->cq_lock);
	used = r->cq_tail - capos_load_acquire_u32(&r->hdr->cq_head);
	ok = used + r->in_flight < CAPOS_RING_CQ_ENTRIES;
	r->in_flight += ok;
	spin_unlock(&r->cq_lock);
	return ok;
}

static void *smp_remote(void *arg)
{
	uint32_t i;

	(void)arg;
	for (i = 0; i < SMP_REMOTE; i++) {
		struct capos_cqe cqe = { .user_data = SMP_REMOTE_TAG | i, .result = 1 };

		while (!smp_take_credit(&smp.ring))
			__builtin_ia32_pause();
		if (ring_post(&smp.ring, &cqe))
			abort();
	}
	return NULL;
}

TEST(ring_remote_posts_and_local_nops_all_arrive_once)
{
	static uint8_t seen[SMP_REMOTE];
	struct capos_sqe nop = { .opcode = CAPOS_OP_NOP };
	struct capos_cqe cqe;
	uint64_t next_nop = 0, sent = 0, remote = 0;
	pthread_t th;

	fake_proc_init(&smp);
	CHECK_EQ(pthread_create(&th, NULL, smp_remote, NULL), 0);
	while (next_nop < SMP_NOPS || remote < SMP_REMOTE) {
		struct capos_ring_header *h = smp.region;
		uint32_t room = CAPOS_RING_SQ_ENTRIES - (h->sq_tail - capos_load_acquire_u32(&h->sq_head));
		uint32_t batch = 1 + (uint32_t)(sent % 40), i;

		for (i = 0; i < batch && i < room && sent < SMP_NOPS; i++) {
			nop.user_data = sent++;
			fake_submit(&smp, &nop);
		}
		CHECK(ring_consume(&smp.ring, &smp.caller, 64) >= 0);
		while (!fake_reap(&smp, &cqe)) {
			if (cqe.user_data & SMP_REMOTE_TAG) {
				uint64_t k = cqe.user_data & ~SMP_REMOTE_TAG;

				CHECK(k < SMP_REMOTE && !seen[k] && cqe.result == 1);
				seen[k] = 1;
				remote++;
			} else {
				CHECK_EQ(cqe.user_data, next_nop);
				CHECK_EQ(cqe.result, 0);
				next_nop++;
			}
		}
	}
	pthread_join(th, NULL);
	CHECK_EQ(smp.ring.in_flight, 0);
	CHECK_EQ(smp.ring.cq_overflow, 0);
	CHECK_EQ(ring_flags(&smp.ring), 0);
	fake_proc_fini(&smp);
}

/* Posts one completion after a delay that varies from round to round. */
static void *smp_post_one(void *arg)
{
	struct capos_cqe cqe = { .user_data = 7 };
	uint32_t delay = *(uint32_t *)arg;

	while (delay--)
		__asm__ __volatile__("" ::: "memory");
	while (!smp_take_credit(&smp.ring))
		__builtin_ia32_pause();
	if (ring_post(&smp.ring, &cqe))
		abort();
	return NULL;
}

/*
 * cap_enter's wait, as the kernel does it: register with ring_wait_prepare,
 * then "sleep" until ring_wake leaves its token. A completion that lands
 * between the registration and the sleep must still leave the token, or the
 * waiter would sleep forever; the spin bound turns that into a failure.
 */
TEST(ring_wake_is_never_lost_between_prepare_and_sleep)
{
	struct capos_cqe cqe;
	uint32_t round, delay;
	pthread_t th;
	int sleeps = 0;

	fake_proc_init(&smp);
	for (round = 0; round < 500; round++) {
		int token = __atomic_load_n(&fake_wake_count, __ATOMIC_ACQUIRE);
		long spin = 0;

		delay = (round * 37) % 3000;
		CHECK_EQ(pthread_create(&th, NULL, smp_post_one, &delay), 0);
		if (ring_wait_prepare(&smp.ring, 1, NULL)) {
			sleeps++;
			while (__atomic_load_n(&fake_wake_count, __ATOMIC_ACQUIRE) == token &&
			       ++spin < 20000000L)
				__builtin_ia32_pause();
			ring_wait_finish(&smp.ring);
			if (spin == 20000000L)
				pthread_join(th, NULL);
			CHECK(spin < 20000000L);	/* else the wake-up was lost */
		}
		pthread_join(th, NULL);
		CHECK(ring_cq_ready(&smp.ring) == 1);
		CHECK_EQ(fake_reap(&smp, &cqe), 0);
		CHECK_EQ(cqe.user_data, 7);
	}
	CHECK(sleeps > 0);
	CHECK_EQ(smp.ring.in_flight, 0);
	fake_proc_fini(&smp);
}

int main(void)
{
	RUN(ring_remote_posts_and_local_nops_all_arrive_once);
	RUN(ring_wake_is_never_lost_between_prepare_and_sleep);
	TEST_EXIT();
}
