// SPDX-License-Identifier: MIT
/*
 * Host tests of the hand-framed TcpSocket.read answer
 * (user/programs/net/read_frame.h): for lengths around every word boundary
 * and the largest answer, the frame is byte for byte what the generated
 * builder and capnp_msg_write make of the same bytes, and the generated
 * reader gets the bytes back; stale bytes past the data never leak into the
 * padding.
 */
#include <stdlib.h>
#include <string.h>

#include "capnp/capnp.h"
#include "net.capnp.h"
#include "read_frame.h"
#include "test.h"

#define MAX_LEN 32960u	/* the service's NET_ANSWER_DATA_MAX */
#define MSG_WORDS (MAX_LEN / 8 + 64)

static uint64_t frame[MSG_WORDS], built[MSG_WORDS], arena[MSG_WORDS];
static uint8_t bytes[MAX_LEN];

/* What the builder makes of bytes[0..len) into built[], *size its framed bytes. */
static void build_answer(uint32_t len, size_t *size)
{
	struct capnp_msg m;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	net_TcpSocket_read_Results_set_data(net_TcpSocket_read_Results_init_root(&m), bytes, len);
	memset(built, 0, sizeof(built));
	*size = 0;
	CHECK_EQ(capnp_msg_write(&m, built, sizeof(built), size), 0);
}

static void check_len(uint32_t len)
{
	struct net_TcpSocket_read_Results r;
	struct capnp_data d;
	struct capnp_msg m;
	size_t size;
	uint8_t *data;

	build_answer(len, &size);
	memset(frame, 0xa5, sizeof(frame));	/* stale bytes of an earlier answer */
	data = read_frame(frame, len);
	memcpy(data, bytes, len);
	CHECK_EQ(8u * READ_FRAME_WORDS(len), size);
	CHECK(memcmp(frame, built, size) == 0);
	CHECK_EQ(capnp_msg_init_read(&m, frame, size), 0);
	r = net_TcpSocket_read_Results_root(&m);
	d = net_TcpSocket_read_Results_get_data(r);
	CHECK_EQ(d.len, len);
	CHECK(len == 0 || memcmp(d.ptr, bytes, len) == 0);
	CHECK(!capnp_msg_error(&m));
}

TEST(frame_matches_builder_at_every_length_class)
{
	static const uint32_t lens[] = { 0, 1, 7, 8, 9, 15, 16, 1460, 1461, 32767, 32768, MAX_LEN };

	for (uint32_t i = 0; i < MAX_LEN; i++)
		bytes[i] = (uint8_t)(i * 7 + 3);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		check_len(lens[i]);
}

int main(void)
{
	RUN(frame_matches_builder_at_every_length_class);
	TEST_EXIT();
}
