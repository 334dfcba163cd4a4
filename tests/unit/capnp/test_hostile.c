// SPDX-License-Identifier: MIT
/*
 * Hostile-input tests for lib/capnp: malformed messages, each of which must be rejected by the
 * generic walk (tests/fuzz/capnp_walk.h, the fuzzer's own walk) with exactly the right error:
 * broken segment tables, truncated frames, out-of-bounds pointers, far-pointer loops and bad
 * landing pads, overflowing list sizes, inline-composite tag lies, nesting bombs and
 * amplification bombs. `test_capnp_hostile --write-corpus DIR` writes every case (and a few
 * valid messages) as seed files for the fuzzer corpus.
 */
#include <stdio.h>

#include "../test.h"
#include "capnp_test.h"
#include "capnp_walk.h"

#define MAXBUF (1 << 17)

static uint8_t buf[MAXBUF];
static uint64_t words[MAXBUF / 8];

/* Frame words[0..n) as one segment into buf. */
static size_t one(uint32_t n)
{
	const uint64_t *segs[1] = { words };

	return t_frame(buf, 1, segs, &n);
}

/* Frame two segments: words[0..n0) and words[n0..n0+n1). */
static size_t two(uint32_t n0, uint32_t n1)
{
	const uint64_t *segs[2] = { words, words + n0 };
	uint32_t n[2] = { n0, n1 };

	return t_frame(buf, 2, segs, n);
}

static size_t raw(const uint32_t *w, size_t nw)
{
	memcpy(buf, w, 4 * nw);
	return 4 * nw;
}

static size_t seg_count_max(void)
{
	static const uint32_t w[] = { 0xffffffff, 0, 0, 0 };

	return raw(w, 4);
}

static size_t seg_count_over_limit(void)
{
	memset(buf, 0, 4 + 4 * 33 + 4);
	buf[0] = 32;	/* 33 segments */
	return 4 + 4 * 33 + 4;
}

static size_t truncated_header(void)
{
	static const uint32_t w[] = { 0 };

	return raw(w, 1) - 1;
}

static size_t truncated_table(void)
{
	static const uint32_t w[] = { 3, 0 };

	return raw(w, 2);
}

static size_t sizes_past_buffer(void)
{
	static const uint32_t w[] = { 0, 100, 0, 0, 0, 0 };

	return raw(w, 6);
}

static size_t sizes_overflow_32bit_sum(void)
{
	static const uint32_t w[] = { 1, 0xffffffff, 0xffffffff, 0 };

	return raw(w, 4);
}

static size_t empty_root_segment(void)
{
	return one(0);
}

static size_t struct_offset_past_end(void)
{
	words[0] = T_SP(5, 1, 0);
	return one(1);
}

static size_t struct_negative_offset(void)
{
	words[0] = T_SP(-5, 0, 0);
	return one(1);
}

static size_t struct_size_past_end(void)
{
	words[0] = T_SP(0, 3, 0);
	words[1] = 0;
	return one(2);
}

static size_t list_count_overflows_segment(void)
{
	words[0] = T_SP(0, 0, 1);
	words[1] = T_LP(0, CAPNP_ELEM_EIGHT, (1u << 29) - 1);
	words[2] = 0;
	return one(3);
}

static size_t bit_list_past_end(void)
{
	words[0] = T_LP(0, CAPNP_ELEM_BIT, 65);
	words[1] = 0;
	return one(2);
}

static size_t composite_tag_not_struct(void)
{
	words[0] = T_SP(0, 0, 1);
	words[1] = T_LP(0, CAPNP_ELEM_COMPOSITE, 1);
	words[2] = T_LP(0, CAPNP_ELEM_BYTE, 1);
	words[3] = 0;
	return one(4);
}

static size_t composite_elements_overrun_word_count(void)
{
	words[0] = T_LP(0, CAPNP_ELEM_COMPOSITE, 2);
	words[1] = T_SP(10, 1, 0);
	words[2] = words[3] = 0;
	words[4] = words[5] = 0;
	return one(12);
}

