/* SPDX-License-Identifier: MIT */
/*
 * The protocol of the ipc-fastpath scenario, shared by its client
 * (ipc-fastpath, started as init) and its server (ipc-fastpath-server):
 * every call the client makes, named by its method id, with its lengths and
 * where each side puts its buffers, and the byte patterns of params and
 * answers. Both programs walk the calls in the same order, so each side
 * knows exactly what the other sent and where it must have landed.
 *
 * Every buffer is filled with FP_FILL before a message may arrive in it; a
 * message is then checked byte by byte: the bytes before it untouched, the
 * message itself, zero padding to the next 8 bytes, untouched bytes after.
 */
#ifndef IPC_FASTPATH_H
#define IPC_FASTPATH_H

#include <stdbool.h>
#include <stdint.h>

#include <capos/endpoint.h>
#include <capos/ring.h>

#include "echo.capnp.h"

#define FP_PAGE		4096u
#define FP_HDR		((uint32_t)sizeof(struct capos_recv_header))
#define FP_BUF		(3u * FP_PAGE)	/* every message buffer: three pages */
#define FP_FILL		0xaau		/* what an untouched byte holds */
#define FP_ANSWER_TAG	0x100u		/* answer pattern: method + this; params: method */

/* The interfaces the two endpoints serve: labels only, nothing checks them. */
#define FP_IFACE_MAIN	echo_Echo_TYPE_ID
#define FP_IFACE_SIDE	0x5ee5fa57ca11ab1eull

/* Every call, in the order the client makes them (the server receives them so). */
enum fp_method {
	FP_M_NONE,
	/* Plain calls: each length both ways, in one page on both sides. */
	FP_M_PLAIN_0_4000,
	FP_M_PLAIN_1_65,
	FP_M_PLAIN_7_64,
	FP_M_PLAIN_8_63,
	FP_M_PLAIN_63_8,
	FP_M_PLAIN_64_7,
	FP_M_PLAIN_65_1,
	FP_M_PLAIN_4000_0,
	FP_M_SAME_0,
	FP_M_SAME_1,
	FP_M_SAME_7,
	FP_M_SAME_8,
	FP_M_SAME_63,
	FP_M_SAME_64,
	FP_M_SAME_65,
	FP_M_SAME_4000,
	/* Messages that cross a page boundary, or end exactly at one. */
	FP_M_RECV_HEADER_ACROSS,
	FP_M_RECV_PARAMS_ACROSS,
	FP_M_RECV_ENDS_AT_PAGE_END,
	FP_M_RECV_4000_ACROSS,
	FP_M_ANSWER_ACROSS,
	FP_M_ANSWER_ENDS_AT_PAGE_END,
	FP_M_ANSWER_4000_ACROSS,
	FP_M_BOTH_ACROSS,
	FP_M_SOURCES_ACROSS,
	FP_M_TABLE_END,		/* the calls above all take the same path; the rest are cases */
	/* A CALL while no RECV is posted, then the call on side that makes the server RECV it. */
	FP_M_QUEUED = FP_M_TABLE_END,
	FP_M_GO,
	/* RECV buffers too small: the call waits for the next RECV. */
	FP_M_RECV_TOO_SMALL,
	FP_M_RECV_TOO_SMALL_FOR_PADDING,
	/* Result buffers too small: the call fails, and so does the RETURN. */
	FP_M_RESULT_TOO_SMALL,
	FP_M_AFTER_RESULT_TOO_SMALL,
	FP_M_RESULT_TOO_SMALL_FOR_PADDING,
	FP_M_AFTER_RESULT_TOO_SMALL_FOR_PADDING,
	/* Calls that fail at once (bad buffers, bad caps); the server never sees them. */
	FP_M_BAD,
	FP_M_AFTER_BAD_PARAMS,
	FP_M_AFTER_BAD_RESULTS,
	/* RETURNs batched with a RECV that do not end the plain way. */
	FP_M_AFTER_UNKNOWN_RETURN,
	FP_M_AFTER_UNREADABLE_ANSWER,
	FP_M_AFTER_RETURN_WITHOUT_SKIP,
	FP_M_LAST,
	/* On the second endpoint: the client is done (after its stale and invalid caps). */
	FP_M_STOP,
	FP_M_COUNT
};

