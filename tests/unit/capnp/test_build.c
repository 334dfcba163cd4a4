// SPDX-License-Identifier: MIT
/*
 * Builder tests for lib/capnp: every field kind round-trips through capnp_msg_write and the
 * reader; multi-segment building places objects behind far and double-far pointers; a full
 * arena or output buffer fails cleanly without writing out of bounds; deep copy reproduces a
 * message and respects the nesting limit.
 */
#include "../test.h"
#include "capnp/capnp_float.h"
#include "capnp_test.h"

static uint8_t arena[4096 + 16], out[8192 + 16];
static struct capnp_msg bmsg, rmsg;

/* Serialise bmsg and read it back into rmsg. */
static struct capnp_struct roundtrip(void)
{
	size_t n = 0;

	if (capnp_msg_write(&bmsg, out, sizeof(out), &n) != 0 ||
	    capnp_msg_init_read(&rmsg, out, n) != 0)
		capnp_msg_fail(&rmsg, CAPNP_ERR_INVALID);
	return capnp_msg_root_struct(&rmsg);
}

TEST(builds_and_reads_back_every_primitive_kind)
{
	struct capnp_builder b;
	struct capnp_struct s;

	CHECK_EQ(capnp_msg_init_build(&bmsg, arena, 4096), 0);
	b = capnp_msg_init_root(&bmsg, 4, 0);
	capnp_set_bool(b, 0, true, false);
	capnp_set_bool(b, 1, true, true);
	capnp_set_i8(b, 1, -5, 0);
	capnp_set_u16(b, 2, 0xbeef, 0x0f0f);
	capnp_set_i32(b, 4, -123456, 7);
	capnp_set_u64(b, 8, 0x0102030405060708ull, 0);
	capnp_set_f32(b, 16, 1.5f, 0);
	capnp_set_f64(b, 24, -2.25, 0x3ff0000000000000ull);
	CHECK_EQ(capnp_msg_error(&bmsg), 0);
	s = roundtrip();
	CHECK_EQ(capnp_get_bool(s, 0, false), true);
	CHECK_EQ(capnp_get_bool(s, 1, true), true);
	CHECK_EQ(capnp_get_bool(s, 2, false), false);
	CHECK_EQ(capnp_get_i8(s, 1, 0), -5);
	CHECK_EQ(capnp_get_u16(s, 2, 0x0f0f), 0xbeef);
	CHECK_EQ(capnp_get_u16(s, 2, 0), 0xbeef ^ 0x0f0f);
	CHECK_EQ(capnp_get_i32(s, 4, 7), -123456);
	CHECK_EQ(capnp_get_u64(s, 8, 0), 0x0102030405060708ull);
	CHECK(capnp_get_f32(s, 16, 0) == 1.5f);
	CHECK(capnp_get_f64(s, 24, 0x3ff0000000000000ull) == -2.25);
	CHECK_EQ(capnp_msg_error(&rmsg), 0);
}

TEST(builds_text_data_cap_and_nested_struct)
{
	struct capnp_builder b, c;
	struct capnp_struct s;

	capnp_msg_init_build(&bmsg, arena, 4096);
	b = capnp_msg_init_root(&bmsg, 0, 4);
	CHECK_EQ(capnp_set_text(b, 0, "hello", 5), 0);
	CHECK_EQ(capnp_set_data(b, 1, "\x01\x02", 2), 0);
	CHECK_EQ(capnp_set_cap(b, 2, 9), 0);
	c = capnp_init_struct(b, 3, 1, 0);
	capnp_set_u32(c, 0, 77, 0);
	s = roundtrip();
	CHECK_STR(capnp_get_text(s, 0, NULL, 0).str, "hello");
	CHECK_EQ(capnp_get_text(s, 0, NULL, 0).len, 5);
	CHECK_EQ(capnp_get_data(s, 1, NULL, 0).len, 2);
	CHECK_EQ(capnp_get_cap(s, 2), 9);
	CHECK_EQ(capnp_get_u32(capnp_get_struct(s, 3, NULL), 0, 0), 77);
	CHECK_EQ(capnp_msg_error(&rmsg), 0);
}

