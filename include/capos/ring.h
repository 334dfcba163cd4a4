/* SPDX-License-Identifier: MIT */
/*
 * capOS capability ring: the shared-memory queue pair through which a thread
 * invokes capabilities, modelled on io_uring. The kernel maps one ring region
 * (CAPOS_RING_SIZE bytes) per ring into the user address space; user code
 * writes 64-byte SQEs into the submission queue (SQ) and calls cap_enter; the
 * kernel copies each SQE once into kernel memory, validates the copy, acts,
 * and posts 32-byte CQEs into the completion queue (CQ). docs/ring.md is the
 * protocol; this header is its layout.
 *
 * Region layout (offsets from the ring base, also published in the header):
 *   0x0000  struct capos_ring_header (256 bytes), rest of the page reserved
 *   0x1000  SQ: CAPOS_RING_SQ_ENTRIES (64) x struct capos_sqe  = 4 KiB
 *   0x2000  CQ: CAPOS_RING_CQ_ENTRIES (256) x struct capos_cqe = 8 KiB
 * The CQ is four times the SQ: every accepted SQE holds a CQ credit until its
 * CQE is posted, so a full SQ batch plus up to 192 operations still in flight
 * (RECVs waiting for callers, CALLs waiting for servers) fit without overflow.
 *
 * Indices are free-running uint32_t counters; the slot is index & mask.
 * Ownership and ordering (each release pairs with the acquire named):
 *   sq_tail  user writes (store-release after filling the SQE);
 *            kernel reads (load-acquire) before reading SQEs.
 *   sq_head  kernel writes (store-release after copying SQEs out);
 *            user reads (load-acquire) before reusing SQ slots.
 *   cq_tail  kernel writes (store-release after writing the CQE);
 *            user reads (load-acquire) before reading CQEs.
 *   cq_head  user writes (store-release after reading CQEs);
 *            kernel reads (load-acquire) before overwriting CQ slots.
 * The kernel keeps private copies of sq_head and cq_tail and never trusts the
 * shared ones; it treats sq_tail - sq_head > sq_entries or
 * cq_tail - cq_head > cq_entries as corruption (docs/ring.md).
 */
#ifndef CAPOS_RING_H
#define CAPOS_RING_H

#include <capos/types.h>

#define CAPOS_RING_MAGIC	0x52504143u	/* "CAPR" little-endian */
#define CAPOS_RING_VERSION	1u
#define CAPOS_RING_SIZE		0x4000u		/* 16 KiB, four pages */
#define CAPOS_RING_SQ_OFFSET	0x1000u
#define CAPOS_RING_CQ_OFFSET	0x2000u
#define CAPOS_RING_SQ_ENTRIES	64u
#define CAPOS_RING_CQ_ENTRIES	256u
#define CAPOS_SQE_SIZE		64u
#define CAPOS_CQE_SIZE		32u

/* Opcodes (struct capos_sqe.opcode). Numbers are never reused. */
#define CAPOS_OP_NOP		0u	/* complete at once with result 0 */
#define CAPOS_OP_CALL		1u	/* invoke method_id on cap_id */
#define CAPOS_OP_RECV		2u	/* endpoint owner: receive the next call */
#define CAPOS_OP_RETURN		3u	/* endpoint owner: answer call_id */
#define CAPOS_OP_RELEASE	4u	/* drop cap_id from the caller's table */
#define CAPOS_OP_FINISH		5u	/* reserved: drop a pipelined answer */
#define CAPOS_OP_PARK		6u	/* (M8) wait on a 32-bit word */
#define CAPOS_OP_UNPARK		7u	/* (M8) wake waiters on a word */
#define CAPOS_OP_COUNT		8u	/* opcodes >= this are CAPOS_ERR_INVALID_OPCODE */

/* SQE flags (struct capos_sqe.flags). */
#define CAPOS_SQE_F_THREAD_OWNED (1u << 0)	/* thread_id names the owning thread */
#define CAPOS_SQE_F_PIPELINE	(1u << 1)	/* reserved: target is a promised answer */
#define CAPOS_SQE_F_EXCEPTION	(1u << 2)	/* RETURN, RECV | REPLY: the answer is a
						 * CapException message */
