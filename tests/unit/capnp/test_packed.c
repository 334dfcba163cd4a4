// SPDX-License-Identifier: MIT
/*
 * Packed-encoding tests for lib/capnp: the encoding spec's examples byte for byte, round trips
 * of zero runs, 0xff runs longer than one count byte and mixed data, and malformed or lying
 * input rejected without writing past the output buffer.
 */
#include "../test.h"
#include "capnp_test.h"

static uint8_t packed[8192], unpacked[8192];

TEST(packs_spec_example_exactly)
{
	static const uint8_t in[] = { 0x08, 0, 0, 0, 0x03, 0, 0x02, 0,
				      0x19, 0, 0, 0, 0xaa, 0x01, 0, 0 };
	static const uint8_t want[] = { 0x51, 0x08, 0x03, 0x02, 0x31, 0x19, 0xaa, 0x01 };
	size_t n;

	CHECK_EQ(capnp_pack(in, sizeof(in), packed, sizeof(packed), &n), 0);
	CHECK_EQ(n, sizeof(want));
	CHECK(memcmp(packed, want, n) == 0);
	CHECK_EQ(capnp_unpack(want, sizeof(want), unpacked, sizeof(unpacked), &n), 0);
	CHECK_EQ(n, sizeof(in));
	CHECK(memcmp(unpacked, in, n) == 0);
}

TEST(packs_zero_and_literal_runs)
{
	static const uint8_t zeros[] = { 0x00, 0x02 };		   /* three zero words */
	static const uint8_t lit[] = { 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 0x01,
				       9, 10, 11, 12, 13, 14, 15, 16 }; /* two literal words */
	uint8_t in[24] = { 0 };
	size_t n;
	int i;

	CHECK_EQ(capnp_pack(in, 24, packed, sizeof(packed), &n), 0);
	CHECK_EQ(n, 2);
	CHECK(memcmp(packed, zeros, 2) == 0);
	for (i = 0; i < 16; i++)
		in[i] = (uint8_t)(i + 1);
	CHECK_EQ(capnp_pack(in, 16, packed, sizeof(packed), &n), 0);
	CHECK_EQ(n, sizeof(lit));
	CHECK(memcmp(packed, lit, n) == 0);
}

TEST(round_trips_long_runs_and_mixed_words)
{
	static uint8_t in[8 * 700];
	size_t n, m, i;
	uint32_t x = 1;

	for (i = 8 * 300; i < 8 * 600; i++)	/* 300 zero words, then 300 dense, then mixed */
		in[i] = (uint8_t)(i | 1);
	for (; i < sizeof(in); i++) {
		x = x * 1103515245 + 12345;
		in[i] = (x >> 16) % 3 ? 0 : (uint8_t)(x >> 8);
	}
	CHECK_EQ(capnp_pack(in, sizeof(in), packed, sizeof(packed), &n), 0);
	CHECK(n <= capnp_packed_bound(sizeof(in)));
	CHECK_EQ(capnp_unpack(packed, n, NULL, 0, &m), 0);
	CHECK_EQ(m, sizeof(in));
	CHECK_EQ(capnp_unpack(packed, n, unpacked, sizeof(unpacked), &m), 0);
	CHECK_EQ(m, sizeof(in));
	CHECK(memcmp(unpacked, in, m) == 0);
}

TEST(rejects_truncated_packed_input)
{
	static const uint8_t tag_only[] = { 0x03, 0x01 };	 /* wants two bytes */
	static const uint8_t zero_no_count[] = { 0x00 };
	static const uint8_t ff_no_count[] = { 0xff, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t ff_lies[] = { 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 0x02, 1, 2, 3 };
	size_t n;

	CHECK_EQ(capnp_unpack(tag_only, 2, unpacked, 64, &n), CAPNP_ERR_BAD_PACKED);
	CHECK_EQ(capnp_unpack(zero_no_count, 1, unpacked, 64, &n), CAPNP_ERR_BAD_PACKED);
	CHECK_EQ(capnp_unpack(ff_no_count, 9, unpacked, 64, &n), CAPNP_ERR_BAD_PACKED);
	CHECK_EQ(capnp_unpack(ff_lies, 13, unpacked, 64, &n), CAPNP_ERR_BAD_PACKED);
	CHECK_EQ(capnp_unpack(ff_lies, 13, NULL, 0, &n), CAPNP_ERR_BAD_PACKED);
}

TEST(unpack_never_writes_past_capacity)
{
	static const uint8_t many_zeros[] = { 0x00, 0xff };	/* 256 zero words */
	static uint8_t o[64 + 8];
	size_t n;

	memset(o, 0x77, sizeof(o));
	CHECK_EQ(capnp_unpack(many_zeros, 2, o, 64, &n), CAPNP_ERR_NO_SPACE);
	CHECK_EQ(o[64], 0x77);
	CHECK_EQ(capnp_unpack(many_zeros, 2, NULL, 0, &n), 0);
	CHECK_EQ(n, 256 * 8);
}

TEST(pack_never_writes_past_capacity)
{
	static uint8_t in[64], o[16 + 8];
	size_t n;

	memset(in, 0x11, sizeof(in));
	memset(o, 0x77, sizeof(o));
	CHECK_EQ(capnp_pack(in, sizeof(in), o, 16, &n), CAPNP_ERR_NO_SPACE);
	CHECK_EQ(o[16], 0x77);
	CHECK_EQ(capnp_pack(in, 7, o, 16, &n), CAPNP_ERR_INVALID);
}

TEST(round_trips_framed_message)
{
	static uint8_t arena[256], framed[512];
	struct capnp_msg msg;
	struct capnp_builder b;
	size_t n, p, u;

	capnp_msg_init_build(&msg, arena, sizeof(arena));
	b = capnp_msg_init_root(&msg, 2, 1);
	capnp_set_u32(b, 4, 0xffff, 0);
	capnp_set_text(b, 0, "packed", 6);
	CHECK_EQ(capnp_msg_write(&msg, framed, sizeof(framed), &n), 0);
	CHECK_EQ(capnp_pack(framed, n, packed, sizeof(packed), &p), 0);
	CHECK(p < n);
	CHECK_EQ(capnp_unpack(packed, p, unpacked, sizeof(unpacked), &u), 0);
	CHECK_EQ(u, n);
	CHECK_EQ(capnp_msg_init_read(&msg, unpacked, u), 0);
	CHECK_STR(capnp_get_text(capnp_msg_root_struct(&msg), 0, NULL, 0).str, "packed");
}

int main(void)
{
	RUN(packs_spec_example_exactly);
	RUN(packs_zero_and_literal_runs);
	RUN(round_trips_long_runs_and_mixed_words);
	RUN(rejects_truncated_packed_input);
	RUN(unpack_never_writes_past_capacity);
	RUN(pack_never_writes_past_capacity);
	RUN(round_trips_framed_message);
	TEST_EXIT();
}
