/* SPDX-License-Identifier: MIT */
/*
 * The SQE checks of docs/ring.md steps 1-5 that need neither the capability
 * table nor user memory, over the SQE's eight words. One rule for both
 * users: ring_sqe_check (dispatch.c) applies it to any opcode, and the IPC
 * fast path inlines it with a constant opcode, where the per-opcode masks
 * fold into a handful of instructions.
 *
 * The SQE as eight words:
 *   w0 opcode 0-7, xfer_count 8-15, flags 16-31, cap_id 32-63
 *   w1 user_data   w2 params_addr   w3 result_addr   w4 xfer_addr
 *   w5 params_len 0-31, result_len 32-63
 *   w6 method_id 0-15, pipeline_field 16-31, call_id 32-63
 *   w7 thread_id 0-31, pipeline_dep 32-63
 */
#ifndef CAPOS_KERNEL_RING_SQE_CHECK_H
#define CAPOS_KERNEL_RING_SQE_CHECK_H

#include <capos/endpoint.h>
#include <capos/errors.h>
#include <capos/layout.h>
#include <capos/ring.h>

#include "lib/types.h"

#define SQE_W0_XFER_COUNT	0x000000000000ff00ull
#define SQE_W0_CAP_ID		0xffffffff00000000ull
#define SQE_W5_PARAMS_LEN	0x00000000ffffffffull
#define SQE_W5_RESULT_LEN	0xffffffff00000000ull
#define SQE_W6_METHOD		0x000000000000ffffull
#define SQE_W6_PIPELINE		0x00000000ffff0000ull
#define SQE_W6_CALL_ID		0xffffffff00000000ull
#define SQE_ALL			0xffffffffffffffffull

/*
 * Per opcode: the bits of words 0 and 2-7 it does not use, which must be
 * zero (step 3; xfer_addr also when xfer_count is 0).
 */
static const uint64_t sqe_unused[CAPOS_OP_RELEASE + 1][8] = {
	[CAPOS_OP_NOP] = { SQE_W0_XFER_COUNT | SQE_W0_CAP_ID, 0, SQE_ALL, SQE_ALL, SQE_ALL,
			   SQE_ALL, SQE_ALL, SQE_ALL },
	[CAPOS_OP_CALL] = { 0, 0, 0, 0, 0, 0, SQE_W6_PIPELINE | SQE_W6_CALL_ID, SQE_ALL },
	[CAPOS_OP_RECV] = { SQE_W0_XFER_COUNT, 0, SQE_ALL, 0, SQE_ALL, SQE_W5_PARAMS_LEN, SQE_ALL,
			    SQE_ALL },
	[CAPOS_OP_RETURN] = { 0, 0, 0, SQE_ALL, 0, SQE_W5_RESULT_LEN,
			      SQE_W6_METHOD | SQE_W6_PIPELINE, SQE_ALL },
	[CAPOS_OP_RELEASE] = { SQE_W0_XFER_COUNT, 0, SQE_ALL, SQE_ALL, SQE_ALL, SQE_ALL, SQE_ALL,
			       SQE_ALL },
};

/* RECV with CAPOS_SQE_F_REPLY also carries a RETURN's fields. */
static const uint64_t sqe_unused_recv_reply[8] = {
	0, 0, 0, 0, 0, 0, SQE_W6_METHOD | SQE_W6_PIPELINE, SQE_ALL
};

/*
 * PARK and UNPARK (docs/ring.md "Park and unpark"): their word is a 4-byte
 * aligned u32, not a message buffer, and PARK's result_addr is its timeout
 * in nanoseconds (0: none), so they have rules of their own. PARK must
 * carry CAPOS_SQE_F_THREAD_OWNED (the thread_id check is the caller's,
 * ring_park); UNPARK no flag and no thread_id. Every other field is zero.
 */
#define SQE_PARK_ALIGN 4u