TEST(builds_lists_of_every_element_size)
{
	struct capnp_builder b;
	struct capnp_list_builder l;
	struct capnp_struct s;
	struct capnp_list r;
	unsigned e;

	capnp_msg_init_build(&bmsg, arena, 4096);
	b = capnp_msg_init_root(&bmsg, 0, 8);
	capnp_init_list(b, 0, CAPNP_ELEM_VOID, 1000);
	l = capnp_init_list(b, 1, CAPNP_ELEM_BIT, 70);
	capnp_list_set_bool(l, 69, true);
	capnp_list_set_bool(l, 3, true);
	l = capnp_init_list(b, 2, CAPNP_ELEM_BYTE, 3);
	capnp_list_set_u8(l, 2, 0xee);
	l = capnp_init_list(b, 3, CAPNP_ELEM_TWO, 3);
	capnp_list_set_u16(l, 1, 0xabcd);
	l = capnp_init_list(b, 4, CAPNP_ELEM_FOUR, 3);
	capnp_list_set_f32(l, 2, 0.5f);
	l = capnp_init_list(b, 5, CAPNP_ELEM_EIGHT, 2);
	capnp_list_set_u64(l, 1, 1ull << 60);
	l = capnp_init_list(b, 6, CAPNP_ELEM_POINTER, 2);
	capnp_ptr_set_text(capnp_list_build_ptr(l, 1), "x", 1);
	l = capnp_init_struct_list(b, 7, 3, 1, 1);
	capnp_set_u16(capnp_list_build_struct(l, 2), 6, 4242, 0);
	capnp_set_text(capnp_list_build_struct(l, 1), 0, "yz", 2);
	CHECK_EQ(capnp_msg_error(&bmsg), 0);

	s = roundtrip();
	CHECK_EQ(capnp_get_list(s, 0, CAPNP_ELEM_VOID, NULL).len, 1000);
	r = capnp_get_list(s, 1, CAPNP_ELEM_BIT, NULL);
	CHECK(capnp_list_bool(r, 69) && capnp_list_bool(r, 3) && !capnp_list_bool(r, 68));
	CHECK_EQ(capnp_list_u8(capnp_get_list(s, 2, CAPNP_ELEM_BYTE, NULL), 2), 0xee);
	CHECK_EQ(capnp_list_u16(capnp_get_list(s, 3, CAPNP_ELEM_TWO, NULL), 1), 0xabcd);
	CHECK(capnp_list_f32(capnp_get_list(s, 4, CAPNP_ELEM_FOUR, NULL), 2) == 0.5f);
	CHECK_EQ(capnp_list_u64(capnp_get_list(s, 5, CAPNP_ELEM_EIGHT, NULL), 1), 1ull << 60);
	r = capnp_get_list(s, 6, CAPNP_ELEM_POINTER, NULL);
	CHECK_STR(capnp_list_text(r, 1).str, "x");
	CHECK_EQ(capnp_list_text(r, 0).len, 0);
	r = capnp_get_list(s, 7, CAPNP_ELEM_COMPOSITE, NULL);
	CHECK_EQ(r.len, 3);
	CHECK_EQ(capnp_get_u16(capnp_list_struct(r, 2), 6, 0), 4242);
	CHECK_STR(capnp_get_text(capnp_list_struct(r, 1), 0, NULL, 0).str, "yz");
	for (e = 0; e < 8; e++)
		CHECK(capnp_has_ptr(s, (uint16_t)e));
	CHECK_EQ(capnp_msg_error(&rmsg), 0);
}

TEST(spills_to_next_segment_behind_far_pointer)
{
	static uint8_t s0[24], s1[64], s2[512];
	struct capnp_builder b, c;
	struct capnp_struct s;

	capnp_msg_init_build(&bmsg, s0, sizeof(s0));
	CHECK_EQ(capnp_msg_add_segment(&bmsg, s1, sizeof(s1)), 0);
	CHECK_EQ(capnp_msg_add_segment(&bmsg, s2, sizeof(s2)), 0);
	b = capnp_msg_init_root(&bmsg, 1, 1);	/* fits in s0 (3 words) */
	capnp_set_u64(b, 0, 11, 0);
	c = capnp_init_struct(b, 0, 4, 1);	/* 5 words: s1 with pad */
	capnp_set_u64(c, 24, 22, 0);
	capnp_set_text(c, 0, "a longer text that does not fit in segment one", 46);
	CHECK_EQ(capnp_msg_error(&bmsg), 0);
	CHECK_EQ(bmsg.seg[0].words, 3);
	CHECK(bmsg.seg[2].words > 0);
	s = roundtrip();
	CHECK_EQ(rmsg.nseg, 3);
	CHECK_EQ(capnp_get_u64(s, 0, 0), 11);
	s = capnp_get_struct(s, 0, NULL);
	CHECK_EQ(capnp_get_u64(s, 24, 0), 22);
	CHECK_EQ(capnp_get_text(s, 0, NULL, 0).len, 46);
	CHECK_EQ(capnp_msg_error(&rmsg), 0);
}

