// SPDX-License-Identifier: MIT
/*
 * The C side of the capnp benchmark: reads every field of a Bench message and
 * builds the same message, through capnpc-c's generated bench.capnp.h and
 * lib/capnp. bench_read() and bench_build() run ITERS times each; callgrind
 * counts their instructions (bench.sh). bench_cxx.c++ does the same with the
 * official C++ library. `bench_c dump` writes the built message to stdout so
 * bench.sh can check both programs build identical bytes.
 */
#include "bench.capnp.h"

#include <stdio.h>
#include <string.h>

enum { ITERS = 1000, NITEMS = 16, NVALUES = 64 };

static const char *const bench_tags[] = { "alpha", "beta", "gamma", "delta" };
static uint8_t bench_arena[8192];
static uint8_t bench_msg[8192];
static size_t bench_msg_len;
static volatile uint64_t bench_sink;

static void bench_fill(struct capnp_msg *m)
{
	struct bench_Bench_builder b = bench_Bench_init_root(m);
	struct capnp_list_builder l;
	struct bench_Item__list_builder items;

	bench_Bench_set_id(b, 0x123456789abcdefull);
	bench_Bench_set_name(b, "benchmark message", 17);
	bench_Bench_set_score(b, 3.25);
	bench_Bench_set_flags(b, 0xf00f);
	bench_Bench_set_ok(b, true);
	l = bench_Bench_init_tags(b, 4);
	for (uint32_t i = 0; i < 4; i++)
		capnp_ptr_set_text(capnp_list_build_ptr(l, i), bench_tags[i],
				   (uint32_t)strlen(bench_tags[i]));
	l = bench_Bench_init_values(b, NVALUES);
	for (uint32_t i = 0; i < NVALUES; i++)
		capnp_list_set_u32(l, i, i * 7u);
	items = bench_Bench_init_items(b, NITEMS);
	for (uint32_t i = 0; i < NITEMS; i++) {
		struct bench_Item_builder it = bench_Item__list_build(items, i);

		bench_Item_set_a(it, i);
		bench_Item_set_b(it, -(int64_t)i);
		bench_Item_set_label(it, "item", 4);
	}
}

__attribute__((noinline)) void bench_build(void)
{
	struct capnp_msg m;

	for (int k = 0; k < ITERS; k++) {
		capnp_msg_init_build(&m, bench_arena, sizeof(bench_arena));
		bench_fill(&m);
		bench_sink += m.seg[0].words;
	}
}

__attribute__((noinline)) void bench_read(void)
{
	struct capnp_msg m;
	uint64_t sum = 0;

	for (int k = 0; k < ITERS; k++) {
		struct bench_Bench r;
		struct capnp_list l;
		struct bench_Item__list items;

		capnp_msg_init_read(&m, bench_msg, bench_msg_len);
		r = bench_Bench_root(&m);
		sum += bench_Bench_get_id(r) + bench_Bench_get_name(r).len;
		sum += (uint64_t)bench_Bench_get_score(r) + bench_Bench_get_flags(r);
		sum += bench_Bench_get_ok(r);
		l = bench_Bench_get_tags(r);
		for (uint32_t i = 0; i < l.len; i++)
			sum += (uint8_t)capnp_list_text(l, i).str[0];
		l = bench_Bench_get_values(r);
		for (uint32_t i = 0; i < l.len; i++)
			sum += capnp_list_u32(l, i);
		items = bench_Bench_get_items(r);
		for (uint32_t i = 0; i < bench_Item__list_len(items); i++) {
			struct bench_Item it = bench_Item__list_get(items, i);

			sum += bench_Item_get_a(it) + (uint64_t)bench_Item_get_b(it);
			sum += bench_Item_get_label(it).len;
		}
		sum += (uint64_t)capnp_msg_error(&m);
	}
	bench_sink += sum;
}

int main(int argc, char **argv)
{
	struct capnp_msg m;

	capnp_msg_init_build(&m, bench_arena, sizeof(bench_arena));
	bench_fill(&m);
	if (capnp_msg_write(&m, bench_msg, sizeof(bench_msg), &bench_msg_len) != 0)
		return 1;
	if (argc > 1 && !strcmp(argv[1], "dump"))
		return fwrite(bench_msg, 1, bench_msg_len, stdout) == bench_msg_len ? 0 : 1;
	bench_read();
	bench_build();
	printf("%llu\n", (unsigned long long)bench_sink);
	return 0;
}