static inline int sqe_check_park(const uint64_t w[8], uint8_t op, uint16_t flags)
{
	uint64_t word = w[2];
	bool park = op == CAPOS_OP_PARK;

	if (flags != (park ? CAPOS_SQE_F_THREAD_OWNED : 0))
		return CAPOS_ERR_INVALID_FLAGS;
	if ((w[0] & (SQE_W0_XFER_COUNT | SQE_W0_CAP_ID)) | (park ? 0 : w[3]) | w[4] |
	    (w[5] & SQE_W5_RESULT_LEN) | w[6] | (park ? w[7] >> 32 : w[7]))
		return CAPOS_ERR_RESERVED_NONZERO;
	if (word & (SQE_PARK_ALIGN - 1))
		return CAPOS_ERR_MISALIGNED;
	if (word >= CAPOS_USER_HALF_END - SQE_PARK_ALIGN)
		return CAPOS_ERR_BAD_ADDRESS;
	return 0;
}

/*
 * Returns 0 or the CAPOS_ERR_* of the first failing step for the SQE in w[],
 * whose opcode and flags (bits 0-7 and 16-31 of w[0]) the caller passes as
 * `op` and `flags` too: constants where the caller already knows them, so
 * the masks fold. A caller that has already seen xfer_count is 0 says so
 * with no_xfer (a constant).
 */
static inline __attribute__((always_inline)) int sqe_check_op(const uint64_t w[8], uint8_t op,
							      uint16_t flags, bool no_xfer)
{
	uint8_t xfer_count = no_xfer ? 0 : (uint8_t)(w[0] >> 8);
	uint64_t params = w[2], result = w[3], xfer = w[4];
	uint32_t params_len = (uint32_t)w[5], result_len = (uint32_t)(w[5] >> 32);

	if (op == CAPOS_OP_PARK || op == CAPOS_OP_UNPARK)
		return sqe_check_park(w, op, flags);
	/* FINISH is reserved until its milestone. */
	if (op > CAPOS_OP_RELEASE)
		return CAPOS_ERR_INVALID_OPCODE;
	if (!capos_sqe_flags_ok(op, flags))
		return CAPOS_ERR_INVALID_FLAGS;
	const uint64_t *unused = op == CAPOS_OP_RECV && (flags & CAPOS_SQE_F_REPLY)
					 ? sqe_unused_recv_reply : sqe_unused[op];
	uint64_t stray = (w[0] & unused[0]) | (w[2] & unused[2]) | (w[3] & unused[3]) |
			 (w[4] & unused[4]) | (w[5] & unused[5]) | (w[6] & unused[6]) |
			 (w[7] & unused[7]);
	/* Without descriptors xfer_addr means nothing, so it must be zero too. */
	if (stray | (xfer_count ? 0 : xfer))
		return CAPOS_ERR_RESERVED_NONZERO;
	/*
	 * Now every field the opcode does not use is zero, and so is xfer_addr
	 * without descriptors. With a constant opcode, saying so lets the checks
	 * below drop those fields at compile time.
	 */
	if (__builtin_constant_p(op) && __builtin_constant_p(flags)) {
		params = unused[2] == SQE_ALL ? 0 : params;
		result = unused[3] == SQE_ALL ? 0 : result;
		xfer = unused[4] == SQE_ALL || no_xfer ? 0 : xfer;
		params_len = unused[5] & SQE_W5_PARAMS_LEN ? 0 : params_len;
		result_len = unused[5] & SQE_W5_RESULT_LEN ? 0 : result_len;
	}
	if (params_len > CAPOS_PARAMS_MAX || result_len > CAPOS_RESULT_MAX ||
	    xfer_count > CAPOS_XFER_MAX)
		return CAPOS_ERR_TOO_LARGE;
	if ((params | result | xfer) & (CAPOS_BUF_ALIGN - 1))
		return CAPOS_ERR_MISALIGNED;
	/*
	 * Each buffer lies in the user half without wrapping: with lengths of at
	 * most 64 KiB checked above, start < 2^47 and end <= 2^47 cannot wrap.
	 */
	if (((params | result | xfer) >= CAPOS_USER_HALF_END) ||
	    params + params_len > CAPOS_USER_HALF_END || result + result_len > CAPOS_USER_HALF_END ||
	    xfer + xfer_count * sizeof(struct capos_xfer) > CAPOS_USER_HALF_END)
		return CAPOS_ERR_BAD_ADDRESS;
	return 0;
}

#endif
