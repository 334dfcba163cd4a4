// SPDX-License-Identifier: MIT
/*
 * Building Cap'n Proto messages in caller-provided segments. Allocation is a bump pointer per
 * segment (capnp_seg.words grows toward capnp_seg.cap), and new objects are zeroed because the
 * caller's buffers may hold anything. An object goes in the segment of the pointer that refers
 * to it when it fits; otherwise into the first segment with room for the object plus a one-word
 * landing pad (single far pointer); otherwise into any segment with room for the object alone,
 * with a two-word pad elsewhere (double far). Nothing is ever written past a segment's cap: a
 * full message records CAPNP_ERR_NO_SPACE and hands out null builders whose setters do nothing.
 */
#include "capnp/wire.h"

/* Whole words in a buffer of `bytes`, capped at what a pointer can address. */
static uint32_t build_words(size_t bytes)
{
	return bytes / 8 > WIRE_MAX_SEG_WORDS ? WIRE_MAX_SEG_WORDS : (uint32_t)(bytes / 8);
}

int capnp_msg_init_build(struct capnp_msg *msg, void *buf, size_t bytes)
{
	msg->more = NULL;
	msg->more_cap = 0;
	msg->nseg = 0;
	msg->err = CAPNP_OK;
	msg->traversal_left = CAPNP_DEFAULT_TRAVERSAL_WORDS;
	msg->nest_limit = CAPNP_DEFAULT_NESTING;
	msg->frame_bytes = 0;
	msg->building = true;
	if (!buf || bytes < 8) {
		msg->err = CAPNP_ERR_NO_SPACE;
		return msg->err;
	}
	msg->nseg = 1;
	msg->seg[0].start = buf;
	msg->seg[0].cap = build_words(bytes);
	msg->seg[0].words = 1;
	msg->seg[0].id = 0;
	wire_zero(buf, 8); /* the root pointer starts null */
	return CAPNP_OK;
}

int capnp_msg_add_segment(struct capnp_msg *msg, void *buf, size_t bytes)
{
	struct capnp_seg *s;

	if (!msg->building || !buf || bytes < 8 || msg->nseg == 0)
		return CAPNP_ERR_INVALID;
	if (msg->nseg == CAPNP_MAX_SEGMENTS)
		return CAPNP_ERR_NO_SPACE;
	s = &msg->seg[msg->nseg];
	s->start = buf;
	s->words = 0;
	s->cap = build_words(bytes);
	s->id = msg->nseg++;
	return CAPNP_OK;
}

/* Take n words (not zeroed) from segment s: their word index, or -1 if s is too full. */
static int64_t build_take(struct capnp_seg *s, uint64_t n)
{
	int64_t at = s->words;

	if (n > (uint64_t)(s->cap - s->words))
		return -1;
	s->words += (uint32_t)n;
	return at;
}

/* The first segment other than `skip` with room for n words, or NULL. */
static struct capnp_seg *build_find(struct capnp_msg *msg, uint64_t n, const struct capnp_seg *skip)
{
	uint32_t i;

	for (i = 0; i < msg->nseg; i++)
		if (&msg->seg[i] != skip && n <= (uint64_t)(msg->seg[i].cap - msg->seg[i].words))
			return &msg->seg[i];
	return NULL;
}

uint8_t *capnp_build_alloc_slow(struct capnp_ptr_builder p, uint64_t n, uint64_t tag,
				struct capnp_seg **seg)
{
	struct capnp_seg *t, *u;
	int64_t at, pad;

	if (!p.p) {
		capnp_msg_fail(p.msg, CAPNP_ERR_INVALID);
		return NULL;
	}
	at = build_take(p.seg, n);
	if (at >= 0) {
		capnp_store64(p.p, wire_with_offset(tag, at - wire_word_index(p.seg, p.p) - 1));
		*seg = p.seg;
		return p.seg->start + 8 * at;
	}
	t = build_find(p.msg, n + 1, p.seg);
	if (t) {
		pad = build_take(t, n + 1);
		capnp_store64(t->start + 8 * pad, tag);
		capnp_store64(p.p, wire_far_ptr(false, (uint32_t)pad, t->id));
		*seg = t;
		return t->start + 8 * pad + 8;
	}
	t = build_find(p.msg, n, NULL);
	u = t ? build_find(p.msg, 2, t) : NULL;
	if (!u) {
		capnp_msg_fail(p.msg, CAPNP_ERR_NO_SPACE);
		return NULL;
	}
	at = build_take(t, n);
	pad = build_take(u, 2);
	capnp_store64(u->start + 8 * pad, wire_far_ptr(false, (uint32_t)at, t->id));
	capnp_store64(u->start + 8 * pad + 8, tag);
	capnp_store64(p.p, wire_far_ptr(true, (uint32_t)pad, u->id));
	*seg = t;
	return t->start + 8 * at;
}

