/* SPDX-License-Identifier: MIT */
/*
 * Cap'n Proto messages written word by word (raw.c), for params that no
 * builder would produce: pointers out of bounds, wrong struct sizes, lists
 * of the wrong kind or of absurd length, text without its NUL, segment
 * tables that lie. Encoding spec: pointers are words; a struct pointer has
 * tag 0, a list pointer tag 1, a far pointer tag 2; offsets count words
 * from the end of the pointer.
 */
#ifndef SPAWN_HOSTILE_RAW_H
#define SPAWN_HOSTILE_RAW_H

#include <stdint.h>

#define RAW_WORDS 64

/* List element sizes of a list pointer. */
enum raw_elem { RAW_VOID = 0, RAW_BYTE = 2, RAW_POINTER = 6, RAW_COMPOSITE = 7 };

/* One segment being written; words past n are zero. */
struct raw {
	uint64_t w[RAW_WORDS];
	uint32_t n;
};

/* Where raw_spawn_params put things, for callers that break them. */
struct raw_spawn {
	uint32_t root;		/* the root struct's first word */
	uint32_t name_ptr, binary_ptr, grants_ptr;
	uint32_t name_text;	/* first word of the name's bytes */
};

uint64_t raw_struct_ptr(int32_t offset, uint16_t data_words, uint16_t ptr_words);
uint64_t raw_list_ptr(int32_t offset, enum raw_elem size, uint32_t count);
uint64_t raw_far_ptr(uint32_t segment, uint32_t pad_word);

/* Appends `words` zero words; returns the first one's index. */
uint32_t raw_alloc(struct raw *r, uint32_t words);
/* Points word `at` at word `target` with a struct or list pointer. */
void raw_point_struct(struct raw *r, uint32_t at, uint32_t target, uint16_t dw, uint16_t pw);
void raw_point_list(struct raw *r, uint32_t at, uint32_t target, enum raw_elem size,
		    uint32_t count);
/* Appends text[0..len) and a NUL as a byte list, and points word `at` at it. */
uint32_t raw_text(struct raw *r, uint32_t at, const char *text, uint32_t len);

/*
 * A valid ProcessSpawner.spawn params segment: the root struct with
 * `data_words` data words (the schema has none) and `ptr_words` pointers
 * (the schema has three: name, binary, grants; fewer drop the last ones),
 * name and binary as given, grants null.
 */
struct raw_spawn raw_spawn_params(struct raw *r, uint16_t data_words, uint16_t ptr_words,
				  const char *name, const char *binary);

/*
 * Frames r as a one-segment message into out (8-aligned, at least 8 +
 * 8 * RAW_WORDS bytes): the segment table says `claimed` words (r->n for the
 * truth). Returns the bytes to send.
 */
uint32_t raw_frame(const struct raw *r, uint32_t claimed, uint64_t *out);

#endif
