/* SPDX-License-Identifier: MIT */
/*
 * Private to lib/capnp: the bit layout of a Cap'n Proto pointer word, and small helpers shared by
 * the reader, builder and copier. A pointer is 64 bits, little-endian:
 *   bits 0-1   kind: 0 struct, 1 list, 2 far, 3 other (capability when bits 2-31 are zero)
 *   struct     bits 2-31 signed word offset from the end of the pointer; 32-47 data words;
 *              48-63 pointer count
 *   list       bits 2-31 offset; 32-34 element size (enum capnp_elem); 35-63 element count
 *              (inline composite: word count, the first word being a struct-shaped tag whose
 *              offset field is the element count)
 *   far        bit 2 double-far; bits 3-31 landing pad word in segment (bits 32-63)
 *   capability bits 32-63 index into the message's capability table
 */
#ifndef CAPOS_LIB_CAPNP_WIRE_H
#define CAPOS_LIB_CAPNP_WIRE_H

#include "capnp/capnp.h"

enum {
	WIRE_STRUCT = 0,
	WIRE_LIST = 1,
	WIRE_FAR = 2,
	WIRE_OTHER = 3,
};

/* Largest word offset/position a pointer can express, and so the largest builder segment. */
#define WIRE_MAX_SEG_WORDS ((1u << 29) - 1)

static inline uint32_t wire_kind(uint64_t w)
{
	return (uint32_t)(w & 3);
}

/* Signed 30-bit offset in words. */
static inline int64_t wire_offset(uint64_t w)
{
	return (int64_t)(int32_t)(uint32_t)w >> 2;
}

static inline uint32_t wire_struct_data(uint64_t w)
{
	return (uint32_t)(w >> 32) & 0xffff;
}

static inline uint32_t wire_struct_ptrs(uint64_t w)
{
	return (uint32_t)(w >> 48);
}

static inline uint32_t wire_list_elem(uint64_t w)
{
	return (uint32_t)(w >> 32) & 7;
}

static inline uint32_t wire_list_count(uint64_t w)
{
	return (uint32_t)(w >> 35);
}

static inline uint64_t wire_struct_ptr(int64_t off, uint32_t dw, uint32_t pc)
{
	return ((uint64_t)(uint32_t)(off << 2) & 0xfffffffc) | WIRE_STRUCT |
	       ((uint64_t)dw << 32) | ((uint64_t)pc << 48);
}

static inline uint64_t wire_list_ptr(int64_t off, uint32_t elem, uint32_t count)
{
	return ((uint64_t)(uint32_t)(off << 2) & 0xfffffffc) | WIRE_LIST |
	       ((uint64_t)elem << 32) | ((uint64_t)count << 35);
}

static inline uint64_t wire_far_ptr(bool dbl, uint32_t pos, uint32_t seg)
{
	return WIRE_FAR | (dbl ? 4u : 0u) | ((uint64_t)pos << 3) | ((uint64_t)seg << 32);
}

/* Replace the offset field of a struct or list pointer. */
static inline uint64_t wire_with_offset(uint64_t w, int64_t off)
{
	return (w & ~(uint64_t)0xfffffffc) | ((uint64_t)(uint32_t)(off << 2) & 0xfffffffc);
}

/* Data bits and pointer count of one element of a non-composite list. */
static inline uint32_t wire_elem_bits(uint32_t elem)
{
	static const uint8_t bits[8] = { 0, 1, 8, 16, 32, 64, 64, 0 };

	return bits[elem & 7];
}

/* Word index of byte address p in segment s (p lies inside s, at a word boundary). */
static inline int64_t wire_word_index(const struct capnp_seg *s, const uint8_t *p)
{
	return (int64_t)((p - s->start) / 8);
}

/* Whether words [idx, idx + n) lie inside segment s. */
static inline bool wire_in_seg(const struct capnp_seg *s, int64_t idx, uint64_t n)
{
	return idx >= 0 && (uint64_t)idx <= s->words && n <= s->words - (uint64_t)idx;
}

/*
 * Byte fill and copy, a word at a time. Not memset/memcpy: the kernel build has no libc, and
 * build/kernel-check/capnp.ok fails if the compiler turns these loops into library calls.
 */
static inline void wire_zero(uint8_t *p, size_t n)
{
	for (; n >= 8; n -= 8, p += 8)
		capnp_store64(p, 0);
	while (n--)
		*p++ = 0;
}

static inline void wire_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (; n >= 8; n -= 8, dst += 8, src += 8)
		capnp_store64(dst, capnp_load64(src));
	while (n--)
		*dst++ = *src++;
}

#endif
