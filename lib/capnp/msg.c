// SPDX-License-Identifier: MIT
/*
 * Cap'n Proto messages as a whole: the framed (stream) format, limits, errors, the root pointer
 * and serialisation of a built message. The framed format is a u32 segment count minus one, one
 * u32 size in words per segment, zero padding to a word boundary, then the segments back to
 * back. Parsing trusts nothing: the count is checked against the segment table's room
 * (CAPNP_MAX_SEGMENTS, or more with a caller's table up to CAPNP_READ_MAX_SEGMENTS) before any
 * size is read, sizes are summed in 64 bits, and every segment must lie inside the input.
 */
#include "capnp/wire.h"

const char *capnp_strerror(int err)
{
	switch (err) {
	case CAPNP_OK:
		return "success";
	case CAPNP_ERR_OUT_OF_BOUNDS:
		return "pointer or index out of bounds";
	case CAPNP_ERR_TRAVERSAL_LIMIT:
		return "traversal limit exceeded";
	case CAPNP_ERR_NESTING_LIMIT:
		return "nesting limit exceeded";
	case CAPNP_ERR_BAD_POINTER:
		return "malformed pointer";
	case CAPNP_ERR_BAD_SEGMENT_TABLE:
		return "malformed segment table";
	case CAPNP_ERR_TRUNCATED:
		return "message truncated";
	case CAPNP_ERR_WRONG_TYPE:
		return "pointer of the wrong type";
	case CAPNP_ERR_NOT_TEXT:
		return "text not NUL-terminated";
	case CAPNP_ERR_NO_SPACE:
		return "out of space";
	case CAPNP_ERR_BAD_PACKED:
		return "malformed packed data";
	case CAPNP_ERR_INVALID:
		return "invalid argument";
	}
	return "unknown error";
}

/* Segment descriptors at and beyond nseg are never read, so they are left as they are. */
static void msg_reset(struct capnp_msg *msg)
{
	msg->more = NULL;
	msg->more_cap = 0;
	msg->nseg = 0;
	msg->err = CAPNP_OK;
	msg->traversal_left = CAPNP_DEFAULT_TRAVERSAL_WORDS;
	msg->nest_limit = CAPNP_DEFAULT_NESTING;
	msg->frame_bytes = 0;
	msg->building = false;
}

void capnp_msg_set_limits(struct capnp_msg *msg, uint64_t traversal_words, int32_t nesting)
{
	msg->traversal_left = traversal_words;
	msg->nest_limit = nesting;
}

/* Bytes of the segment table for n segments: 4 + 4n rounded up to 8. */
static uint64_t msg_table_bytes(uint64_t n)
{
	return (4 + 4 * n + 7) & ~(uint64_t)7;
}

/* capnp_frame_size() accepting up to max_segs segments. */
static int msg_frame_size(const uint8_t *b, size_t len, uint64_t max_segs, size_t *size)
{
	uint64_t n, total, i;

	if (len < 4)
		return CAPNP_ERR_TRUNCATED;
	n = (uint64_t)capnp_load32(b) + 1;
	if (n > max_segs)
		return CAPNP_ERR_BAD_SEGMENT_TABLE;
	total = msg_table_bytes(n);
	if (len < 4 + 4 * n)
		return CAPNP_ERR_TRUNCATED;
	for (i = 0; i < n; i++)
		total += 8 * (uint64_t)capnp_load32(b + 4 + 4 * i);
	if (total > SIZE_MAX)
		return CAPNP_ERR_TRUNCATED;
	*size = (size_t)total;
	return CAPNP_OK;
}

int capnp_frame_size(const void *bytes, size_t len, size_t *size)
{
	return msg_frame_size(bytes, len, CAPNP_MAX_SEGMENTS, size);
}

int capnp_msg_init_read_segs(struct capnp_msg *msg, const void *bytes, size_t len,
			     struct capnp_seg *more, uint32_t nmore)
{
	uint64_t max = CAPNP_MAX_SEGMENTS + (uint64_t)(more ? nmore : 0);
	const uint8_t *b = bytes;
	size_t size;
	uint64_t off;
	uint32_t i;
	int err;

	msg_reset(msg);
	if (max > CAPNP_READ_MAX_SEGMENTS)
		max = CAPNP_READ_MAX_SEGMENTS;
	err = msg_frame_size(b, len, max, &size);
	if (err == CAPNP_OK && size > len)
		err = CAPNP_ERR_TRUNCATED;
	if (err != CAPNP_OK) {
		msg->err = err;
		return err;
	}
	msg->more = more;
	msg->more_cap = (uint32_t)(max - CAPNP_MAX_SEGMENTS);
	msg->nseg = capnp_load32(b) + 1;
	off = msg_table_bytes(msg->nseg);
	for (i = 0; i < msg->nseg; i++) {
		struct capnp_seg *s = capnp_msg_seg(msg, i);

		s->start = (uint8_t *)(uintptr_t)(b + off);
		s->words = s->cap = capnp_load32(b + 4 + 4 * i);
		s->id = i;
		off += 8 * (uint64_t)s->words;
	}
	msg->frame_bytes = size;
	return CAPNP_OK;
}

int capnp_msg_init_read(struct capnp_msg *msg, const void *bytes, size_t len)
{
	return capnp_msg_init_read_segs(msg, bytes, len, NULL, 0);
}

struct capnp_ptr capnp_msg_root(struct capnp_msg *msg)
{
	struct capnp_ptr p = { msg, &msg->seg[0], NULL, msg->nest_limit };

	if (msg->nseg == 0 || msg->seg[0].words == 0)
		capnp_msg_fail(msg, CAPNP_ERR_OUT_OF_BOUNDS);
	else
		p.p = msg->seg[0].start;
	return p;
}

/* Segments written out: trailing empty segments (handed in but unused) are dropped. */
static uint32_t msg_out_segments(const struct capnp_msg *msg)
{
	uint32_t n = msg->nseg;

	while (n > 1 && capnp_msg_seg(msg, n - 1)->words == 0)
		n--;
	return n;
}

size_t capnp_msg_framed_size(const struct capnp_msg *msg)
{
	uint32_t n = msg_out_segments(msg), i;
	size_t size = (size_t)msg_table_bytes(n);

	for (i = 0; i < n; i++)
		size += 8 * (size_t)capnp_msg_seg(msg, i)->words;
	return size;
}

int capnp_msg_write(const struct capnp_msg *msg, void *out, size_t cap, size_t *written)
{
	uint32_t n = msg_out_segments(msg), i;
	size_t size = capnp_msg_framed_size(msg), off;
	uint8_t *o = out;

	if (msg->err != CAPNP_OK)
		return msg->err;
	if (n == 0)
		return CAPNP_ERR_INVALID;
	if (size > cap)
		return CAPNP_ERR_NO_SPACE;
	wire_zero(o, (size_t)msg_table_bytes(n));
	capnp_store32(o, n - 1);
	for (i = 0; i < n; i++)
		capnp_store32(o + 4 + 4 * i, capnp_msg_seg(msg, i)->words);
	off = (size_t)msg_table_bytes(n);
	for (i = 0; i < n; i++) {
		const struct capnp_seg *s = capnp_msg_seg(msg, i);

		wire_copy(o + off, s->start, 8 * (size_t)s->words);
		off += 8 * (size_t)s->words;
	}
	*written = size;
	return CAPNP_OK;
}
