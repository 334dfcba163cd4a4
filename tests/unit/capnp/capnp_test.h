/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the lib/capnp unit tests: hand-encoding pointer words and framing hand-made
 * segments, so tests can state messages word by word as the encoding spec draws them.
 */
#ifndef CAPOS_TESTS_UNIT_CAPNP_TEST_H
#define CAPOS_TESTS_UNIT_CAPNP_TEST_H

#include <stdint.h>
#include <string.h>

#include "capnp/capnp.h"

/* Pointer words, as macros so they can initialise static arrays. */
/* Struct pointer: offset (words), data words, pointer count. */
#define T_SP(off, dw, pc)                                                                      \
	((((uint64_t)(uint32_t)(int32_t)(off) << 2) & 0xfffffffcu) | ((uint64_t)(dw) << 32) |    \
	 ((uint64_t)(pc) << 48))
/* List pointer: offset, element size (enum capnp_elem), count (words for composite). */
#define T_LP(off, elem, n)                                                                     \
	((((uint64_t)(uint32_t)(int32_t)(off) << 2) & 0xfffffffcu) | 1 |                         \
	 ((uint64_t)(elem) << 32) | ((uint64_t)(n) << 35))
/* Far pointer: double?, landing pad word, segment. */
#define T_FP(dbl, pos, seg)                                                                    \
	(2 | ((dbl) ? 4u : 0u) | ((uint64_t)(pos) << 3) | ((uint64_t)(seg) << 32))
#define T_CAP(idx) (3 | ((uint64_t)(idx) << 32))

/*
 * Frame nseg segments (words[i][0..n[i])) into out; returns the framed size in bytes.
 * out must hold 8 + 4*nseg + 8*sum(n) bytes.
 */
static inline size_t t_frame(uint8_t *out, unsigned nseg, const uint64_t *const *words,
			     const uint32_t *n)
{
	size_t off = (4 + 4 * (size_t)nseg + 7) & ~(size_t)7;
	uint32_t c = nseg - 1;
	unsigned i;

	memset(out, 0, off);
	memcpy(out, &c, 4);
	for (i = 0; i < nseg; i++) {
		memcpy(out + 4 + 4 * i, &n[i], 4);
		memcpy(out + off, words[i], 8 * (size_t)n[i]);
		off += 8 * (size_t)n[i];
	}
	return off;
}

/* Frame one segment and start reading it. */
static inline int t_read1(struct capnp_msg *msg, uint8_t *buf, const uint64_t *w, uint32_t n)
{
	const uint64_t *segs[1] = { w };
	size_t len = t_frame(buf, 1, segs, &n);

	return capnp_msg_init_read(msg, buf, len);
}

#endif
