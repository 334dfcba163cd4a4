// SPDX-License-Identifier: MIT
/* Messages written word by word (raw.h). */
#include "raw.h"
#include "ustring.h"

uint64_t raw_struct_ptr(int32_t offset, uint16_t data_words, uint16_t ptr_words)
{
	return ((uint64_t)(uint32_t)offset << 2 & 0xfffffffcull) | (uint64_t)data_words << 32 |
	       (uint64_t)ptr_words << 48;
}

uint64_t raw_list_ptr(int32_t offset, enum raw_elem size, uint32_t count)
{
	return 1 | ((uint64_t)(uint32_t)offset << 2 & 0xfffffffcull) | (uint64_t)size << 32 |
	       (uint64_t)(count & 0x1fffffffu) << 35;
}

uint64_t raw_far_ptr(uint32_t segment, uint32_t pad_word)
{
	return 2 | (uint64_t)(pad_word & 0x1fffffffu) << 3 | (uint64_t)segment << 32;
}

uint32_t raw_alloc(struct raw *r, uint32_t words)
{
	uint32_t at = r->n;

	r->n = r->n + words <= RAW_WORDS ? r->n + words : RAW_WORDS;
	return at;
}

void raw_point_struct(struct raw *r, uint32_t at, uint32_t target, uint16_t dw, uint16_t pw)
{
	r->w[at] = raw_struct_ptr((int32_t)target - (int32_t)at - 1, dw, pw);
}

void raw_point_list(struct raw *r, uint32_t at, uint32_t target, enum raw_elem size,
		    uint32_t count)
{
	r->w[at] = raw_list_ptr((int32_t)target - (int32_t)at - 1, size, count);
}

uint32_t raw_text(struct raw *r, uint32_t at, const char *text, uint32_t len)
{
	uint32_t first = raw_alloc(r, (len + 1 + 7) / 8);

	memcpy((uint8_t *)&r->w[first], text, len);	/* the NUL is the zeroed word */
	raw_point_list(r, at, first, RAW_BYTE, len + 1);
	return first;
}

struct raw_spawn raw_spawn_params(struct raw *r, uint16_t data_words, uint16_t ptr_words,
				  const char *name, const char *binary)
{
	struct raw_spawn s;
	uint32_t ptrs;

	memset(r, 0, sizeof(*r));
	raw_alloc(r, 1);				/* the root pointer */
	s.root = raw_alloc(r, data_words + ptr_words);
	raw_point_struct(r, 0, s.root, data_words, ptr_words);
	for (uint32_t i = 0; i < data_words; i++)	/* data the schema does not know */
		r->w[s.root + i] = 0x5a5a5a5a00000000ull + i;
	ptrs = s.root + data_words;
	s.name_ptr = ptrs;
	s.binary_ptr = ptrs + 1;
	s.grants_ptr = ptrs + 2;
	s.name_text = 0;
	if (ptr_words > 0)
		s.name_text = raw_text(r, s.name_ptr, name, (uint32_t)strlen(name));
	if (ptr_words > 1)
		raw_text(r, s.binary_ptr, binary, (uint32_t)strlen(binary));
	return s;
}

uint32_t raw_frame(const struct raw *r, uint32_t claimed, uint64_t *out)
{
	out[0] = (uint64_t)claimed << 32;	/* one segment (count - 1 = 0), its size */
	memcpy(&out[1], r->w, r->n * 8u);
	return 8 + r->n * 8u;
}