/*
 * NOP, RETURN, RELEASE: post no CQE when the operation succeeds (failures
 * still post theirs), as io_uring's IOSQE_CQE_SKIP_SUCCESS. A server's
 * RETURN + RECV batch then completes only when the RECV does. Not accepted
 * on CALL and RECV, whose success CQE is their answer (INVALID_FLAGS).
 */
#define CAPOS_SQE_F_SKIP_SUCCESS (1u << 3)
/*
 * RECV: answer call_id first, as a RETURN with the same fields would
 * (params_addr/len, xfer_addr/xfer_count, CAPOS_SQE_F_EXCEPTION), then
 * receive: seL4's ReplyRecv as one SQE. The receive buffer is checked
 * before the answer goes out. CAPOS_CQE_F_REPLY_FAILED in the CQE means
 * the answer did not go out and nothing was received (result: what stopped
 * it, e.g. BAD_ADDRESS for a bad receive buffer, or the RETURN's error);
 * without it, the answer went out (docs/ipc.md).
 */
#define CAPOS_SQE_F_REPLY	(1u << 4)
#define CAPOS_SQE_F_VALID_MASK	(CAPOS_SQE_F_THREAD_OWNED | CAPOS_SQE_F_PIPELINE | \
				 CAPOS_SQE_F_EXCEPTION | CAPOS_SQE_F_SKIP_SUCCESS | \
				 CAPOS_SQE_F_REPLY)

/* CQE flags (struct capos_cqe.flags). */
#define CAPOS_CQE_F_XFER	(1u << 0)	/* xfer_count transfer results follow */
#define CAPOS_CQE_F_REPLY_FAILED (1u << 1)	/* RECV | REPLY: the answer did not go
						 * out; nothing was received */
#define CAPOS_CQE_F_VALID_MASK	(CAPOS_CQE_F_XFER | CAPOS_CQE_F_REPLY_FAILED)

/* Ring status flags (struct capos_ring_header.flags), set by the kernel, sticky. */
#define CAPOS_RING_F_CQ_OVERFLOW (1u << 0)	/* a CQE was dropped, see cq_overflow */
#define CAPOS_RING_F_SQ_CORRUPT	(1u << 1)	/* sq_tail was out of range */
#define CAPOS_RING_F_CQ_CORRUPT	(1u << 2)	/* cq_head was out of range */
#define CAPOS_RING_F_VALID_MASK	(CAPOS_RING_F_CQ_OVERFLOW | CAPOS_RING_F_SQ_CORRUPT | \
				 CAPOS_RING_F_CQ_CORRUPT)

/* ABI limits checked on every SQE. Buffer addresses are 8-byte aligned. */
#define CAPOS_PARAMS_MAX	65536u	/* params_len */
#define CAPOS_RESULT_MAX	65536u	/* result_len */
#define CAPOS_XFER_MAX		16u	/* xfer_count, per message each way */
#define CAPOS_BUF_ALIGN		8u	/* params_addr, result_addr, xfer_addr */

/* cap_enter timeout meaning "wait without limit". */
#define CAPOS_TIMEOUT_INFINITE	0xffffffffffffffffull

#ifndef __ASSEMBLY__
/*
 * The header at offset 0. Line 0 is written once by the kernel before the
 * ring is mapped (user code only reads it); line 1 is written only by user
 * code; line 2 only by the kernel. Separate cache lines keep the two writers
 * from false sharing.
 */
