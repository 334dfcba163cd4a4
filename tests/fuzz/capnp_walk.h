/* SPDX-License-Identifier: MIT */
/*
 * Generic walk of an untrusted Cap'n Proto message, shared by the libFuzzer target
 * (tests/fuzz/fuzz_capnp_reader.c) and the host tests that replay the corpus and the hostile
 * cases with gcc + ASan. It follows every pointer of any shape without a schema, touches every
 * byte a reader could hand out, deep-copies the root into a bounded builder and packs/unpacks
 * the input, so any out-of-bounds access in lib/capnp shows up under the sanitizers. The walk is
 * recursive, bounded by the message's nesting limit, and stops at the first recorded error.
 */
#ifndef CAPOS_TESTS_FUZZ_CAPNP_WALK_H
#define CAPOS_TESTS_FUZZ_CAPNP_WALK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capnp/capnp.h"

static volatile uint64_t capnp_walk_sink;

/* Traversal limit for walked messages; 0 keeps the runtime default. The fuzzer lowers it so
 * that a legal 8 Mi-word walk does not dominate its time. */
static uint64_t capnp_walk_traversal_limit;

static void capnp_walk_ptr(struct capnp_ptr p);

static void capnp_walk_struct(struct capnp_struct s)
{
	uint32_t off;
	uint16_t i;

	for (off = 0; off < s.data_bytes; off++)
		capnp_walk_sink += capnp_get_u8(s, off, 0);
	capnp_walk_sink += capnp_get_u64(s, 0, 0) + capnp_get_bool(s, 3, true);
	for (i = 0; i < s.ptr_count && !capnp_msg_error(s.msg); i++)
		capnp_walk_ptr(capnp_get_ptr(s, i));
}

static void capnp_walk_list(struct capnp_list l)
{
	uint32_t i;

	for (i = 0; i < l.len && !capnp_msg_error(l.msg); i++) {
		switch (l.elem) {
		case CAPNP_ELEM_VOID:
			break;
		case CAPNP_ELEM_BIT:
			capnp_walk_sink += capnp_list_bool(l, i);
			break;
		case CAPNP_ELEM_BYTE:
			capnp_walk_sink += capnp_list_u8(l, i);
			break;
		case CAPNP_ELEM_TWO:
			capnp_walk_sink += capnp_list_u16(l, i);
			break;
		case CAPNP_ELEM_FOUR:
			capnp_walk_sink += capnp_list_u32(l, i);
			break;
		case CAPNP_ELEM_EIGHT:
			capnp_walk_sink += capnp_list_u64(l, i);
			break;
		case CAPNP_ELEM_POINTER:
			capnp_walk_ptr(capnp_list_ptr(l, i));
			break;
		default:
			capnp_walk_struct(capnp_list_struct(l, i));
			break;
		}
	}
}

/*
 * Read p as every schema type a generated reader could ask for (text, data, each list
 * encoding, struct with a default, capability). Errors go to a scratch copy of the message,
 * so the walk's own verdict is unchanged.
 */
static void capnp_walk_probe(struct capnp_ptr p)
{
	static const uint64_t def_words[] = { 0x0001000100000000ull, 5, 0 };
	static const struct capnp_seg def = CAPNP_CONST_SEG(def_words);
	struct capnp_msg scratch = *p.msg;
	struct capnp_struct s;
	struct capnp_list l;
	struct capnp_text t;
	struct capnp_data d;
	unsigned e;

	p.msg = &scratch;
	t = capnp_ptr_text(p, "x", 1);
	capnp_walk_sink += (uint64_t)t.str[t.len];
	d = capnp_ptr_data(p, NULL, 0);
	capnp_walk_sink += d.len ? d.ptr[d.len - 1] : 0;
	for (e = CAPNP_ELEM_VOID; e <= CAPNP_ELEM_COMPOSITE; e++) {
		l = capnp_ptr_list(p, (enum capnp_elem)e, NULL);
		if (l.len) {
			capnp_walk_sink += capnp_list_u64(l, l.len - 1) + capnp_list_bool(l, 0);
			if (e != CAPNP_ELEM_BIT)
				capnp_walk_sink +=
					capnp_get_u32(capnp_list_struct(l, l.len - 1), 0, 1);
		}
	}
	s = capnp_ptr_struct(p, &def);
	capnp_walk_sink += capnp_get_u64(s, 0, 0) + (uint64_t)capnp_ptr_cap(p);
	capnp_walk_sink += capnp_get_text(s, 0, NULL, 0).len;
}