struct capnp_ptr_builder capnp_msg_root_builder(struct capnp_msg *msg)
{
	struct capnp_ptr_builder p = { msg, &msg->seg[0], NULL };

	if (!msg->building || msg->nseg == 0)
		capnp_msg_fail(msg, CAPNP_ERR_INVALID);
	else
		p.p = msg->seg[0].start;
	return p;
}

struct capnp_builder capnp_msg_init_root(struct capnp_msg *msg, uint16_t data_words,
					 uint16_t ptr_count)
{
	return capnp_ptr_init_struct(capnp_msg_root_builder(msg), data_words, ptr_count);
}

struct capnp_list_builder capnp_ptr_init_list(struct capnp_ptr_builder p, enum capnp_elem elem,
					      uint32_t len)
{
	struct capnp_list_builder l = { p.msg, p.seg, NULL, 0, 0, 0, 0, (uint8_t)elem };
	uint32_t bits = wire_elem_bits(elem);
	struct capnp_seg *s;
	uint64_t words;
	uint8_t *obj;

	if (elem > CAPNP_ELEM_POINTER || len > CAPNP_MAX_LIST_LEN) {
		capnp_msg_fail(p.msg, CAPNP_ERR_INVALID);
		return l;
	}
	words = ((uint64_t)len * bits + 63) / 64;
	obj = capnp_build_alloc(p, words, wire_list_ptr(0, elem, len), &s);
	if (!obj)
		return l;
	capnp_build_zero(obj, words);
	l.seg = s;
	l.start = obj;
	l.len = len;
	l.step_bits = bits;
	l.data_bits = elem == CAPNP_ELEM_POINTER ? 0 : bits;
	l.ptr_count = elem == CAPNP_ELEM_POINTER ? 1 : 0;
	return l;
}

struct capnp_list_builder capnp_ptr_init_struct_list(struct capnp_ptr_builder p, uint32_t len,
						     uint16_t data_words, uint16_t ptr_count)
{
	struct capnp_list_builder l = { p.msg, p.seg, NULL, 0, 0, 0, 0, CAPNP_ELEM_COMPOSITE };
	uint64_t words = (uint64_t)len * ((uint32_t)data_words + ptr_count);
	struct capnp_seg *s;
	uint8_t *obj;

	if (words > CAPNP_MAX_LIST_LEN || len > CAPNP_MAX_LIST_LEN) {
		capnp_msg_fail(p.msg, CAPNP_ERR_INVALID);
		return l;
	}
	obj = capnp_build_alloc(p, words + 1,
				wire_list_ptr(0, CAPNP_ELEM_COMPOSITE, (uint32_t)words), &s);
	if (!obj)
		return l;
	capnp_store64(obj, wire_struct_ptr(len, data_words, ptr_count));
	capnp_build_zero(obj + 8, words);
	l.seg = s;
	l.start = obj + 8;
	l.len = len;
	l.step_bits = 64u * ((uint32_t)data_words + ptr_count);
	l.data_bits = 64u * data_words;
	l.ptr_count = ptr_count;
	return l;
}

int capnp_build_bytes_slow(struct capnp_ptr_builder p, const void *src, uint32_t len,
			   uint32_t extra)
{
	uint64_t n = (uint64_t)len + extra, words = (n + 7) / 8;
	struct capnp_seg *s;
	uint8_t *obj;

	if (n > CAPNP_MAX_LIST_LEN || (len && !src)) {
		capnp_msg_fail(p.msg, CAPNP_ERR_INVALID);
		return CAPNP_ERR_INVALID;
	}
	obj = capnp_build_alloc(p, words, wire_list_ptr(0, CAPNP_ELEM_BYTE, (uint32_t)n), &s);
	if (!obj)
		return p.msg->err ? p.msg->err : CAPNP_ERR_NO_SPACE;
	if (words)
		capnp_store64(obj + 8 * (words - 1), 0);
	capnp_build_copy(obj, src, len);
	return CAPNP_OK;
}

int capnp_ptr_set_cap(struct capnp_ptr_builder p, uint32_t cap_index)
{
	if (!p.p) {
		capnp_msg_fail(p.msg, CAPNP_ERR_INVALID);
		return CAPNP_ERR_INVALID;
	}
	capnp_store64(p.p, WIRE_OTHER | ((uint64_t)cap_index << 32));
	return CAPNP_OK;
}

void capnp_ptr_set_null(struct capnp_ptr_builder p)
{
	if (p.p)
		capnp_store64(p.p, 0);
}