static size_t composite_words_past_segment(void)
{
	words[0] = T_LP(0, CAPNP_ELEM_COMPOSITE, 100);
	words[1] = T_SP(1, 1, 0);
	words[2] = 0;
	return one(3);
}

static size_t far_to_missing_segment(void)
{
	words[0] = T_FP(0, 0, 5);
	return one(1);
}

static size_t far_pad_out_of_bounds(void)
{
	words[0] = T_FP(0, 10, 1);
	words[1] = 0;
	return two(1, 1);
}

static size_t far_pointer_self_loop(void)
{
	words[0] = T_FP(0, 0, 0);
	return one(1);
}

static size_t far_pointer_cross_loop(void)
{
	words[0] = T_FP(0, 0, 1);
	words[1] = T_FP(0, 0, 0);
	return two(1, 1);
}

static size_t far_landing_pad_out_of_bounds(void)
{
	words[0] = T_FP(0, 0, 1);
	words[1] = T_SP(10, 1, 0);
	return two(1, 1);
}

static size_t far_landing_pad_bad_other_pointer(void)
{
	words[0] = T_FP(0, 0, 1);
	words[1] = 3 | 8;
	return two(1, 1);
}

static size_t double_far_pad_not_far(void)
{
	words[0] = T_FP(1, 0, 1);
	words[1] = T_SP(0, 0, 0);
	words[2] = T_SP(0, 0, 0);
	return two(1, 2);
}

static size_t double_far_chain(void)
{
	words[0] = T_FP(1, 0, 1);
	words[1] = T_FP(1, 0, 1);
	words[2] = T_SP(0, 0, 0);
	return two(1, 2);
}

static size_t double_far_tag_is_far(void)
{
	words[0] = T_FP(1, 0, 1);
	words[1] = T_FP(0, 0, 0);
	words[2] = T_FP(0, 0, 0);
	return two(1, 2);
}

static size_t double_far_to_missing_segment(void)
{
	words[0] = T_FP(1, 0, 1);
	words[1] = T_FP(0, 0, 9);
	words[2] = T_SP(0, 0, 0);
	return two(1, 2);
}

static size_t double_far_content_out_of_bounds(void)
{
	words[0] = T_FP(1, 0, 1);
	words[1] = T_FP(0, 5, 0);
	words[2] = T_SP(0, 2, 0);
	return two(1, 2);
}

static size_t double_far_pad_truncated(void)
{
	words[0] = T_FP(1, 0, 1);
	words[1] = T_FP(0, 0, 0);
	return two(1, 1);
}

static size_t unknown_other_pointer(void)
{
	words[0] = T_SP(0, 0, 1);
	words[1] = 3 | 4;
	return one(2);
}

/* A chain of 70 structs, each the only pointer of the previous one. */
static size_t nesting_struct_chain(void)
{
	uint32_t i;

	for (i = 0; i < 70; i++)
		words[i] = T_SP(0, 0, 1);
	words[70] = 0;
	return one(71);
}

/* A chain of 70 one-element pointer lists. */
static size_t nesting_list_chain(void)
{
	uint32_t i;

	for (i = 0; i < 70; i++)
		words[i] = T_LP(0, CAPNP_ELEM_POINTER, 1);
	words[70] = 0;
	return one(71);
}

static size_t amplification_void_list(void)
{
	words[0] = T_LP(0, CAPNP_ELEM_VOID, (1u << 29) - 1);
	return one(1);
}

static size_t amplification_zero_sized_structs(void)
{
	words[0] = T_LP(0, CAPNP_ELEM_COMPOSITE, 0);
	words[1] = T_SP((1 << 29) - 1, 0, 0);
	return one(2);
}

/* 1000 pointers to one 9000-word list: 9 Mi words read from an 80 KiB message. */
static size_t amplification_shared_target(void)
{
	uint32_t i;

	words[0] = T_LP(0, CAPNP_ELEM_POINTER, 1000);
	for (i = 0; i < 1000; i++)
		words[1 + i] = T_LP((int32_t)(999 - i), CAPNP_ELEM_EIGHT, 9000);
	memset(words + 1001, 0, 9000 * 8);
	return one(10001);
}

