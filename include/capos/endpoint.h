/* SPDX-License-Identifier: MIT */
/*
 * capOS endpoint and transfer records: what RECV delivers to a server, and
 * the sideband records that move capabilities with CALL and RETURN.
 *
 * RECV result buffer: struct capos_recv_header at offset 0, then params_len
 * bytes of the caller's params message, then (at the next 8-byte boundary)
 * xfer_count struct capos_xfer_result records for the capabilities the caller
 * sent. The server answers with RETURN carrying call_id.
 *
 * Caller identity is never a raw process or session id. From M9 the header
 * carries a 128-bit caller-session reference that is scoped to the receiving
 * service (two services see different references for the same session) and
 * a 64-bit epoch; CAPOS_RECV_F_SESSION says they are filled. Until then the
 * flag is clear and the fields are zero.
 *
 * Transfer descriptors (struct capos_xfer) name a capability of the sender
 * and whether it is copied (sender keeps it) or moved (sender loses it when
 * the message is delivered; any failure rolls both sides back). The scope
 * byte is room for M9 transfer scopes and must be CAPOS_XFER_SCOPE_DEFAULT
 * until then.
 */
#ifndef CAPOS_ENDPOINT_H
#define CAPOS_ENDPOINT_H

#include <capos/types.h>

#define CAPOS_RECV_F_SESSION	(1u << 0)	/* session_ref and session_epoch valid */
#define CAPOS_RECV_F_VALID_MASK	(CAPOS_RECV_F_SESSION)

#define CAPOS_XFER_COPY		1u	/* receiver gets a new cap; sender keeps its own */
#define CAPOS_XFER_MOVE		2u	/* receiver gets the cap; sender's slot is freed */

/*
 * Descriptor flags. DROP_TRANSFER: the receiver's copy lacks the right to
 * be sent on (in a message or as a spawn grant), whatever the sender's
 * had: a "client" grant a program may use but not pass to anyone.
 */
#define CAPOS_XFER_F_DROP_TRANSFER	(1u << 0)
#define CAPOS_XFER_F_VALID_MASK		(CAPOS_XFER_F_DROP_TRANSFER)

#define CAPOS_XFER_SCOPE_DEFAULT 0u	/* M3/M4: the only accepted scope */
#define CAPOS_XFER_SCOPE_SAME_SESSION 1u	/* reserved (M9) */
#define CAPOS_XFER_SCOPE_CROSS_SESSION 2u	/* reserved (M9): shareable across sessions */
#define CAPOS_XFER_SCOPE_SERVICE_REGRANT 3u	/* reserved (M9): only the service may regrant */

#ifndef __ASSEMBLY__
struct capos_recv_header {
	uint32_t call_id;		/*  0: pass to RETURN; unique among in-flight calls */
	uint16_t method_id;		/*  4: Cap'n Proto method ordinal */
	uint16_t xfer_count;		/*  6: capos_xfer_result records after the params */
	uint64_t interface_id;		/*  8: interface the caller invoked */
	uint32_t params_len;		/* 16: bytes of params after this header */
	uint32_t flags;			/* 20: CAPOS_RECV_F_* */
	struct capos_u128 session_ref;	/* 24: scoped caller-session reference (M9) */
	uint64_t session_epoch;		/* 40: freshness epoch of session_ref (M9) */
	uint64_t reserved[2];		/* 48: zero */
};
CAPOS_ABI_SIZE(struct capos_recv_header, 64);
CAPOS_ABI_OFFSET(struct capos_recv_header, call_id, 0);
CAPOS_ABI_OFFSET(struct capos_recv_header, method_id, 4);
CAPOS_ABI_OFFSET(struct capos_recv_header, xfer_count, 6);
CAPOS_ABI_OFFSET(struct capos_recv_header, interface_id, 8);
CAPOS_ABI_OFFSET(struct capos_recv_header, params_len, 16);
CAPOS_ABI_OFFSET(struct capos_recv_header, flags, 20);
CAPOS_ABI_OFFSET(struct capos_recv_header, session_ref, 24);
CAPOS_ABI_OFFSET(struct capos_recv_header, session_epoch, 40);
CAPOS_ABI_OFFSET(struct capos_recv_header, reserved, 48);

/* One capability sent with CALL or RETURN (array at capos_sqe.xfer_addr). */
struct capos_xfer {
	uint32_t cap_id;	/*  0: sender's capability (capos_cap_t) */
	uint8_t mode;		/*  4: CAPOS_XFER_COPY or CAPOS_XFER_MOVE */
	uint8_t scope;		/*  5: CAPOS_XFER_SCOPE_*, DEFAULT until M9 */
	uint16_t flags;		/*  6: CAPOS_XFER_F_* */
	uint64_t reserved1;	/*  8: zero (room for attenuation) */
};
CAPOS_ABI_SIZE(struct capos_xfer, 16);
CAPOS_ABI_OFFSET(struct capos_xfer, cap_id, 0);
CAPOS_ABI_OFFSET(struct capos_xfer, mode, 4);
CAPOS_ABI_OFFSET(struct capos_xfer, scope, 5);
CAPOS_ABI_OFFSET(struct capos_xfer, flags, 6);
CAPOS_ABI_OFFSET(struct capos_xfer, reserved1, 8);

/*
 * One capability received: the receiver's new id and its interface. The
 * Cap'n Proto payload refers to it by its index in the record array.
 */
struct capos_xfer_result {
	uint32_t cap_id;	/*  0: receiver's new capability (capos_cap_t) */
	uint32_t reserved;	/*  4: zero */
	uint64_t interface_id;	/*  8: schema interface id of the capability */
};
CAPOS_ABI_SIZE(struct capos_xfer_result, 16);
CAPOS_ABI_OFFSET(struct capos_xfer_result, cap_id, 0);
CAPOS_ABI_OFFSET(struct capos_xfer_result, reserved, 4);
CAPOS_ABI_OFFSET(struct capos_xfer_result, interface_id, 8);
#endif /* !__ASSEMBLY__ */

#endif /* CAPOS_ENDPOINT_H */