/* One call. Offsets are from the start of the side's FP_BUF buffer; lengths 0 = to its end. */
struct fp_msg {
	const char *name;	/* the checks' name */
	uint32_t plen;		/* params bytes */
	uint32_t alen;		/* answer bytes */
	uint32_t params_off;	/* client: where its params are */
	uint32_t result_off;	/* client: its result buffer */
	uint32_t rlen;		/* client: result_len (0: to the end of the buffer) */
	uint32_t recv_off;	/* server: the RECV buffer the call is delivered to */
	uint32_t blen;		/* server: that RECV's result_len (0: to the end) */
	uint32_t answer_off;	/* server: where its answer is */
	bool side;		/* on the second endpoint */
};

#define FP_ACROSS(n)	(FP_PAGE - (n))	/* an offset n bytes before the first page ends */

static const struct fp_msg fp_msgs[FP_M_COUNT] = {
	[FP_M_PLAIN_0_4000] = { "plain_0_4000", 0, 4000 },
	[FP_M_PLAIN_1_65] = { "plain_1_65", 1, 65 },
	[FP_M_PLAIN_7_64] = { "plain_7_64", 7, 64 },
	[FP_M_PLAIN_8_63] = { "plain_8_63", 8, 63 },
	[FP_M_PLAIN_63_8] = { "plain_63_8", 63, 8 },
	[FP_M_PLAIN_64_7] = { "plain_64_7", 64, 7 },
	[FP_M_PLAIN_65_1] = { "plain_65_1", 65, 1 },
	[FP_M_PLAIN_4000_0] = { "plain_4000_0", 4000, 0 },
	[FP_M_SAME_0] = { "plain_0_0", 0, 0 },
	[FP_M_SAME_1] = { "plain_1_1", 1, 1 },
	[FP_M_SAME_7] = { "plain_7_7", 7, 7 },
	[FP_M_SAME_8] = { "plain_8_8", 8, 8 },
	[FP_M_SAME_63] = { "plain_63_63", 63, 63 },
	[FP_M_SAME_64] = { "plain_64_64", 64, 64 },
	[FP_M_SAME_65] = { "plain_65_65", 65, 65 },
	[FP_M_SAME_4000] = { "plain_4000_4000", 4000, 4000 },
	[FP_M_RECV_HEADER_ACROSS] = { "recv_header_across_pages", 40, 8,
				      .recv_off = FP_ACROSS(24) },
	[FP_M_RECV_PARAMS_ACROSS] = { "recv_params_across_pages", 100, 8,
				      .recv_off = FP_ACROSS(FP_HDR + 16) },
	/* Header, 7 bytes and one byte of padding fill the page to its last byte. */
	[FP_M_RECV_ENDS_AT_PAGE_END] = { "recv_ends_at_page_end", 7, 7,
					 .recv_off = FP_ACROSS(FP_HDR + 8) },
	[FP_M_RECV_4000_ACROSS] = { "recv_4000_across_pages", 4000, 0,
				    .recv_off = FP_ACROSS(2048) },
	/* 13 bytes from 8 before the page end: the rest and the padding in the next page. */
	[FP_M_ANSWER_ACROSS] = { "answer_across_pages", 1, 13, .result_off = FP_ACROSS(8) },
	[FP_M_ANSWER_ENDS_AT_PAGE_END] = { "answer_ends_at_page_end", 0, 13,
					   .result_off = FP_ACROSS(16) },
	[FP_M_ANSWER_4000_ACROSS] = { "answer_4000_across_pages", 65, 4000,
				      .result_off = FP_ACROSS(1000) },
	[FP_M_BOTH_ACROSS] = { "both_across_pages", 65, 65, .result_off = FP_ACROSS(40),
			       .recv_off = FP_ACROSS(80) },
	/* Params and answer read from two pages of their senders; delivered within one. */
	[FP_M_SOURCES_ACROSS] = { "sources_across_pages", 64, 64, .params_off = FP_ACROSS(24),
				  .answer_off = FP_ACROSS(32) },
	[FP_M_QUEUED] = { "call_queued_before_recv", 48, 24 },
	[FP_M_GO] = { "return_and_recv_on_different_endpoints", 8, 8, .side = true },
	[FP_M_RECV_TOO_SMALL] = { "recv_too_small", 64, 8, .blen = FP_HDR + 8 },
	/* Header and params fit, their padding does not. */
	[FP_M_RECV_TOO_SMALL_FOR_PADDING] = { "recv_too_small_for_padding", 61, 16,
					      .blen = FP_HDR + 61 },
	[FP_M_RESULT_TOO_SMALL] = { "result_too_small", 8, 24, .rlen = 16 },
	[FP_M_AFTER_RESULT_TOO_SMALL] = { "call_after_result_too_small", 16, 16 },
	[FP_M_RESULT_TOO_SMALL_FOR_PADDING] = { "result_too_small_for_padding", 8, 13,
						.rlen = 13 },
	[FP_M_AFTER_RESULT_TOO_SMALL_FOR_PADDING] = { "call_after_result_too_small_for_padding",
						      16, 16 },
	[FP_M_BAD] = { "bad_call", 64, 0 },
	[FP_M_AFTER_BAD_PARAMS] = { "call_after_bad_params", 64, 16 },
	[FP_M_AFTER_BAD_RESULTS] = { "call_after_bad_results", 64, 16 },
	/* Answered after a failed RETURN that may have written 16 bytes of its result buffer. */
	[FP_M_AFTER_UNKNOWN_RETURN] = { "call_after_unknown_return", 16, 24 },
	[FP_M_AFTER_UNREADABLE_ANSWER] = { "call_after_unreadable_answer", 16, 24 },
	[FP_M_AFTER_RETURN_WITHOUT_SKIP] = { "call_after_return_without_skip", 16, 24 },
	[FP_M_LAST] = { "last_call_on_first_endpoint", 8, 8 },
	[FP_M_STOP] = { "stop", 8, 8, .side = true },
};

