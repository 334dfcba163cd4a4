// SPDX-License-Identifier: MIT
/*
 * Following pointers in a Cap'n Proto message: the one place where untrusted pointer words are
 * turned into memory addresses. Every pointer is resolved in three checked steps: far pointers
 * are followed to their landing pad (one hop; a double-far pad names the content's segment and
 * carries the tag), the content is bounds-checked against its segment in word indices (never by
 * forming an out-of-range address), and its size is charged to the message's traversal limit
 * while the reader's nesting counter is decremented. A failure records the first error in the
 * message and yields a null reader, so callers never see an unchecked address.
 */
#include "capnp/wire.h"

/* A resolved pointer: the word that describes the content, and where the content starts. */
struct read_target {
	const struct capnp_seg *seg;
	uint64_t tag;  /* struct/list/other pointer word describing the content */
	int64_t index; /* word index of the content in seg (unchecked) */
};

static bool read_fail(struct capnp_msg *msg, int err)
{
	capnp_msg_fail(msg, err);
	return false;
}

static bool read_charge(struct capnp_msg *msg, uint64_t words)
{
	if (words > msg->traversal_left) {
		msg->traversal_left = 0;
		return read_fail(msg, CAPNP_ERR_TRAVERSAL_LIMIT);
	}
	msg->traversal_left -= words;
	return true;
}

/* Follow a far pointer w found in segment `from` to its landing pad. */
static bool read_far(struct capnp_msg *msg, const struct capnp_seg *from, uint64_t w,
		     struct read_target *t)
{
	uint32_t sid = (uint32_t)(w >> 32);
	int64_t pad = (int64_t)((uint32_t)w >> 3);
	bool dbl = (w >> 2) & 1;
	const struct capnp_seg *s;
	uint64_t p0;

	if (from->id == CAPNP_SEG_CONST || sid >= msg->nseg)
		return read_fail(msg, CAPNP_ERR_BAD_POINTER);
	s = capnp_msg_seg(msg, sid);
	if (!wire_in_seg(s, pad, dbl ? 2 : 1))
		return read_fail(msg, CAPNP_ERR_OUT_OF_BOUNDS);
	p0 = capnp_load64(s->start + 8 * pad);
	if (!dbl) {
		if (wire_kind(p0) == WIRE_FAR)
			return read_fail(msg, CAPNP_ERR_BAD_POINTER);
		t->seg = s;
		t->tag = p0;
		t->index = pad + 1 + wire_offset(p0);
		return true;
	}
	/* Double far: pad[0] is a single far pointer to the content, pad[1] its tag. */
	t->tag = capnp_load64(s->start + 8 * pad + 8);
	if (wire_kind(p0) != WIRE_FAR || ((p0 >> 2) & 1) || (uint32_t)(p0 >> 32) >= msg->nseg ||
	    wire_kind(t->tag) == WIRE_FAR || wire_kind(t->tag) == WIRE_OTHER)
		return read_fail(msg, CAPNP_ERR_BAD_POINTER);
	t->seg = capnp_msg_seg(msg, (uint32_t)(p0 >> 32));
	t->index = (int64_t)((uint32_t)p0 >> 3);
	return true;
}

/* Resolve the non-null pointer slot p. */
static bool read_resolve(struct capnp_ptr p, struct read_target *t)
{
	uint64_t w = capnp_load64(p.p);

	if (wire_kind(w) == WIRE_FAR) {
		if (!read_far(p.msg, p.seg, w, t))
			return false;
	} else {
		t->seg = p.seg;
		t->tag = w;
		t->index = wire_word_index(p.seg, p.p) + 1 + wire_offset(w);
	}
	/* "Other" pointers are capabilities only when bits 2-31 are zero. */
	if (wire_kind(t->tag) == WIRE_OTHER && (uint32_t)t->tag != WIRE_OTHER)
		return read_fail(p.msg, CAPNP_ERR_BAD_POINTER);
	return true;
}

bool capnp_ptr_is_null(struct capnp_ptr p)
{
	return !p.p || capnp_load64(p.p) == 0;
}

enum capnp_kind capnp_ptr_kind(struct capnp_ptr p)
{
	static const enum capnp_kind kinds[4] = { CAPNP_KIND_STRUCT, CAPNP_KIND_LIST,
						  CAPNP_KIND_INVALID, CAPNP_KIND_CAP };
	struct read_target t;