TEST(uses_double_far_when_no_segment_has_room_for_pad)
{
	static uint8_t s0[16], s1[24], s2[16];
	struct capnp_builder b;
	struct capnp_struct s;

	capnp_msg_init_build(&bmsg, s0, sizeof(s0));	/* root + 1 word free */
	capnp_msg_add_segment(&bmsg, s1, sizeof(s1));	/* exactly the struct */
	capnp_msg_add_segment(&bmsg, s2, sizeof(s2));	/* the 2-word pad */
	b = capnp_msg_init_root(&bmsg, 2, 1);
	capnp_set_u64(b, 8, 5, 0);
	CHECK_EQ(capnp_msg_error(&bmsg), 0);
	CHECK_EQ(capnp_load64(s0) & 7, 6);	/* far, double */
	s = roundtrip();
	CHECK_EQ(capnp_get_u64(s, 8, 0), 5);
	CHECK_EQ(capnp_msg_error(&rmsg), 0);
}

TEST(fails_cleanly_when_arena_is_full)
{
	static uint8_t a[64 + 8];
	struct capnp_builder b, c;

	memset(a, 0xa5, sizeof(a));
	capnp_msg_init_build(&bmsg, a, 64);
	b = capnp_msg_init_root(&bmsg, 1, 1);
	c = capnp_init_struct(b, 0, 100, 0);
	CHECK_EQ(capnp_msg_error(&bmsg), CAPNP_ERR_NO_SPACE);
	CHECK(c.data == NULL);
	capnp_set_u64(c, 0, 1, 0);	/* no-op on a null builder */
	CHECK_EQ(capnp_set_text(b, 0, "0123456789012345678901234567890123456789", 40),
		 CAPNP_ERR_NO_SPACE);
	CHECK_EQ(a[64], 0xa5);
	CHECK_EQ(capnp_msg_error(&bmsg), CAPNP_ERR_NO_SPACE);
}

TEST(write_refuses_small_output_buffer)
{
	static uint8_t small[24 + 8];
	size_t n = 0;

	capnp_msg_init_build(&bmsg, arena, 4096);
	capnp_set_u64(capnp_msg_init_root(&bmsg, 2, 0), 0, 1, 0);
	CHECK_EQ(capnp_msg_framed_size(&bmsg), 32);
	memset(small, 0x5a, sizeof(small));
	CHECK_EQ(capnp_msg_write(&bmsg, small, 24, &n), CAPNP_ERR_NO_SPACE);
	CHECK_EQ(small[24], 0x5a);
	CHECK_EQ(small[0], 0x5a);
	CHECK_EQ(capnp_msg_write(&bmsg, out, sizeof(out), &n), 0);
	CHECK_EQ(n, 32);
}

TEST(rejects_out_of_range_builder_accesses)
{
	struct capnp_builder b;
	struct capnp_list_builder l;

	capnp_msg_init_build(&bmsg, arena, 4096);
	b = capnp_msg_init_root(&bmsg, 1, 0);
	capnp_set_u32(b, 6, 1, 0);
	CHECK_EQ(capnp_msg_error(&bmsg), CAPNP_ERR_OUT_OF_BOUNDS);
	capnp_msg_init_build(&bmsg, arena, 4096);
	b = capnp_msg_init_root(&bmsg, 0, 1);
	l = capnp_init_list(b, 0, CAPNP_ELEM_TWO, 2);
	capnp_list_set_u16(l, 2, 1);
	CHECK_EQ(capnp_msg_error(&bmsg), CAPNP_ERR_OUT_OF_BOUNDS);
}

/* Build a message exercising every pointer kind, into bmsg. */
static void build_sample(void)
{
	struct capnp_builder b;
	struct capnp_list_builder l;

	capnp_msg_init_build(&bmsg, arena, 4096);
	b = capnp_msg_init_root(&bmsg, 1, 5);
	capnp_set_u64(b, 0, 0x1234, 0);
	capnp_set_text(b, 0, "copy me", 7);
	l = capnp_init_struct_list(b, 1, 2, 1, 1);
	capnp_set_u64(capnp_list_build_struct(l, 1), 0, 99, 0);
	capnp_set_data(capnp_list_build_struct(l, 0), 0, "\x00\x01", 2);
	l = capnp_init_list(b, 2, CAPNP_ELEM_BIT, 9);
	capnp_list_set_bool(l, 8, true);
	capnp_set_cap(b, 3, 4);
	l = capnp_init_list(b, 4, CAPNP_ELEM_POINTER, 1);
	capnp_ptr_init_list(capnp_list_build_ptr(l, 0), CAPNP_ELEM_FOUR, 1);
}