struct capos_ring_header {
	/* line 0: geometry, kernel-written at setup */
	uint32_t magic;		/*   0: CAPOS_RING_MAGIC */
	uint32_t version;	/*   4: CAPOS_RING_VERSION */
	uint32_t size;		/*   8: CAPOS_RING_SIZE, bytes of the region */
	uint32_t ring_id;	/*  12: 0 for the first thread's ring (per-thread, M8) */
	uint32_t sq_entries;	/*  16: power of two */
	uint32_t cq_entries;	/*  20: power of two, >= 2 * sq_entries */
	uint32_t sq_mask;	/*  24: sq_entries - 1 */
	uint32_t cq_mask;	/*  28: cq_entries - 1 */
	uint32_t sq_offset;	/*  32: byte offset of the SQE array */
	uint32_t cq_offset;	/*  36: byte offset of the CQE array */
	uint32_t owner_thread;	/*  40: thread id that owns this ring (0 in M3) */
	uint32_t features;	/*  44: CAPOS_RING_FEAT_* (none yet, zero) */
	uint64_t reserved0[2];	/*  48: zero */
	/* line 1: written by user code */
	uint32_t sq_tail;	/*  64: next SQE slot user code fills */
	uint32_t cq_head;	/*  68: next CQE user code reads */
	uint64_t reserved1[7];	/*  72: zero */
	/* line 2: written by the kernel */
	uint32_t sq_head;	/* 128: next SQE the kernel consumes */
	uint32_t cq_tail;	/* 132: next CQE slot the kernel fills */
	uint32_t cq_overflow;	/* 136: CQEs dropped because the CQ looked full */
	uint32_t flags;		/* 140: CAPOS_RING_F_* */
	uint64_t reserved2[6];	/* 144: zero */
	/* line 3: reserved for growth */
	uint64_t reserved3[8];	/* 192: zero */
};
CAPOS_ABI_SIZE(struct capos_ring_header, 256);
CAPOS_ABI_OFFSET(struct capos_ring_header, magic, 0);
CAPOS_ABI_OFFSET(struct capos_ring_header, version, 4);
CAPOS_ABI_OFFSET(struct capos_ring_header, size, 8);
CAPOS_ABI_OFFSET(struct capos_ring_header, ring_id, 12);
CAPOS_ABI_OFFSET(struct capos_ring_header, sq_entries, 16);
CAPOS_ABI_OFFSET(struct capos_ring_header, cq_entries, 20);
CAPOS_ABI_OFFSET(struct capos_ring_header, sq_mask, 24);
CAPOS_ABI_OFFSET(struct capos_ring_header, cq_mask, 28);
CAPOS_ABI_OFFSET(struct capos_ring_header, sq_offset, 32);
CAPOS_ABI_OFFSET(struct capos_ring_header, cq_offset, 36);
CAPOS_ABI_OFFSET(struct capos_ring_header, owner_thread, 40);
CAPOS_ABI_OFFSET(struct capos_ring_header, features, 44);
CAPOS_ABI_OFFSET(struct capos_ring_header, reserved0, 48);
CAPOS_ABI_OFFSET(struct capos_ring_header, sq_tail, 64);
CAPOS_ABI_OFFSET(struct capos_ring_header, cq_head, 68);
CAPOS_ABI_OFFSET(struct capos_ring_header, reserved1, 72);
CAPOS_ABI_OFFSET(struct capos_ring_header, sq_head, 128);
CAPOS_ABI_OFFSET(struct capos_ring_header, cq_tail, 132);
CAPOS_ABI_OFFSET(struct capos_ring_header, cq_overflow, 136);
CAPOS_ABI_OFFSET(struct capos_ring_header, flags, 140);
CAPOS_ABI_OFFSET(struct capos_ring_header, reserved2, 144);
CAPOS_ABI_OFFSET(struct capos_ring_header, reserved3, 192);

/*
 * Submission queue entry. Fields an opcode does not use must be zero
 * (CAPOS_ERR_RESERVED_NONZERO), so each can gain a meaning later. Per opcode:
 *   NOP      user_data only.
 * Buffer addresses must be CAPOS_BUF_ALIGN aligned (CAPOS_ERR_MISALIGNED):
 * Cap'n Proto messages are arrays of 8-byte words.
 *   CALL     cap_id, method_id, params_addr/len (a Cap'n Proto message),
 *            result_addr/len (room for the result message followed by
 *            xfer result records), xfer_addr/xfer_count (caps sent).
 *   RECV     cap_id (an endpoint the caller owns), result_addr/len (room for
 *            struct capos_recv_header + params + xfer result records).
 *            With CAPOS_SQE_F_REPLY also call_id, params_addr/len and
 *            xfer_addr/xfer_count: the answer to send first, as RETURN.
 *   RETURN   cap_id (the endpoint), call_id (from the RECV CQE),
 *            params_addr/len (the result message), xfer_addr/xfer_count.
 *   RELEASE  cap_id.
 *   PARK     (M8) CAPOS_SQE_F_THREAD_OWNED + thread_id (the submitting
 *            thread's, else INVALID_ARGUMENT); params_addr = a 4-byte
 *            aligned u32 word (MISALIGNED; BAD_ADDRESS if unreadable),
 *            params_len = the expected value, result_addr = the timeout
 *            in nanoseconds (0: none). Parks only if the word still holds
 *            the value (read under the word's park-table lock). CQE result: 0 woken by
 *            UNPARK, WOULD_BLOCK the word did not hold it, TIMED_OUT (posted
 *            by the kernel at the deadline, whether or not the thread is
 *            in a cap_enter then), BUSY if the
 *            thread already has a PARK pending. Buffer alignment rules
 *            do not apply: the word is 4-byte aligned.
 *   UNPARK   (M8) params_addr = the word (as PARK), params_len = how many to
 *            wake at most. CQE result: how many were woken (0: none;
 *            BAD_ADDRESS if none and the word is unreadable).
 *            Waiters are keyed by (address space, params_addr): only
 *            threads of the same process see each other.
 */
