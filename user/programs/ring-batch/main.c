// SPDX-License-Identifier: MIT
/*
 * ring-batch: 32 NOPs in one cap_enter. Fills 32 SQEs with distinct
 * user_data, publishes them with one store-release, enters once waiting for
 * 32 completions, then checks that exactly 32 CQEs arrived, in submission
 * order, each a NOP with result 0 and its SQE's user_data. Prints
 * "ring-batch: PASS" and exits 0, or a FAIL line and exits 1.
 */
#include "rt.h"

#define BATCH 32u
#define BATCH_TAG 0xba7c000000000000ull

static int batch_fail(const char *why, uint32_t i, long long got)
{
	printf("ring-batch: FAIL %s (entry %u, got %lld)\n", why, i, got);
	return 1;
}

int main(void)
{
	struct capos_cqe c;
	uint32_t i;
	int64_t n;

	for (i = 0; i < BATCH; i++) {
		struct capos_sqe *sqe = uring_get_sqe(&rt.ring);

		if (!sqe)
			return batch_fail("SQ full", i, 0);
		sqe->opcode = CAPOS_OP_NOP;
		sqe->user_data = BATCH_TAG | i;
	}
	n = uring_enter(&rt.ring, BATCH, CAPOS_TIMEOUT_INFINITE);
	if (n < (int64_t)BATCH)
		return batch_fail("cap_enter returned too few", 0, n);
	for (i = 0; i < BATCH; i++) {
		if (!uring_reap(&rt.ring, &c))
			return batch_fail("missing CQE", i, 0);
		if (c.user_data != (BATCH_TAG | i))
			return batch_fail("out of order", i, (long long)(c.user_data & 0xffff));
		if (c.result != 0 || c.opcode != CAPOS_OP_NOP)
			return batch_fail("bad NOP completion", i, c.result);
	}
	if (uring_reap(&rt.ring, &c))
		return batch_fail("extra CQE", BATCH, (long long)c.user_data);
	printf("ring-batch: PASS %u NOPs in one cap_enter, in order\n", BATCH);
	return 0;
}