TEST(deep_copy_reproduces_message)
{
	static uint8_t a2[4096], o2[4096];
	static struct capnp_msg cmsg;
	size_t n1, n2;
	struct capnp_struct src;

	build_sample();
	CHECK_EQ(capnp_msg_error(&bmsg), 0);
	src = roundtrip();
	capnp_msg_init_build(&cmsg, a2, sizeof(a2));
	CHECK_EQ(capnp_ptr_copy(capnp_msg_root_builder(&cmsg), capnp_msg_root(&rmsg)), 0);
	CHECK_EQ(capnp_msg_write(&bmsg, out, sizeof(out), &n1), 0);
	CHECK_EQ(capnp_msg_write(&cmsg, o2, sizeof(o2), &n2), 0);
	CHECK_EQ(n1, n2);
	CHECK(memcmp(out, o2, n1) == 0);
	(void)src;
}

TEST(set_struct_copies_into_a_field)
{
	static uint8_t a2[4096];
	static struct capnp_msg cmsg;
	struct capnp_builder b;
	struct capnp_struct s;

	build_sample();
	s = roundtrip();
	capnp_msg_init_build(&cmsg, a2, sizeof(a2));
	b = capnp_msg_init_root(&cmsg, 0, 1);
	CHECK_EQ(capnp_set_struct(b, 0, s), 0);
	s = capnp_get_struct(capnp_builder_reader(b), 0, NULL);
	CHECK_STR(capnp_get_text(s, 0, NULL, 0).str, "copy me");
	CHECK_EQ(capnp_get_u64(capnp_list_struct(capnp_get_list(s, 1, CAPNP_ELEM_COMPOSITE, NULL),
						 1), 0, 0), 99);
	CHECK_EQ(capnp_get_cap(s, 3), 4);
	CHECK_EQ(capnp_msg_error(&cmsg), 0);
}

TEST(deep_copy_stops_at_nesting_limit)
{
	static uint8_t a2[8192];
	static struct capnp_msg cmsg;
	struct capnp_builder b;
	int i;

	capnp_msg_init_build(&bmsg, arena, 4096);
	b = capnp_msg_init_root(&bmsg, 0, 1);
	for (i = 0; i < 100; i++)
		b = capnp_init_struct(b, 0, 0, 1);
	CHECK_EQ(capnp_msg_error(&bmsg), 0);
	roundtrip();
	capnp_msg_init_build(&cmsg, a2, sizeof(a2));
	CHECK_EQ(capnp_ptr_copy(capnp_msg_root_builder(&cmsg), capnp_msg_root(&rmsg)),
		 CAPNP_ERR_NESTING_LIMIT);
	capnp_msg_init_read(&rmsg, out, capnp_msg_framed_size(&bmsg));
	capnp_msg_set_limits(&rmsg, 1 << 20, 200);
	capnp_msg_init_build(&cmsg, a2, sizeof(a2));
	CHECK_EQ(capnp_ptr_copy(capnp_msg_root_builder(&cmsg), capnp_msg_root(&rmsg)), 0);
}

TEST(reader_sees_message_while_building)
{
	struct capnp_builder b;

	capnp_msg_init_build(&bmsg, arena, 4096);
	b = capnp_msg_init_root(&bmsg, 1, 1);
	capnp_set_text(b, 0, "live", 4);
	capnp_set_u64(b, 0, 3, 0);
	CHECK_EQ(capnp_get_u64(capnp_msg_root_struct(&bmsg), 0, 0), 3);
	CHECK_STR(capnp_get_text(capnp_msg_root_struct(&bmsg), 0, NULL, 0).str, "live");
	CHECK_EQ(capnp_msg_error(&bmsg), 0);
}