static inline const struct fp_msg *fp_msg(uint16_t method)
{
	return &fp_msgs[method < FP_M_COUNT ? method : FP_M_NONE];
}

static inline uint32_t fp_round8(uint32_t n)
{
	return (n + 7u) & ~7u;
}

/* Byte i of the message with this tag: never 0 and never FP_FILL. */
static inline uint8_t fp_pat(uint32_t tag, uint32_t i)
{
	return (uint8_t)(1u + (tag * 37u + i * 7u) % 0xa9u);
}

static inline void fp_fill(uint8_t *p, uint32_t tag, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = fp_pat(tag, i);
}

static inline bool fp_all(const uint8_t *p, uint32_t from, uint32_t to, uint8_t v)
{
	for (uint32_t i = from; i < to; i++)
		if (p[i] != v)
			return false;
	return true;
}

/*
 * A message in a buffer of `size` bytes, once it arrived: the `skip` bytes at
 * `start` (a RECV header) are the caller's to check, then `len` bytes of
 * pattern `tag`, zeros up to the next multiple of 8 of skip + len, and
 * FP_FILL everywhere else.
 */
static inline bool fp_buffer_holds(const uint8_t *buf, uint32_t size, uint32_t start,
				   uint32_t skip, uint32_t len, uint32_t tag)
{
	const uint8_t *m = buf + start + skip;
	uint32_t end = start + fp_round8(skip + len);

	for (uint32_t i = 0; i < len; i++)
		if (m[i] != fp_pat(tag, i))
			return false;
	return fp_all(buf, 0, start, FP_FILL) && fp_all(buf, start + skip + len, end, 0) &&
	       fp_all(buf, end, size, FP_FILL);
}

/* Every field of a CQE: the ones named, and flags, xfer_count, padding and reserved zero. */
static inline bool fp_cqe_is(const struct capos_cqe *c, uint64_t user_data, int32_t result,
			     uint32_t written, uint8_t opcode, uint32_t call_id)
{
	return c->user_data == user_data && c->result == result && c->written == written &&
	       c->opcode == opcode && c->call_id == call_id && c->flags == 0 &&
	       c->xfer_count == 0 && c->_pad == 0 && c->reserved == 0;
}

#endif