	if (capnp_ptr_is_null(p))
		return CAPNP_KIND_NULL;
	if (!read_resolve(p, &t))
		return CAPNP_KIND_INVALID;
	return kinds[wire_kind(t.tag)];
}

/* Resolve p (non-null), check its kind and the nesting limit. */
static bool read_follow(struct capnp_ptr p, uint32_t kind, struct read_target *t)
{
	if (p.nest <= 0)
		return read_fail(p.msg, CAPNP_ERR_NESTING_LIMIT);
	if (!read_resolve(p, t))
		return false;
	if (wire_kind(t->tag) != kind)
		return read_fail(p.msg, CAPNP_ERR_WRONG_TYPE);
	return true;
}

/* The pointer to read instead of a null one: def's root, or NULL when there is no default. */
static struct capnp_ptr read_default(struct capnp_ptr p, const struct capnp_seg *def)
{
	struct capnp_ptr d = { p.msg, def, NULL, p.nest };

	if (def && def->words > 0)
		d.p = def->start;
	return d;
}

/* A null pointer gives a null struct that keeps p's nesting budget (nothing was followed), so
 * pointer-field defaults can still be read from it, as with the reference reader. */
static struct capnp_struct read_struct(struct capnp_ptr p)
{
	struct capnp_struct s = { p.msg, p.seg, NULL, NULL, 0, 0, p.nest };
	struct read_target t;
	uint32_t dw, pc;

	if (capnp_ptr_is_null(p))
		return s;
	s.nest = 0;
	if (!read_follow(p, WIRE_STRUCT, &t))
		return s;
	dw = wire_struct_data(t.tag);
	pc = wire_struct_ptrs(t.tag);
	if (!wire_in_seg(t.seg, t.index, (uint64_t)dw + pc)) {
		read_fail(p.msg, CAPNP_ERR_OUT_OF_BOUNDS);
		return s;
	}
	if (!read_charge(p.msg, (uint64_t)dw + pc))
		return s;
	s.seg = t.seg;
	s.data = t.seg->start + 8 * t.index;
	s.ptrs = s.data + 8 * dw;
	s.data_bytes = 8 * dw;
	s.ptr_count = (uint16_t)pc;
	s.nest = p.nest - 1;
	return s;
}

struct capnp_struct capnp_ptr_struct(struct capnp_ptr p, const struct capnp_seg *def)
{
	if (capnp_ptr_is_null(p))
		return read_struct(read_default(p, def));
	return read_struct(p);
}

/* Decode an inline composite list whose tag word is at t->index (bounds already checked). */
static bool read_composite(struct capnp_msg *msg, const struct read_target *t,
			   struct capnp_list *l)
{
	uint64_t tag = capnp_load64(t->seg->start + 8 * t->index);
	uint32_t words = wire_list_count(t->tag);
	uint32_t n = (uint32_t)tag >> 2;
	uint32_t dw = wire_struct_data(tag), pc = wire_struct_ptrs(tag);

	if (wire_kind(tag) != WIRE_STRUCT)
		return read_fail(msg, CAPNP_ERR_BAD_POINTER);
	if ((uint64_t)n * (dw + pc) > words)
		return read_fail(msg, CAPNP_ERR_BAD_POINTER);
	/* Zero-sized elements cost a word each, against amplification. */
	if (!read_charge(msg, dw + pc == 0 ? (uint64_t)n + 1 : (uint64_t)words + 1))
		return false;
	l->start = t->seg->start + 8 * t->index + 8;
	l->len = n;
	l->step_bits = 64 * (dw + pc);
	l->data_bits = 64 * dw;
	l->ptr_count = (uint16_t)pc;
	return true;
}

static bool read_flat(struct capnp_msg *msg, const struct read_target *t, struct capnp_list *l)
{
	uint32_t elem = wire_list_elem(t->tag), n = wire_list_count(t->tag);
	uint32_t bits = wire_elem_bits(elem);
	uint64_t words = ((uint64_t)n * bits + 63) / 64;

	if (!wire_in_seg(t->seg, t->index, words))
		return read_fail(msg, CAPNP_ERR_OUT_OF_BOUNDS);
	if (!read_charge(msg, bits == 0 ? n : words))
		return false;
	l->start = t->seg->start + 8 * t->index;
	l->len = n;
	l->step_bits = bits;
	l->data_bits = elem == CAPNP_ELEM_POINTER ? 0 : bits;
	l->ptr_count = elem == CAPNP_ELEM_POINTER ? 1 : 0;
	return true;
}

