/* SPDX-License-Identifier: MIT */
/*
 * A TcpSocket.read answer framed by hand (answer.c), so the bytes are copied
 * once, from lwIP's chain straight into the message the kernel delivers,
 * instead of through a scratch buffer, the builder's arena and the framed
 * copy (docs/performance.md "Network"). The layout is the one the generated
 * builder makes for read$Results (tests/unit/net/test_read_frame.c checks
 * them byte for byte): a segment table, then one segment of a root struct
 * with no data words and one pointer, that pointer a byte list right after
 * it, the bytes padded with zeros to a whole word.
 */
#ifndef CAPOS_NET_READ_FRAME_H
#define CAPOS_NET_READ_FRAME_H

#include <stdint.h>

/* Words of the framed answer of len bytes: table, root pointer, list pointer, data. */
#define READ_FRAME_WORDS(len) (3u + ((uint32_t)(len) + 7u) / 8u)

/*
 * Frames the answer of len bytes in msg[0..READ_FRAME_WORDS(len)) with the
 * padding zeroed; returns where the len bytes go (the caller copies them).
 */
uint8_t *read_frame(uint64_t *msg, uint32_t len);

#endif