struct hostile_case {
	const char *name;
	size_t (*gen)(void);
	int expect;
};

#define CASE(fn, err) { #fn, fn, err }

static const struct hostile_case cases[] = {
	CASE(seg_count_max, CAPNP_ERR_BAD_SEGMENT_TABLE),
	CASE(seg_count_over_limit, CAPNP_ERR_BAD_SEGMENT_TABLE),
	CASE(truncated_header, CAPNP_ERR_TRUNCATED),
	CASE(truncated_table, CAPNP_ERR_TRUNCATED),
	CASE(sizes_past_buffer, CAPNP_ERR_TRUNCATED),
	CASE(sizes_overflow_32bit_sum, CAPNP_ERR_TRUNCATED),
	CASE(empty_root_segment, CAPNP_ERR_OUT_OF_BOUNDS),
	CASE(struct_offset_past_end, CAPNP_ERR_OUT_OF_BOUNDS),
	CASE(struct_negative_offset, CAPNP_ERR_OUT_OF_BOUNDS),
	CASE(struct_size_past_end, CAPNP_ERR_OUT_OF_BOUNDS),
	CASE(list_count_overflows_segment, CAPNP_ERR_OUT_OF_BOUNDS),
	CASE(bit_list_past_end, CAPNP_ERR_OUT_OF_BOUNDS),
	CASE(composite_tag_not_struct, CAPNP_ERR_BAD_POINTER),
	CASE(composite_elements_overrun_word_count, CAPNP_ERR_BAD_POINTER),
	CASE(composite_words_past_segment, CAPNP_ERR_OUT_OF_BOUNDS),
	CASE(far_to_missing_segment, CAPNP_ERR_BAD_POINTER),
	CASE(far_pad_out_of_bounds, CAPNP_ERR_OUT_OF_BOUNDS),
	CASE(far_pointer_self_loop, CAPNP_ERR_BAD_POINTER),
	CASE(far_pointer_cross_loop, CAPNP_ERR_BAD_POINTER),
	CASE(far_landing_pad_out_of_bounds, CAPNP_ERR_OUT_OF_BOUNDS),
	CASE(far_landing_pad_bad_other_pointer, CAPNP_ERR_BAD_POINTER),
	CASE(double_far_pad_not_far, CAPNP_ERR_BAD_POINTER),
	CASE(double_far_chain, CAPNP_ERR_BAD_POINTER),
	CASE(double_far_tag_is_far, CAPNP_ERR_BAD_POINTER),
	CASE(double_far_to_missing_segment, CAPNP_ERR_BAD_POINTER),
	CASE(double_far_content_out_of_bounds, CAPNP_ERR_OUT_OF_BOUNDS),
	CASE(double_far_pad_truncated, CAPNP_ERR_OUT_OF_BOUNDS),
	CASE(unknown_other_pointer, CAPNP_ERR_BAD_POINTER),
	CASE(nesting_struct_chain, CAPNP_ERR_NESTING_LIMIT),
	CASE(nesting_list_chain, CAPNP_ERR_NESTING_LIMIT),
	CASE(amplification_void_list, CAPNP_ERR_TRAVERSAL_LIMIT),
	CASE(amplification_zero_sized_structs, CAPNP_ERR_TRAVERSAL_LIMIT),
	CASE(amplification_shared_target, CAPNP_ERR_TRAVERSAL_LIMIT),
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* Valid messages for the seed corpus: every pointer kind, multi-segment, far pointers. */
static size_t valid_every_kind(void)
{
	static uint8_t a0[24], a1[4096];
	struct capnp_msg m;
	struct capnp_builder b;
	struct capnp_list_builder l;
	size_t n = 0;

	capnp_msg_init_build(&m, a0, sizeof(a0));
	capnp_msg_add_segment(&m, a1, sizeof(a1));
	b = capnp_msg_init_root(&m, 2, 6);
	capnp_set_u64(b, 0, 0x0123456789abcdefull, 0);
	capnp_set_text(b, 0, "text", 4);
	capnp_set_data(b, 1, "\x00\x01\x02", 3);
	capnp_set_cap(b, 2, 1);
	l = capnp_init_struct_list(b, 3, 3, 1, 1);
	capnp_set_text(capnp_list_build_struct(l, 2), 0, "in list", 7);
	l = capnp_init_list(b, 4, CAPNP_ELEM_BIT, 12);
	capnp_list_set_bool(l, 11, true);
	l = capnp_init_list(b, 5, CAPNP_ELEM_POINTER, 2);
	capnp_ptr_init_list(capnp_list_build_ptr(l, 0), CAPNP_ELEM_TWO, 3);
	capnp_ptr_init_list(capnp_list_build_ptr(l, 1), CAPNP_ELEM_VOID, 9);
	capnp_msg_write(&m, buf, sizeof(buf), &n);
	return n;
}

static size_t valid_double_far(void)
{
	words[0] = T_FP(1, 0, 1);
	words[1] = 42;
	words[2] = T_FP(0, 1, 0);
	words[3] = T_SP(0, 1, 0);
	return two(2, 2);
}

static const struct hostile_case valid[] = {
	{ "every_kind", valid_every_kind, 0 },
	{ "double_far", valid_double_far, 0 },
};

static int write_corpus(const char *dir)
{
	char path[512];
	size_t i, n;
	FILE *f;

	for (i = 0; i < NCASES + 2; i++) {
		const struct hostile_case *c = i < NCASES ? &cases[i] : &valid[i - NCASES];

		n = c->gen();
		snprintf(path, sizeof(path), "%s/%s-%s", dir, i < NCASES ? "hostile" : "valid",
			 c->name);
		f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, n, f) != n || fclose(f) != 0) {
			perror(path);
			return 1;
		}
	}
	return 0;
}

