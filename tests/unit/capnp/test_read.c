// SPDX-License-Identifier: MIT
/*
 * Reader tests for lib/capnp on hand-made messages: every pointer kind (struct, list, far,
 * double-far, capability), every list encoding, text/data, defaults and the XOR rule, schema
 * evolution (smaller and bigger structs), list upgrades, and unaligned input.
 */
#include "../test.h"
#include "capnp_test.h"

static uint8_t buf[4096];
static struct capnp_msg msg;

TEST(reads_primitive_fields_with_xor_defaults)
{
	uint64_t w[] = { T_SP(0, 2, 0), 0x1122334455667788ull, 0x0000000500000001ull };
	struct capnp_struct s;

	CHECK_EQ(t_read1(&msg, buf, w, 3), 0);
	s = capnp_msg_root_struct(&msg);
	CHECK_EQ(capnp_get_u64(s, 0, 0), 0x1122334455667788ull);
	CHECK_EQ(capnp_get_u32(s, 0, 0), 0x55667788u);
	CHECK_EQ(capnp_get_u16(s, 2, 0), 0x5566);
	CHECK_EQ(capnp_get_u8(s, 7, 0), 0x11);
	CHECK_EQ(capnp_get_u32(s, 8, 0), 1);
	CHECK_EQ(capnp_get_u32(s, 8, 3), 2);		/* stored ^ default */
	CHECK_EQ(capnp_get_i32(s, 12, -1), (int32_t)(5 ^ 0xffffffffu));
	CHECK_EQ(capnp_get_bool(s, 64, false), true);
	CHECK_EQ(capnp_get_bool(s, 65, false), false);
	CHECK_EQ(capnp_get_bool(s, 64, true), false);
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

TEST(reads_missing_fields_of_smaller_struct_as_defaults)
{
	uint64_t w[] = { T_SP(0, 1, 0), 7 };
	struct capnp_struct s;

	CHECK_EQ(t_read1(&msg, buf, w, 2), 0);
	s = capnp_msg_root_struct(&msg);
	CHECK_EQ(capnp_get_u64(s, 0, 0), 7);
	CHECK_EQ(capnp_get_u64(s, 8, 42), 42);
	CHECK_EQ(capnp_get_u32(s, 4, 9), 9);	/* stored 0 ^ 9 */
	CHECK_EQ(capnp_get_u32(s, 0xfffffffe, 9), 9);
	CHECK_EQ(capnp_get_bool(s, 200, true), true);
	CHECK(!capnp_has_ptr(s, 0));
	CHECK_EQ(capnp_get_text(s, 0, "dflt", 4).len, 4);
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

TEST(ignores_extra_fields_of_bigger_struct)
{
	uint64_t w[] = { T_SP(0, 3, 2), 1, 2, 3, 0, 0 };
	struct capnp_struct s;

	CHECK_EQ(t_read1(&msg, buf, w, 6), 0);
	s = capnp_msg_root_struct(&msg);
	CHECK_EQ(capnp_get_u64(s, 0, 0), 1);
	CHECK_EQ(s.data_bytes, 24);
	CHECK_EQ(s.ptr_count, 2);
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

TEST(reads_text_and_data)
{
	/* root {ptr0: text "hi", ptr1: data 01 02 03} */
	uint64_t w[] = { T_SP(0, 0, 2), T_LP(1, CAPNP_ELEM_BYTE, 3), T_LP(1, CAPNP_ELEM_BYTE, 3),
			 0x0000000000006968ull, 0x0000000000030201ull };
	struct capnp_struct s;
	struct capnp_text t;
	struct capnp_data d;

	CHECK_EQ(t_read1(&msg, buf, w, 5), 0);
	s = capnp_msg_root_struct(&msg);
	t = capnp_get_text(s, 0, NULL, 0);
	CHECK_EQ(t.len, 2);
	CHECK_STR(t.str, "hi");
	d = capnp_get_data(s, 1, NULL, 0);
	CHECK_EQ(d.len, 3);
	CHECK_EQ(d.ptr[2], 3);
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

TEST(rejects_text_without_nul)
{
	uint64_t w[] = { T_SP(0, 0, 1), T_LP(0, CAPNP_ELEM_BYTE, 2), 0x6968ull };
	struct capnp_text t;

	CHECK_EQ(t_read1(&msg, buf, w, 3), 0);
	t = capnp_get_text(capnp_msg_root_struct(&msg), 0, NULL, 0);
	CHECK_EQ(t.len, 0);
	CHECK_EQ(capnp_msg_error(&msg), CAPNP_ERR_NOT_TEXT);
}

TEST(reads_every_primitive_list_encoding)
{
	uint64_t w[] = {
		T_SP(0, 0, 6),
		T_LP(5, CAPNP_ELEM_VOID, 9),
		T_LP(4, CAPNP_ELEM_BIT, 10),
		T_LP(4, CAPNP_ELEM_BYTE, 3),
		T_LP(4, CAPNP_ELEM_TWO, 2),
		T_LP(4, CAPNP_ELEM_FOUR, 2),
		T_LP(4, CAPNP_ELEM_EIGHT, 2),
		0x0205ull,		  /* bits: 1,0,1,0,0,0,0,0, 0,1 */
		0x030201ull,
		0xbbbbaaaaull,
		0x2222222211111111ull,
		0xdeadull, 0xbeefull,
	};
	struct capnp_struct s;
	struct capnp_list l;

	CHECK_EQ(t_read1(&msg, buf, w, 13), 0);
	s = capnp_msg_root_struct(&msg);
	l = capnp_get_list(s, 0, CAPNP_ELEM_VOID, NULL);
	CHECK_EQ(capnp_list_len(l), 9);
	l = capnp_get_list(s, 1, CAPNP_ELEM_BIT, NULL);
	CHECK_EQ(l.len, 10);
	CHECK(capnp_list_bool(l, 0) && !capnp_list_bool(l, 1) && capnp_list_bool(l, 2));
	CHECK(capnp_list_bool(l, 9) && !capnp_list_bool(l, 8));
	l = capnp_get_list(s, 2, CAPNP_ELEM_BYTE, NULL);
	CHECK_EQ(capnp_list_u8(l, 2), 3);
	l = capnp_get_list(s, 3, CAPNP_ELEM_TWO, NULL);
	CHECK_EQ(capnp_list_u16(l, 1), 0xbbbb);
	l = capnp_get_list(s, 4, CAPNP_ELEM_FOUR, NULL);
	CHECK_EQ(capnp_list_u32(l, 1), 0x22222222);
	l = capnp_get_list(s, 5, CAPNP_ELEM_EIGHT, NULL);
	CHECK_EQ(capnp_list_u64(l, 1), 0xbeef);
	CHECK_EQ(capnp_msg_error(&msg), 0);
	capnp_list_u64(l, 2);
	CHECK_EQ(capnp_msg_error(&msg), CAPNP_ERR_OUT_OF_BOUNDS);
}

TEST(reads_pointer_list_of_text)
{
	uint64_t w[] = { T_SP(0, 0, 1), T_LP(0, CAPNP_ELEM_POINTER, 2),
			 T_LP(1, CAPNP_ELEM_BYTE, 2), T_LP(1, CAPNP_ELEM_BYTE, 3),
			 0x61ull, 0x6362ull };
	struct capnp_list l;

	CHECK_EQ(t_read1(&msg, buf, w, 6), 0);
	l = capnp_get_list(capnp_msg_root_struct(&msg), 0, CAPNP_ELEM_POINTER, NULL);
	CHECK_EQ(l.len, 2);
	CHECK_STR(capnp_list_text(l, 0).str, "a");
	CHECK_STR(capnp_list_text(l, 1).str, "bc");
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

/* A list of 2 structs {u64, ptr} as an inline composite list. */
static const uint64_t composite_msg[] = {
	T_SP(0, 0, 1), T_LP(0, CAPNP_ELEM_COMPOSITE, 4), T_SP(2, 1, 1),
	10, 0, 20, T_CAP(7),
};

TEST(reads_inline_composite_struct_list)
{
	struct capnp_list l;
	struct capnp_struct e;

	CHECK_EQ(t_read1(&msg, buf, composite_msg, 7), 0);
	l = capnp_get_list(capnp_msg_root_struct(&msg), 0, CAPNP_ELEM_COMPOSITE, NULL);
	CHECK_EQ(l.len, 2);
	e = capnp_list_struct(l, 1);
	CHECK_EQ(capnp_get_u64(e, 0, 0), 20);
	CHECK_EQ(capnp_get_cap(e, 0), 7);
	CHECK_EQ(capnp_get_cap(capnp_list_struct(l, 0), 0), -1);
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

TEST(reads_struct_list_as_primitive_list_upgrade)
{
	struct capnp_list l;

	CHECK_EQ(t_read1(&msg, buf, composite_msg, 7), 0);
	l = capnp_get_list(capnp_msg_root_struct(&msg), 0, CAPNP_ELEM_FOUR, NULL);
	CHECK_EQ(capnp_list_u32(l, 0), 10);
	CHECK_EQ(capnp_list_u32(l, 1), 20);
	l = capnp_get_list(capnp_msg_root_struct(&msg), 0, CAPNP_ELEM_POINTER, NULL);
	CHECK_EQ(capnp_ptr_cap(capnp_list_ptr(l, 1)), 7);
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

TEST(reads_primitive_list_as_struct_list_upgrade)
{
	uint64_t w[] = { T_SP(0, 0, 1), T_LP(0, CAPNP_ELEM_FOUR, 2), 0x0000000200000001ull };
	struct capnp_list l;
	struct capnp_struct e;

	CHECK_EQ(t_read1(&msg, buf, w, 3), 0);
	l = capnp_get_list(capnp_msg_root_struct(&msg), 0, CAPNP_ELEM_COMPOSITE, NULL);
	e = capnp_list_struct(l, 1);
	CHECK_EQ(capnp_get_u32(e, 0, 0), 2);
	CHECK_EQ(capnp_get_u32(e, 4, 5), 5);
	CHECK(!capnp_has_ptr(e, 0));
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

TEST(rejects_bit_list_read_as_struct_list)
{
	uint64_t w[] = { T_SP(0, 0, 1), T_LP(0, CAPNP_ELEM_BIT, 3), 5 };
	struct capnp_list l;

	CHECK_EQ(t_read1(&msg, buf, w, 3), 0);
	l = capnp_get_list(capnp_msg_root_struct(&msg), 0, CAPNP_ELEM_COMPOSITE, NULL);
	CHECK_EQ(l.len, 0);
	CHECK_EQ(capnp_msg_error(&msg), CAPNP_ERR_WRONG_TYPE);
}

TEST(rejects_struct_pointer_where_list_expected)
{
	uint64_t w[] = { T_SP(0, 0, 1), T_SP(0, 1, 0), 5 };

	CHECK_EQ(t_read1(&msg, buf, w, 3), 0);
	capnp_get_list(capnp_msg_root_struct(&msg), 0, CAPNP_ELEM_EIGHT, NULL);
	CHECK_EQ(capnp_msg_error(&msg), CAPNP_ERR_WRONG_TYPE);
}

TEST(rejects_narrow_list_read_as_wider_elements)
{
	uint64_t w[] = { T_SP(0, 0, 1), T_LP(0, CAPNP_ELEM_TWO, 2), 5 };

	CHECK_EQ(t_read1(&msg, buf, w, 3), 0);
	capnp_get_list(capnp_msg_root_struct(&msg), 0, CAPNP_ELEM_EIGHT, NULL);
	CHECK_EQ(capnp_msg_error(&msg), CAPNP_ERR_WRONG_TYPE);
}

TEST(follows_far_pointer_to_other_segment)
{
	uint64_t s0[] = { T_FP(0, 1, 1) };
	uint64_t s1[] = { 0, T_SP(0, 1, 0), 99 };
	const uint64_t *segs[] = { s0, s1 };
	uint32_t n[] = { 1, 3 };
	size_t len = t_frame(buf, 2, segs, n);

	CHECK_EQ(capnp_msg_init_read(&msg, buf, len), 0);
	CHECK_EQ(capnp_get_u64(capnp_msg_root_struct(&msg), 0, 0), 99);
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

TEST(follows_double_far_pointer)
{
	uint64_t s0[] = { T_FP(1, 0, 2) };
	uint64_t s1[] = { 77, 88 };
	uint64_t s2[] = { T_FP(0, 1, 1), T_SP(0, 1, 0) };
	const uint64_t *segs[] = { s0, s1, s2 };
	uint32_t n[] = { 1, 2, 2 };
	size_t len = t_frame(buf, 3, segs, n);

	CHECK_EQ(capnp_msg_init_read(&msg, buf, len), 0);
	CHECK_EQ(capnp_get_u64(capnp_msg_root_struct(&msg), 0, 0), 88);
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

TEST(reads_capability_index)
{
	uint64_t w[] = { T_SP(0, 0, 2), T_CAP(3), 0 };
	struct capnp_struct s;

	CHECK_EQ(t_read1(&msg, buf, w, 3), 0);
	s = capnp_msg_root_struct(&msg);
	CHECK_EQ(capnp_ptr_kind(capnp_get_ptr(s, 0)), CAPNP_KIND_CAP);
	CHECK_EQ(capnp_get_cap(s, 0), 3);
	CHECK_EQ(capnp_get_cap(s, 1), -1);
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

static const uint64_t default_words[] = { T_SP(0, 1, 0), 1234 };
static const struct capnp_seg default_seg = CAPNP_CONST_SEG(default_words);

TEST(reads_default_value_for_null_pointer_field)
{
	uint64_t w[] = { T_SP(0, 0, 1), 0 };
	struct capnp_struct d;

	CHECK_EQ(t_read1(&msg, buf, w, 2), 0);
	d = capnp_get_struct(capnp_msg_root_struct(&msg), 0, &default_seg);
	CHECK_EQ(capnp_get_u64(d, 0, 0), 1234);
	d = capnp_get_struct(capnp_msg_root_struct(&msg), 0, NULL);
	CHECK_EQ(capnp_get_u64(d, 0, 5), 5);
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

static const uint64_t default_list_words[] = { T_LP(0, CAPNP_ELEM_FOUR, 2),
					       0x0000000800000007ull };
static const struct capnp_seg default_list_seg = CAPNP_CONST_SEG(default_list_words);

/* A struct read through a null pointer keeps its reader's nesting budget (as the C++ reader
 * does), so pointer-field defaults read from it still work. */
TEST(null_struct_keeps_nesting_budget_for_field_defaults)
{
	uint64_t w[] = { T_SP(0, 0, 1), 0 };
	struct capnp_struct root, null_child, d;
	struct capnp_list l;

	CHECK_EQ(t_read1(&msg, buf, w, 2), 0);
	root = capnp_msg_root_struct(&msg);
	null_child = capnp_get_struct(root, 0, NULL);
	CHECK_EQ(null_child.nest, root.nest);
	d = capnp_get_struct(null_child, 0, &default_seg);
	CHECK_EQ(capnp_get_u64(d, 0, 0), 1234);
	l = capnp_get_list(null_child, 1, CAPNP_ELEM_FOUR, &default_list_seg);
	CHECK_EQ(capnp_list_u32(l, 1), 8);
	d = capnp_get_struct(capnp_get_struct(null_child, 2, NULL), 0, &default_seg);
	CHECK_EQ(capnp_get_u64(d, 0, 0), 1234);
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

/*
 * Frame n segments, all empty except: segment 0 holds a root far pointer to a landing pad in
 * the last segment, whose struct (one data word, 77) follows the pad.
 */
static size_t many_segments(unsigned n)
{
	static const uint64_t first[] = { 0 }, last[] = { T_SP(0, 1, 0), 77 };
	static const uint64_t *words[CAPNP_READ_MAX_SEGMENTS + 1];
	static uint32_t sizes[CAPNP_READ_MAX_SEGMENTS + 1];
	uint64_t root = T_FP(0, 0, n - 1);

	for (unsigned i = 0; i < n; i++) {
		words[i] = first;
		sizes[i] = 0;
	}
	words[0] = &root;
	sizes[0] = 1;
	words[n - 1] = last;
	sizes[n - 1] = 2;
	return t_frame(buf, n, words, sizes);
}

TEST(reads_more_segments_than_the_message_holds_with_a_callers_table)
{
	static struct capnp_seg more[CAPNP_READ_MAX_SEGMENTS];
	static uint8_t copy[4096];
	size_t len = many_segments(125), n = 0;

	CHECK_EQ(capnp_msg_init_read(&msg, buf, len), CAPNP_ERR_BAD_SEGMENT_TABLE);
	CHECK_EQ(capnp_msg_init_read_segs(&msg, buf, len, more, 125 - 33),
		 CAPNP_ERR_BAD_SEGMENT_TABLE);
	CHECK_EQ(capnp_msg_init_read_segs(&msg, buf, len, more, 125 - 32), 0);
	CHECK_EQ(msg.nseg, 125);
	CHECK_EQ(msg.frame_bytes, len);
	CHECK(capnp_msg_seg(&msg, 124) == &more[124 - CAPNP_MAX_SEGMENTS]);
	CHECK_EQ(capnp_get_u64(capnp_msg_root_struct(&msg), 0, 0), 77);
	CHECK_EQ(capnp_msg_error(&msg), 0);
	CHECK_EQ(capnp_msg_write(&msg, copy, sizeof(copy), &n), 0); /* the table, re-framed */
	CHECK_EQ(n, len);
	CHECK(memcmp(copy, buf, len) == 0);
}

TEST(caps_callers_table_at_the_official_readers_segment_limit)
{
	static struct capnp_seg more[CAPNP_READ_MAX_SEGMENTS];
	size_t len = many_segments(CAPNP_READ_MAX_SEGMENTS);

	CHECK_EQ(capnp_msg_init_read_segs(&msg, buf, len, more, CAPNP_READ_MAX_SEGMENTS), 0);
	CHECK_EQ(capnp_get_u64(capnp_msg_root_struct(&msg), 0, 0), 77);
	len = many_segments(CAPNP_READ_MAX_SEGMENTS + 1);
	CHECK_EQ(capnp_msg_init_read_segs(&msg, buf, len, more, CAPNP_READ_MAX_SEGMENTS),
		 CAPNP_ERR_BAD_SEGMENT_TABLE);
	CHECK_EQ(capnp_msg_init_read_segs(&msg, buf, len, NULL, 1000),
		 CAPNP_ERR_BAD_SEGMENT_TABLE);
	CHECK_EQ(msg.nseg, 0);
}

/* Text and data take an inline fast path; whatever it refuses must still end in the general
 * path's result: the same values, error codes and traversal charges. */
TEST(text_fast_path_agrees_with_general_path_on_errors_and_charges)
{
	uint64_t w[] = { T_SP(0, 0, 4),		     T_LP(3, CAPNP_ELEM_BYTE, 3),
			 T_LP(2, CAPNP_ELEM_BYTE, 2),	     T_LP(1, CAPNP_ELEM_BYTE, 9),
			 T_LP(-6, CAPNP_ELEM_BYTE, 9), 0x6968 /* "hi\0" */ };
	struct capnp_struct s;
	uint64_t left;

	CHECK_EQ(t_read1(&msg, buf, w, 6), 0);
	s = capnp_msg_root_struct(&msg);
	left = msg.traversal_left;
	CHECK_STR(capnp_get_text(s, 0, NULL, 0).str, "hi");
	CHECK_EQ(left - msg.traversal_left, 1);
	CHECK_EQ(capnp_get_data(s, 0, NULL, 0).len, 3);
	CHECK_EQ(capnp_msg_error(&msg), 0);
	CHECK_STR(capnp_get_text(s, 1, "d", 1).str, "d"); /* no NUL */
	CHECK_EQ(capnp_msg_error(&msg), CAPNP_ERR_NOT_TEXT);
	for (uint16_t i = 2; i <= 3; i++) { /* past the end; from word -1 */
		CHECK_EQ(t_read1(&msg, buf, w, 6), 0);
		CHECK(capnp_get_data(capnp_msg_root_struct(&msg), i, NULL, 0).ptr == NULL);
		CHECK_EQ(capnp_msg_error(&msg), CAPNP_ERR_OUT_OF_BOUNDS);
	}
	CHECK_EQ(t_read1(&msg, buf, w, 6), 0);
	capnp_msg_set_limits(&msg, 100, 1); /* the root struct's pointers have no depth left */
	CHECK_EQ(capnp_get_text(capnp_msg_root_struct(&msg), 0, NULL, 0).len, 0);
	CHECK_EQ(capnp_msg_error(&msg), CAPNP_ERR_NESTING_LIMIT);
	CHECK_EQ(t_read1(&msg, buf, w, 6), 0);
	capnp_msg_set_limits(&msg, 4, 64); /* just the root struct's 4 words */
	CHECK_EQ(capnp_get_text(capnp_msg_root_struct(&msg), 0, NULL, 0).len, 0);
	CHECK_EQ(capnp_msg_error(&msg), CAPNP_ERR_TRAVERSAL_LIMIT);
	CHECK_EQ(msg.traversal_left, 0);
}

TEST(reads_union_discriminant_and_group_fields)
{
	/* discriminant at u16 offset 2 (byte 4) = 1, the active member a u32 at byte 0 */
	uint64_t w[] = { T_SP(0, 1, 0), 0x0000000100000009ull };
	struct capnp_struct s;

	CHECK_EQ(t_read1(&msg, buf, w, 2), 0);
	s = capnp_msg_root_struct(&msg);
	CHECK_EQ(capnp_get_u16(s, 4, 0), 1);
	CHECK_EQ(capnp_get_u32(s, 0, 0), 9);
}

TEST(reads_unaligned_message)
{
	uint64_t w[] = { T_SP(0, 1, 1), 0xabcdef, T_LP(0, CAPNP_ELEM_BYTE, 2), 0x41 };
	static uint8_t raw[256];
	size_t len = t_read1(&msg, buf, w, 4) == 0 ? 8 + 32 : 0;

	memcpy(raw + 3, buf, len);
	CHECK_EQ(capnp_msg_init_read(&msg, raw + 3, len), 0);
	CHECK_EQ(capnp_get_u64(capnp_msg_root_struct(&msg), 0, 0), 0xabcdef);
	CHECK_STR(capnp_get_text(capnp_msg_root_struct(&msg), 0, NULL, 0).str, "A");
	CHECK_EQ(capnp_msg_error(&msg), 0);
}

TEST(ignores_trailing_bytes_after_frame)
{
	uint64_t w[] = { T_SP(0, 1, 0), 5 };

	CHECK_EQ(t_read1(&msg, buf, w, 2), 0);
	CHECK_EQ(capnp_msg_init_read(&msg, buf, 8 + 16 + 8), 0);
	CHECK_EQ(msg.frame_bytes, 24);
}

TEST(reports_strerror_for_every_code)
{
	int e;

	for (e = 0; e >= CAPNP_ERR_INVALID; e--)
		CHECK(strcmp(capnp_strerror(e), "unknown error") != 0);
	CHECK_STR(capnp_strerror(-100), "unknown error");
}

int main(void)
{
	RUN(reads_primitive_fields_with_xor_defaults);
	RUN(reads_missing_fields_of_smaller_struct_as_defaults);
	RUN(ignores_extra_fields_of_bigger_struct);
	RUN(reads_text_and_data);
	RUN(rejects_text_without_nul);
	RUN(reads_every_primitive_list_encoding);
	RUN(reads_pointer_list_of_text);
	RUN(reads_inline_composite_struct_list);
	RUN(reads_struct_list_as_primitive_list_upgrade);
	RUN(reads_primitive_list_as_struct_list_upgrade);
	RUN(rejects_bit_list_read_as_struct_list);
	RUN(rejects_struct_pointer_where_list_expected);
	RUN(rejects_narrow_list_read_as_wider_elements);
	RUN(follows_far_pointer_to_other_segment);
	RUN(follows_double_far_pointer);
	RUN(reads_capability_index);
	RUN(reads_default_value_for_null_pointer_field);
	RUN(null_struct_keeps_nesting_budget_for_field_defaults);
	RUN(text_fast_path_agrees_with_general_path_on_errors_and_charges);
	RUN(reads_more_segments_than_the_message_holds_with_a_callers_table);
	RUN(caps_callers_table_at_the_official_readers_segment_limit);
	RUN(reads_union_discriminant_and_group_fields);
	RUN(reads_unaligned_message);
	RUN(ignores_trailing_bytes_after_frame);
	RUN(reports_strerror_for_every_code);
	TEST_EXIT();
}