/* Whether list l (as encoded) may be read as a list of `expected` (encoding spec upgrades). */
static bool read_list_compatible(const struct capnp_list *l, enum capnp_elem expected)
{
	if (expected == CAPNP_ELEM_ANY)
		return true;
	if ((l->elem == CAPNP_ELEM_BIT) != (expected == CAPNP_ELEM_BIT))
		return expected == CAPNP_ELEM_BIT && l->elem != CAPNP_ELEM_COMPOSITE &&
		       l->elem != CAPNP_ELEM_POINTER && l->elem != CAPNP_ELEM_VOID;
	if (expected == CAPNP_ELEM_POINTER)
		return l->ptr_count >= 1;
	if (expected == CAPNP_ELEM_COMPOSITE)
		return true;
	return l->data_bits >= wire_elem_bits(expected);
}

static struct capnp_list read_list(struct capnp_ptr p, enum capnp_elem expected)
{
	struct capnp_list l = { p.msg, p.seg, NULL, 0, 0, 0, 0, CAPNP_ELEM_VOID, 0 };
	struct capnp_list empty = l;
	struct read_target t;
	bool ok;

	if (capnp_ptr_is_null(p) || !read_follow(p, WIRE_LIST, &t))
		return l;
	l.seg = t.seg;
	l.elem = (uint8_t)wire_list_elem(t.tag);
	l.nest = p.nest - 1;
	if (l.elem == CAPNP_ELEM_COMPOSITE) {
		ok = wire_in_seg(t.seg, t.index, (uint64_t)wire_list_count(t.tag) + 1);
		if (!ok)
			read_fail(p.msg, CAPNP_ERR_OUT_OF_BOUNDS);
		ok = ok && read_composite(p.msg, &t, &l);
	} else {
		ok = read_flat(p.msg, &t, &l);
	}
	if (ok && !read_list_compatible(&l, expected))
		ok = read_fail(p.msg, CAPNP_ERR_WRONG_TYPE);
	return ok ? l : empty;
}

struct capnp_list capnp_ptr_list(struct capnp_ptr p, enum capnp_elem expected,
				 const struct capnp_seg *def)
{
	if (capnp_ptr_is_null(p))
		return read_list(read_default(p, def), expected);
	return read_list(p, expected);
}

/* A byte list for text or data: exactly BYTE elements. */
static bool read_bytes(struct capnp_ptr p, struct capnp_list *l)
{
	struct read_target t;

	if (!read_follow(p, WIRE_LIST, &t))
		return false;
	if (wire_list_elem(t.tag) != CAPNP_ELEM_BYTE)
		return read_fail(p.msg, CAPNP_ERR_WRONG_TYPE);
	l->elem = CAPNP_ELEM_BYTE;
	return read_flat(p.msg, &t, l);
}

struct capnp_text capnp_read_text_slow(struct capnp_ptr p, const char *def, uint32_t def_len)
{
	struct capnp_text txt = { def ? def : "", def ? def_len : 0 };
	struct capnp_list l;

	if (capnp_ptr_is_null(p) || !read_bytes(p, &l))
		return txt;
	if (l.len == 0 || l.start[l.len - 1] != 0) {
		read_fail(p.msg, CAPNP_ERR_NOT_TEXT);
		return txt;
	}
	txt.str = (const char *)l.start;
	txt.len = l.len - 1;
	return txt;
}

struct capnp_data capnp_read_data_slow(struct capnp_ptr p, const void *def, uint32_t def_len)
{
	struct capnp_data d = { def, def ? def_len : 0 };
	struct capnp_list l;

	if (capnp_ptr_is_null(p) || !read_bytes(p, &l))
		return d;
	d.ptr = l.start;
	d.len = l.len;
	return d;
}

int64_t capnp_ptr_cap(struct capnp_ptr p)
{
	struct read_target t;

	if (capnp_ptr_is_null(p))
		return -1;
	if (!read_resolve(p, &t))
		return -1;
	if (wire_kind(t.tag) != WIRE_OTHER) {
		read_fail(p.msg, CAPNP_ERR_WRONG_TYPE);
		return -1;
	}
	return (int64_t)(t.tag >> 32);
}