/* Set by the fuzzer: also probe every pointer with typed reads. */
static bool capnp_walk_typed_probes;

static void capnp_walk_ptr(struct capnp_ptr p)
{
	if (capnp_walk_typed_probes)
		capnp_walk_probe(p);
	switch (capnp_ptr_kind(p)) {
	case CAPNP_KIND_STRUCT:
		capnp_walk_struct(capnp_ptr_struct(p, NULL));
		break;
	case CAPNP_KIND_LIST:
		capnp_walk_list(capnp_ptr_list(p, CAPNP_ELEM_ANY, NULL));
		break;
	case CAPNP_KIND_CAP:
		capnp_walk_sink += (uint64_t)capnp_ptr_cap(p);
		break;
	default:
		break;
	}
}

/* Deep-copy the root into a bounded builder, write it out and re-read it. */
static void capnp_walk_copy(struct capnp_msg *msg)
{
	static uint8_t arena[1 << 16], arena2[1 << 12], out[(1 << 16) + (1 << 12) + 64];
	struct capnp_msg *dst = malloc(sizeof(*dst)), *again = malloc(sizeof(*again));
	size_t n;

	capnp_msg_init_build(dst, arena, sizeof(arena));
	capnp_msg_add_segment(dst, arena2, sizeof(arena2));
	capnp_msg_set_limits(msg, 1 << 16, CAPNP_DEFAULT_NESTING);
	if (capnp_ptr_copy(capnp_msg_root_builder(dst), capnp_msg_root(msg)) == 0 &&
	    capnp_msg_write(dst, out, sizeof(out), &n) == 0 &&
	    capnp_msg_init_read(again, out, n) == 0) {
		capnp_walk_ptr(capnp_msg_root(again));
		/* A copy of a valid message is valid. */
		if (capnp_msg_error(again))
			abort();
	}
	free(dst);
	free(again);
}

/* Pack and unpack the input (as words), and unpack it as if it were packed. */
static void capnp_walk_packed(const uint8_t *data, size_t len)
{
	size_t words = len / 8 * 8, plen, ulen;
	uint8_t *packed = malloc(capnp_packed_bound(words) + 1), *un = malloc(words + 1);
	uint8_t *big = malloc(4096);

	if (capnp_pack(data, words, packed, capnp_packed_bound(words), &plen) != 0 ||
	    capnp_unpack(packed, plen, un, words, &ulen) != 0 || ulen != words ||
	    memcmp(un, data, words) != 0)
		abort();
	if (capnp_unpack(data, len, NULL, 0, &ulen) == 0 && ulen <= 4096 &&
	    capnp_unpack(data, len, big, 4096, &plen) != 0)
		abort();
	capnp_unpack(data, len, big, 4096, &plen);
	free(packed);
	free(un);
	free(big);
}

/*
 * capnp_walk_message: parse data as a framed message and walk it from the root. Returns the
 * message's first error (0 for a valid message). Also exercises copy and the packed codec.
 */
static int capnp_walk_message(const uint8_t *data, size_t len)
{
	struct capnp_msg *msg = malloc(sizeof(*msg));
	int err;

	if (capnp_msg_init_read(msg, data, len) == 0) {
		if (capnp_walk_traversal_limit)
			capnp_msg_set_limits(msg, capnp_walk_traversal_limit,
					     CAPNP_DEFAULT_NESTING);
		capnp_walk_ptr(capnp_msg_root(msg));
	}
	err = capnp_msg_error(msg);
	if (err == 0 && len < (1 << 20)) {
		capnp_msg_init_read(msg, data, len);
		capnp_walk_copy(msg);
	}
	free(msg);
	capnp_walk_packed(data, len);
	return err;
}

#endif