struct capos_sqe {
	uint8_t opcode;		/*  0: CAPOS_OP_* */
	uint8_t xfer_count;	/*  1: transfer descriptors at xfer_addr, <= CAPOS_XFER_MAX */
	uint16_t flags;		/*  2: CAPOS_SQE_F_* */
	uint32_t cap_id;	/*  4: target capability (capos_cap_t) */
	uint64_t user_data;	/*  8: opaque, copied into the CQE */
	uint64_t params_addr;	/* 16: user address of the params message */
	uint64_t result_addr;	/* 24: user address of the result buffer */
	uint64_t xfer_addr;	/* 32: user address of struct capos_xfer[xfer_count] */
	uint32_t params_len;	/* 40: bytes at params_addr, <= CAPOS_PARAMS_MAX */
	uint32_t result_len;	/* 44: bytes at result_addr, <= CAPOS_RESULT_MAX */
	uint16_t method_id;	/* 48: Cap'n Proto method ordinal (CALL) */
	uint16_t pipeline_field; /* 50: reserved for CAPOS_SQE_F_PIPELINE, zero */
	uint32_t call_id;	/* 52: RETURN: the call answered; otherwise zero */
	uint32_t thread_id;	/* 56: with CAPOS_SQE_F_THREAD_OWNED; otherwise zero */
	uint32_t pipeline_dep;	/* 60: reserved for CAPOS_SQE_F_PIPELINE, zero */
};
CAPOS_ABI_SIZE(struct capos_sqe, CAPOS_SQE_SIZE);
CAPOS_ABI_OFFSET(struct capos_sqe, opcode, 0);
CAPOS_ABI_OFFSET(struct capos_sqe, xfer_count, 1);
CAPOS_ABI_OFFSET(struct capos_sqe, flags, 2);
CAPOS_ABI_OFFSET(struct capos_sqe, cap_id, 4);
CAPOS_ABI_OFFSET(struct capos_sqe, user_data, 8);
CAPOS_ABI_OFFSET(struct capos_sqe, params_addr, 16);
CAPOS_ABI_OFFSET(struct capos_sqe, result_addr, 24);
CAPOS_ABI_OFFSET(struct capos_sqe, xfer_addr, 32);
CAPOS_ABI_OFFSET(struct capos_sqe, params_len, 40);
CAPOS_ABI_OFFSET(struct capos_sqe, result_len, 44);
CAPOS_ABI_OFFSET(struct capos_sqe, method_id, 48);
CAPOS_ABI_OFFSET(struct capos_sqe, pipeline_field, 50);
CAPOS_ABI_OFFSET(struct capos_sqe, call_id, 52);
CAPOS_ABI_OFFSET(struct capos_sqe, thread_id, 56);
CAPOS_ABI_OFFSET(struct capos_sqe, pipeline_dep, 60);

/*
 * Completion queue entry. result >= 0 is opcode-specific (CALL and RECV: the
 * bytes written, as in `written`; others 0); result < 0 is a CAPOS_ERR_*
 * code. `written` is always the number of bytes the kernel wrote at the
 * SQE's result_addr before any transfer records: the result message, the
 * RECV header and params, or, with CAPOS_ERR_APPLICATION_EXCEPTION, the
 * serialised CapException. With CAPOS_CQE_F_XFER, xfer_count struct
 * capos_xfer_result records follow at result_addr + round_up(written, 8).
 */
