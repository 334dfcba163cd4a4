/* SPDX-License-Identifier: MIT */
/*
 * Builder of multiboot2 information blobs for the tests: tags are appended
 * with correct sizes and padding, mb2_blob_finish() adds the end tag and sets
 * total_size. Tests then corrupt fields on purpose.
 */
#ifndef CAPOS_TESTS_UNIT_BOOT_MB2_BLOB_H
#define CAPOS_TESTS_UNIT_BOOT_MB2_BLOB_H

#include <stdint.h>
#include <string.h>

struct mb2_blob {
	_Alignas(8) uint8_t buf[16384];
	size_t len;
};

static inline void mb2_blob_init(struct mb2_blob *b)
{
	memset(b, 0, sizeof(*b));
	b->len = 8;
}

static inline void mb2_blob_put32(struct mb2_blob *b, size_t off, uint32_t v)
{
	memcpy(b->buf + off, &v, 4);
}

/* Appends a tag; returns its offset. */
static inline size_t mb2_blob_tag(struct mb2_blob *b, uint32_t type, const void *payload,
				  size_t n)
{
	size_t off = b->len;

	mb2_blob_put32(b, off, type);
	mb2_blob_put32(b, off + 4, (uint32_t)(8 + n));
	if (n)
		memcpy(b->buf + off + 8, payload, n);
	b->len = (off + 8 + n + 7) & ~(size_t)7;
	return off;
}

static inline size_t mb2_blob_string(struct mb2_blob *b, uint32_t type, const char *s)
{
	return mb2_blob_tag(b, type, s, strlen(s) + 1);
}

static inline size_t mb2_blob_module(struct mb2_blob *b, uint32_t start, uint32_t end,
				     const char *s)
{
	uint8_t p[256];
	size_t n = strlen(s) + 1;

	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	memcpy(p + 8, s, n);
	return mb2_blob_tag(b, 3, p, 8 + n);
}

/* An mmap tag with entries of esz bytes (>= 24). */
static inline size_t mb2_blob_mmap(struct mb2_blob *b, uint32_t esz, const uint64_t (*e)[3],
				   size_t n)
{
	uint8_t p[8192];

	memset(p, 0, sizeof(p));
	memcpy(p, &esz, 4);
	for (size_t i = 0; i < n; i++) {
		uint32_t type = (uint32_t)e[i][2];

		memcpy(p + 8 + i * esz, &e[i][0], 8);
		memcpy(p + 8 + i * esz + 8, &e[i][1], 8);
		memcpy(p + 8 + i * esz + 16, &type, 4);
	}
	return mb2_blob_tag(b, 6, p, 8 + n * esz);
}

static inline void mb2_blob_finish(struct mb2_blob *b)
{
	mb2_blob_tag(b, 0, NULL, 0);
	mb2_blob_put32(b, 0, (uint32_t)b->len);
}

#endif
