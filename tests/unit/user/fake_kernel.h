/* SPDX-License-Identifier: MIT */
/*
 * A simulated kernel for host tests of the user runtime: it owns a real ring
 * region laid out by <capos/ring.h> and implements uring_sys_enter() the way
 * docs/ring.md describes cap_enter (private sq_head/cq_tail, one load of
 * sq_tail, CQ credits), synchronously in the caller's thread. Knobs let a
 * test reorder or delay completions, fail the call, or answer CALLs.
 */
#ifndef CAPOS_TESTS_UNIT_USER_FAKE_KERNEL_H
#define CAPOS_TESTS_UNIT_USER_FAKE_KERNEL_H

#include <capos/ring.h>

#define FK_PENDING_MAX 512

struct fk {
	_Alignas(4096) uint8_t mem[CAPOS_RING_SIZE];
	uint32_t sq_head;		/* kernel-private copies */
	uint32_t cq_tail;
	int reverse;			/* post each enter's completions in reverse order */
	int defer;			/* post completions one enter late */
	int64_t fail;			/* nonzero: enter returns this and does nothing */
	unsigned enters;		/* cap_enter calls seen */
	unsigned consumed;		/* SQEs consumed */
	struct capos_sqe last;		/* copy of the last SQE consumed */
	/*
	 * RECV | CAPOS_SQE_F_REPLY: nonzero makes the answer fail with this
	 * result, so the SQE completes with it and CAPOS_CQE_F_REPLY_FAILED.
	 */
	int reply_result;
	/* Answers a CALL: fills cqe (result, written, flags, xfer_count). */
	void (*call)(const struct capos_sqe *sqe, struct capos_cqe *cqe);
	uint32_t npending;
	struct capos_cqe pending[FK_PENDING_MAX];
};

extern struct fk fk;

/* Resets fk and lays out the ring header with all indices at `start`. */
void fk_reset(uint32_t start);

static inline uint64_t fk_ring_addr(void)
{
	return (uint64_t)(uintptr_t)fk.mem;
}

#endif
