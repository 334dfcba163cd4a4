// SPDX-License-Identifier: MIT
/*
 * Tests of the builder's inline fast paths (lib/capnp/capnp.h: capnp_build_alloc,
 * capnp_build_bytes, capnp_build_copy): they must give the same bytes as the slow paths on
 * arenas full of garbage, zero exactly what the copy does not fill, stop at a segment's cap,
 * and hand over to the far-pointer path when the pointer's segment is full. Sources are
 * malloc'd at their exact length so ASan catches any read past them.
 */
#include <stdlib.h>

#include "../test.h"
#include "capnp_test.h"

enum { FAST_DIRT = 0xa5 };

static uint8_t arena[1024];
static struct capnp_msg bmsg;

/* An exact-size heap copy of "0123456789abcdef..." of length n (n may be 0). */
static uint8_t *fast_src(uint32_t n)
{
	uint8_t *p = malloc(n ? n : 1);

	for (uint32_t i = 0; p && i < n; i++)
		p[i] = (uint8_t)("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"[i % 50]);
	return p;
}

/* Whether p[from..to) are all zero. */
static bool fast_zero(const uint8_t *p, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		if (p[i])
			return false;
	return true;
}

TEST(text_and_data_of_every_short_length_copy_exactly_on_dirty_arena)
{
	for (uint32_t n = 0; n <= 40; n++) {
		uint8_t *src = fast_src(n);
		struct capnp_builder b;
		struct capnp_struct r;
		struct capnp_text t;
		struct capnp_data d;
		uint32_t end;

		CHECK(src != NULL);
		memset(arena, FAST_DIRT, sizeof(arena));
		CHECK_EQ(capnp_msg_init_build(&bmsg, arena, sizeof(arena) - 8), 0);
		b = capnp_msg_init_root(&bmsg, 0, 2);
		CHECK_EQ(capnp_set_text(b, 0, (const char *)src, n), 0);
		CHECK_EQ(capnp_set_data(b, 1, src, n), 0);
		r = capnp_builder_reader(b);
		t = capnp_get_text(r, 0, NULL, 0);
		d = capnp_get_data(r, 1, NULL, 0);
		CHECK_EQ(capnp_msg_error(&bmsg), 0);
		CHECK_EQ(t.len, n);
		CHECK(memcmp(t.str, src, n) == 0);
		CHECK(fast_zero((const uint8_t *)t.str, n, (n + 8) / 8 * 8)); /* NUL + padding */
		CHECK_EQ(d.len, n);
		CHECK(memcmp(d.ptr, src, n) == 0);
		CHECK(fast_zero(d.ptr, n, (n + 7) / 8 * 8));
		end = 8 * bmsg.seg[0].words;
		CHECK_EQ(end, 8 * (1 + 2 + (n + 8) / 8 + (n + 7) / 8));
		CHECK_EQ(arena[end], FAST_DIRT); /* nothing written past the last object */
		free(src);
	}
}

TEST(struct_and_list_inits_zero_a_dirty_arena)
{
	struct capnp_builder b, c;
	struct capnp_list_builder l, sl;
	struct capnp_struct r;

	memset(arena, 0xff, sizeof(arena));
	capnp_msg_init_build(&bmsg, arena, sizeof(arena));
	b = capnp_msg_init_root(&bmsg, 3, 3);
	c = capnp_init_struct(b, 0, 2, 1);
	l = capnp_init_list(b, 1, CAPNP_ELEM_FOUR, 5);
	sl = capnp_init_struct_list(b, 2, 3, 1, 1);
	CHECK(c.data && l.start && sl.start);
	CHECK(fast_zero(b.data, 0, 8 * 3));
	CHECK(fast_zero(c.data, 0, 8 * 3));
	CHECK(fast_zero(l.start, 0, 5 * 4 + 4)); /* elements and padding */
	CHECK(fast_zero(sl.start, 0, 3 * 16));
	r = capnp_builder_reader(b);
	CHECK(!capnp_has_ptr(capnp_get_struct(r, 0, NULL), 0));
	CHECK_EQ(capnp_get_list(r, 2, CAPNP_ELEM_COMPOSITE, NULL).len, 3);
	CHECK_EQ(capnp_msg_error(&bmsg), 0);
}