TEST(builder_rejects_invalid_arguments)
{
	static uint8_t segs[CAPNP_MAX_SEGMENTS][16];
	struct capnp_builder b;
	struct capnp_list_builder l;
	int i;

	CHECK_EQ(capnp_msg_init_build(&bmsg, arena, 4), CAPNP_ERR_NO_SPACE);
	capnp_msg_init_build(&bmsg, segs[0], 16);
	for (i = 1; i < CAPNP_MAX_SEGMENTS; i++)
		CHECK_EQ(capnp_msg_add_segment(&bmsg, segs[i], 16), 0);
	CHECK_EQ(capnp_msg_add_segment(&bmsg, arena, 64), CAPNP_ERR_NO_SPACE);
	CHECK_EQ(capnp_msg_add_segment(&rmsg, arena, 64), CAPNP_ERR_INVALID);

	capnp_msg_init_build(&bmsg, arena, 4096);
	b = capnp_msg_init_root(&bmsg, 0, 2);
	l = capnp_init_list(b, 0, CAPNP_ELEM_COMPOSITE, 1);
	CHECK(l.start == NULL);
	CHECK_EQ(capnp_msg_error(&bmsg), CAPNP_ERR_INVALID);

	capnp_msg_init_build(&bmsg, arena, 4096);
	b = capnp_msg_init_root(&bmsg, 0, 2);
	capnp_init_struct_list(b, 0, 1u << 29, 1, 0);
	CHECK_EQ(capnp_msg_error(&bmsg), CAPNP_ERR_INVALID);

	capnp_msg_init_build(&bmsg, arena, 4096);
	b = capnp_msg_init_root(&bmsg, 0, 2);
	l = capnp_init_list(b, 0, CAPNP_ELEM_EIGHT, 2);
	CHECK(capnp_list_build_struct(l, 0).data == NULL);
	CHECK_EQ(capnp_msg_error(&bmsg), CAPNP_ERR_OUT_OF_BOUNDS);

	capnp_msg_init_build(&bmsg, arena, 4096);
	b = capnp_msg_init_root(&bmsg, 0, 2);
	CHECK_EQ(capnp_set_text(b, 2, "x", 1), CAPNP_ERR_OUT_OF_BOUNDS);
	CHECK_EQ(capnp_msg_error(&bmsg), CAPNP_ERR_OUT_OF_BOUNDS);
}

TEST(copy_reports_error_of_hostile_source)
{
	/* Root list of one pointer whose far pointer lands on itself. */
	uint64_t w[] = { T_LP(0, CAPNP_ELEM_POINTER, 1), T_FP(0, 1, 0) };
	static uint8_t a2[4096];
	static struct capnp_msg cmsg;

	CHECK_EQ(t_read1(&rmsg, out, w, 2), 0);
	capnp_msg_init_build(&cmsg, a2, sizeof(a2));
	CHECK_EQ(capnp_ptr_copy(capnp_msg_root_builder(&cmsg), capnp_msg_root(&rmsg)),
		 CAPNP_ERR_BAD_POINTER);
	CHECK_EQ(capnp_msg_error(&rmsg), CAPNP_ERR_BAD_POINTER);
	CHECK_EQ(capnp_msg_error(&cmsg), 0);
}

TEST(copy_into_full_arena_reports_no_space)
{
	static uint8_t a2[64];
	static struct capnp_msg cmsg;

	build_sample();
	roundtrip();
	capnp_msg_init_build(&cmsg, a2, sizeof(a2));
	CHECK_EQ(capnp_ptr_copy(capnp_msg_root_builder(&cmsg), capnp_msg_root(&rmsg)),
		 CAPNP_ERR_NO_SPACE);
	CHECK_EQ(capnp_msg_write(&cmsg, out, sizeof(out), &(size_t){ 0 }), CAPNP_ERR_NO_SPACE);
}

int main(void)
{
	RUN(builds_and_reads_back_every_primitive_kind);
	RUN(builds_text_data_cap_and_nested_struct);
	RUN(builds_lists_of_every_element_size);
	RUN(spills_to_next_segment_behind_far_pointer);
	RUN(uses_double_far_when_no_segment_has_room_for_pad);
	RUN(fails_cleanly_when_arena_is_full);
	RUN(write_refuses_small_output_buffer);
	RUN(rejects_out_of_range_builder_accesses);
	RUN(deep_copy_reproduces_message);
	RUN(set_struct_copies_into_a_field);
	RUN(deep_copy_stops_at_nesting_limit);
	RUN(reader_sees_message_while_building);
	RUN(builder_rejects_invalid_arguments);
	RUN(copy_reports_error_of_hostile_source);
	RUN(copy_into_full_arena_reports_no_space);
	TEST_EXIT();
}
