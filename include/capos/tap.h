/* SPDX-License-Identifier: MIT */
/*
 * capOS ring tap record (M10): what the kernel may record about each SQE it
 * consumes and each CQE it posts, for offline viewing. Metadata only: no
 * payload bytes, no user addresses, no kernel pointers, so a tap can be
 * exported without leaking message contents. seq counts every record the
 * kernel produced, so a viewer sees gaps where the bounded tap dropped some.
 */
#ifndef CAPOS_TAP_H
#define CAPOS_TAP_H

#include <capos/types.h>

#define CAPOS_TAP_KIND_SQE	1u	/* an SQE was consumed */
#define CAPOS_TAP_KIND_CQE	2u	/* a CQE was posted */

#ifndef __ASSEMBLY__
struct capos_tap_record {
	uint64_t timestamp;	/*  0: TSC at the event */
	uint32_t seq;		/*  8: record sequence number */
	uint32_t pid;		/* 12: process of the ring */
	uint32_t ring_id;	/* 16: capos_ring_header.ring_id */
	uint8_t kind;		/* 20: CAPOS_TAP_KIND_* */
	uint8_t opcode;		/* 21: CAPOS_OP_* */
	uint16_t flags;		/* 22: SQE or CQE flags (low 16 bits) */
	uint32_t cap_id;	/* 24: target capability */
	uint16_t method_id;	/* 28: method ordinal */
	uint16_t xfer_count;	/* 30: capabilities sent or received */
	uint64_t user_data;	/* 32: the SQE's user_data */
	uint64_t interface_id;	/* 40: target interface, 0 if unknown */
	int32_t result;		/* 48: CQE result; 0 for SQE records */
	uint32_t call_id;	/* 52: call id, if any */
	uint32_t params_len;	/* 56: bytes of params (length only) */
	uint32_t result_len;	/* 60: bytes of result buffer or result */
};
CAPOS_ABI_SIZE(struct capos_tap_record, 64);
CAPOS_ABI_OFFSET(struct capos_tap_record, timestamp, 0);
CAPOS_ABI_OFFSET(struct capos_tap_record, seq, 8);
CAPOS_ABI_OFFSET(struct capos_tap_record, pid, 12);
CAPOS_ABI_OFFSET(struct capos_tap_record, ring_id, 16);
CAPOS_ABI_OFFSET(struct capos_tap_record, kind, 20);
CAPOS_ABI_OFFSET(struct capos_tap_record, opcode, 21);
CAPOS_ABI_OFFSET(struct capos_tap_record, flags, 22);
CAPOS_ABI_OFFSET(struct capos_tap_record, cap_id, 24);
CAPOS_ABI_OFFSET(struct capos_tap_record, method_id, 28);
CAPOS_ABI_OFFSET(struct capos_tap_record, xfer_count, 30);
CAPOS_ABI_OFFSET(struct capos_tap_record, user_data, 32);
CAPOS_ABI_OFFSET(struct capos_tap_record, interface_id, 40);
CAPOS_ABI_OFFSET(struct capos_tap_record, result, 48);
CAPOS_ABI_OFFSET(struct capos_tap_record, call_id, 52);
CAPOS_ABI_OFFSET(struct capos_tap_record, params_len, 56);
CAPOS_ABI_OFFSET(struct capos_tap_record, result_len, 60);
#endif /* !__ASSEMBLY__ */

#endif /* CAPOS_TAP_H */