TEST(text_fills_segment_exactly_then_reports_no_space)
{
	static uint8_t a[24 + 8];
	struct capnp_builder b;

	memset(a, FAST_DIRT, sizeof(a));
	capnp_msg_init_build(&bmsg, a, 24); /* root, struct (0 data, 1 ptr), one free word */
	b = capnp_msg_init_root(&bmsg, 0, 1);
	CHECK_EQ(capnp_set_text(b, 0, "1234567", 8), CAPNP_ERR_NO_SPACE); /* 9 bytes: 2 words */
	CHECK_EQ(capnp_load64(a + 16), 0x0101010101010101ull * FAST_DIRT);
	CHECK_EQ(bmsg.seg[0].words, 2);
	CHECK_EQ(capnp_set_text(b, 0, "1234567", 7), 0); /* 8 bytes: fits exactly */
	CHECK_EQ(bmsg.seg[0].words, 3);
	CHECK_STR(capnp_get_text(capnp_builder_reader(b), 0, NULL, 0).str, "1234567");
	CHECK_EQ(capnp_set_data(b, 0, "x", 1), CAPNP_ERR_NO_SPACE);
	CHECK_EQ(a[24], FAST_DIRT);
	CHECK_EQ(capnp_msg_error(&bmsg), CAPNP_ERR_NO_SPACE);
}

TEST(text_spills_behind_far_pointer_when_its_segment_is_full)
{
	static uint8_t s0[16], s1[64];
	struct capnp_builder b;
	struct capnp_struct r;
	struct capnp_text t;

	memset(s0, FAST_DIRT, sizeof(s0));
	memset(s1, FAST_DIRT, sizeof(s1));
	capnp_msg_init_build(&bmsg, s0, sizeof(s0));
	CHECK_EQ(capnp_msg_add_segment(&bmsg, s1, sizeof(s1)), 0);
	b = capnp_msg_init_root(&bmsg, 0, 1); /* fills s0 */
	CHECK_EQ(capnp_set_text(b, 0, "spilled text", 12), 0);
	CHECK_EQ(capnp_load64(s0 + 8) & 3, 2); /* a far pointer */
	CHECK_EQ(bmsg.seg[1].words, 3);	       /* landing pad + 2 words */
	r = capnp_builder_reader(b);
	t = capnp_get_text(r, 0, NULL, 0);
	CHECK_STR(t.str, "spilled text");
	CHECK(fast_zero((const uint8_t *)t.str, 12, 16));
	CHECK_EQ(capnp_msg_error(&bmsg), 0);
}

TEST(null_slot_text_and_struct_record_invalid)
{
	struct capnp_ptr_builder p;
	struct capnp_builder c;

	capnp_msg_init_build(&bmsg, arena, sizeof(arena));
	p = capnp_msg_root_builder(&bmsg);
	p.p = NULL;
	CHECK_EQ(capnp_ptr_set_text(p, "a", 1), CAPNP_ERR_INVALID);
	c = capnp_ptr_init_struct(p, 1, 0);
	CHECK(c.data == NULL);
	CHECK_EQ(bmsg.seg[0].words, 1);
	CHECK_EQ(capnp_msg_error(&bmsg), CAPNP_ERR_INVALID);
}

int main(void)
{
	RUN(text_and_data_of_every_short_length_copy_exactly_on_dirty_arena);
	RUN(struct_and_list_inits_zero_a_dirty_arena);
	RUN(text_fills_segment_exactly_then_reports_no_space);
	RUN(text_spills_behind_far_pointer_when_its_segment_is_full);
	RUN(null_slot_text_and_struct_record_invalid);
	TEST_EXIT();
}
