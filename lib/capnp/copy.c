// SPDX-License-Identifier: MIT
/*
 * Deep copy of any pointer's content from a reader into a builder, so a received value can be
 * embedded in a new message without orphans. The copy recurses once per pointer level; the
 * depth is bounded by the source reader's nesting counter (each level consumes one) and the
 * total work by the source message's traversal limit, so hostile input cannot make it loop
 * or exhaust the stack beyond CAPNP_DEFAULT_NESTING frames (or the limit the caller set).
 */
#include "capnp/wire.h"

static int copy_status(struct capnp_msg *dst, struct capnp_msg *src)
{
	return src->err != CAPNP_OK ? src->err : dst->err;
}

/* Copy data_bytes and pointers of struct s into b (b is at least as big). */
static int copy_struct_body(struct capnp_builder b, struct capnp_struct s)
{
	uint16_t i;
	int err;

	if (!b.data && (b.data_bytes || b.ptr_count))
		return copy_status(b.msg, s.msg);
	wire_copy(b.data, s.data, s.data_bytes);
	for (i = 0; i < s.ptr_count; i++) {
		err = capnp_ptr_copy(capnp_builder_ptr(b, i), capnp_get_ptr(s, i));
		if (err)
			return err;
	}
	return CAPNP_OK;
}

static int copy_struct(struct capnp_ptr_builder dst, struct capnp_ptr src)
{
	struct capnp_struct s = capnp_ptr_struct(src, NULL);
	struct capnp_builder b;

	if (src.msg->err)
		return src.msg->err;
	b = capnp_ptr_init_struct(dst, (uint16_t)((s.data_bytes + 7) / 8), s.ptr_count);
	if (dst.msg->err)
		return dst.msg->err;
	return copy_struct_body(b, s);
}

static int copy_composite(struct capnp_ptr_builder dst, struct capnp_list l)
{
	struct capnp_list_builder b;
	uint32_t i;
	int err;

	b = capnp_ptr_init_struct_list(dst, l.len, (uint16_t)(l.data_bits / 64), l.ptr_count);
	if (dst.msg->err)
		return dst.msg->err;
	for (i = 0; i < l.len; i++) {
		err = copy_struct_body(capnp_list_build_struct(b, i), capnp_list_struct(l, i));
		if (err)
			return err;
	}
	return CAPNP_OK;
}

static int copy_list(struct capnp_ptr_builder dst, struct capnp_ptr src)
{
	struct capnp_list l = capnp_ptr_list(src, CAPNP_ELEM_ANY, NULL);
	struct capnp_list_builder b;
	uint32_t i;
	int err;

	if (src.msg->err)
		return src.msg->err;
	if (l.elem == CAPNP_ELEM_COMPOSITE)
		return copy_composite(dst, l);
	b = capnp_ptr_init_list(dst, l.elem, l.len);
	if (dst.msg->err)
		return dst.msg->err;
	if (l.elem != CAPNP_ELEM_POINTER) {
		wire_copy(b.start, l.start, ((uint64_t)l.len * l.step_bits + 7) / 8);
		return CAPNP_OK;
	}
	for (i = 0; i < l.len; i++) {
		err = capnp_ptr_copy(capnp_list_build_ptr(b, i), capnp_list_ptr(l, i));
		if (err)
			return err;
	}
	return CAPNP_OK;
}

int capnp_ptr_copy(struct capnp_ptr_builder dst, struct capnp_ptr src)
{
	switch (capnp_ptr_kind(src)) {
	case CAPNP_KIND_NULL:
		capnp_ptr_set_null(dst);
		return copy_status(dst.msg, src.msg);
	case CAPNP_KIND_STRUCT:
		return copy_struct(dst, src);
	case CAPNP_KIND_LIST:
		return copy_list(dst, src);
	case CAPNP_KIND_CAP:
		capnp_ptr_set_cap(dst, (uint32_t)capnp_ptr_cap(src));
		return copy_status(dst.msg, src.msg);
	default:
		return src.msg->err ? src.msg->err : CAPNP_ERR_BAD_POINTER;
	}
}

int capnp_set_struct(struct capnp_builder b, uint16_t idx, struct capnp_struct src)
{
	struct capnp_ptr_builder p = capnp_builder_ptr(b, idx);
	struct capnp_builder nb;

	if (b.msg->err)
		return b.msg->err;
	nb = capnp_ptr_init_struct(p, (uint16_t)((src.data_bytes + 7) / 8), src.ptr_count);
	if (b.msg->err)
		return b.msg->err;
	return copy_struct_body(nb, src);
}