struct capos_cqe {
	uint64_t user_data;	/*  0: copied from the SQE */
	int32_t result;		/*  8: >= 0 opcode-specific, < 0 CAPOS_ERR_* */
	uint32_t flags;		/* 12: CAPOS_CQE_F_* */
	uint32_t call_id;	/* 16: RECV: id to pass to RETURN; otherwise zero */
	uint32_t written;	/* 20: bytes written at result_addr (before records) */
	uint16_t xfer_count;	/* 24: transfer result records written */
	uint8_t opcode;		/* 26: opcode of the SQE this completes */
	uint8_t _pad;		/* 27: zero */
	uint32_t reserved;	/* 28: zero */
};
CAPOS_ABI_SIZE(struct capos_cqe, CAPOS_CQE_SIZE);
CAPOS_ABI_OFFSET(struct capos_cqe, user_data, 0);
CAPOS_ABI_OFFSET(struct capos_cqe, result, 8);
CAPOS_ABI_OFFSET(struct capos_cqe, flags, 12);
CAPOS_ABI_OFFSET(struct capos_cqe, call_id, 16);
CAPOS_ABI_OFFSET(struct capos_cqe, written, 20);
CAPOS_ABI_OFFSET(struct capos_cqe, xfer_count, 24);
CAPOS_ABI_OFFSET(struct capos_cqe, opcode, 26);
CAPOS_ABI_OFFSET(struct capos_cqe, _pad, 27);
CAPOS_ABI_OFFSET(struct capos_cqe, reserved, 28);

CAPOS_STATIC_ASSERT((CAPOS_RING_SQ_ENTRIES & (CAPOS_RING_SQ_ENTRIES - 1)) == 0,
		    "SQ entries must be a power of two");
CAPOS_STATIC_ASSERT((CAPOS_RING_CQ_ENTRIES & (CAPOS_RING_CQ_ENTRIES - 1)) == 0,
		    "CQ entries must be a power of two");
CAPOS_STATIC_ASSERT(CAPOS_RING_CQ_ENTRIES >= 2 * CAPOS_RING_SQ_ENTRIES,
		    "the CQ holds at least two completions per SQ slot");
CAPOS_STATIC_ASSERT(sizeof(struct capos_ring_header) <= CAPOS_RING_SQ_OFFSET,
		    "the header fits below the SQ");
CAPOS_STATIC_ASSERT(CAPOS_RING_SQ_OFFSET + CAPOS_RING_SQ_ENTRIES * CAPOS_SQE_SIZE <=
			    CAPOS_RING_CQ_OFFSET, "the SQ fits below the CQ");
CAPOS_STATIC_ASSERT(CAPOS_RING_CQ_OFFSET + CAPOS_RING_CQ_ENTRIES * CAPOS_CQE_SIZE <=
			    CAPOS_RING_SIZE, "the CQ fits in the ring region");
CAPOS_STATIC_ASSERT(CAPOS_RING_SIZE % CAPOS_PAGE_SIZE == 0, "the ring is whole pages");

/*
 * Whether an SQE with this opcode may carry these flags; any other
 * combination is CAPOS_ERR_INVALID_FLAGS (PIPELINE is defined but accepted
 * nowhere yet; THREAD_OWNED only on PARK, which requires it).
 */
static inline bool capos_sqe_flags_ok(uint8_t opcode, uint16_t flags)
{
	uint16_t accepted;

	switch (opcode) {
	case CAPOS_OP_NOP:
	case CAPOS_OP_RELEASE:
		accepted = CAPOS_SQE_F_SKIP_SUCCESS;
		break;
	case CAPOS_OP_RETURN:
		accepted = CAPOS_SQE_F_EXCEPTION | CAPOS_SQE_F_SKIP_SUCCESS;
		break;
	case CAPOS_OP_PARK:
		return flags == CAPOS_SQE_F_THREAD_OWNED;
	case CAPOS_OP_RECV:	/* EXCEPTION describes the answer: only with REPLY */
		accepted = flags & CAPOS_SQE_F_REPLY ? CAPOS_SQE_F_REPLY | CAPOS_SQE_F_EXCEPTION : 0;
		break;
	default:
		accepted = 0;
		break;
	}
	return (flags & ~accepted) == 0;
}

/*
 * Shared-index accessors. The index fields are plain uint32_t so every
 * compiler agrees on the layout; all cross-side accesses go through these so
 * each carries its ordering. Partners are listed in the file comment.
 */
static inline uint32_t capos_load_acquire_u32(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void capos_store_release_u32(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Entries between head and tail; larger than the queue size means corruption. */
static inline uint32_t capos_ring_pending(uint32_t head, uint32_t tail)
{
	return tail - head;
}
#endif /* !__ASSEMBLY__ */

#endif /* CAPOS_RING_H */