/* One result line per case, named for the case: "PASS hostile_<case>_is_<error>". */
static void run_hostile_cases(void)
{
	size_t i;
	int err;

	for (i = 0; i < NCASES; i++) {
		err = capnp_walk_message(buf, cases[i].gen());
		if (err == cases[i].expect) {
			printf("PASS hostile_%s\n", cases[i].name);
			continue;
		}
		printf("FAIL hostile_%s: got %d (%s), want %d (%s)\n", cases[i].name, err,
		       capnp_strerror(err), cases[i].expect, capnp_strerror(cases[i].expect));
		test_failures++;
	}
}

TEST(accepts_valid_seed_messages)
{
	CHECK_EQ(capnp_walk_message(buf, valid_every_kind()), 0);
	CHECK_EQ(capnp_walk_message(buf, valid_double_far()), 0);
}

TEST(amplification_fails_fast)
{
	struct capnp_msg m;
	struct capnp_list l;

	CHECK_EQ(capnp_msg_init_read(&m, buf, amplification_zero_sized_structs()), 0);
	l = capnp_ptr_list(capnp_msg_root(&m), CAPNP_ELEM_COMPOSITE, NULL);
	CHECK_EQ(l.len, 0);
	CHECK_EQ(capnp_msg_error(&m), CAPNP_ERR_TRAVERSAL_LIMIT);
}

TEST(nesting_limit_is_configurable)
{
	struct capnp_msg m;

	CHECK_EQ(capnp_msg_init_read(&m, buf, nesting_struct_chain()), 0);
	capnp_msg_set_limits(&m, CAPNP_DEFAULT_TRAVERSAL_WORDS, 100);
	capnp_walk_ptr(capnp_msg_root(&m));
	CHECK_EQ(capnp_msg_error(&m), 0);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0)
		return write_corpus(argv[2]);
	run_hostile_cases();
	RUN(accepts_valid_seed_messages);
	RUN(amplification_fails_fast);
	RUN(nesting_limit_is_configurable);
	TEST_EXIT();
}
