/* SPDX-License-Identifier: MIT */
/*
 * Test images for the ELF64 tests: a builder that writes an ELF header and
 * program headers into an exact-size heap buffer (one field changed per test
 * pins each rejection to its error code), and a reader for the sample
 * binaries the host toolchain links at build time (rules.mk). Exact-size
 * buffers let ASan catch any read past the end of an image.
 */
#ifndef CAPOS_TESTS_UNIT_ELF_ELF_IMAGE_H
#define CAPOS_TESTS_UNIT_ELF_ELF_IMAGE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capos/layout.h>

#include "elf/elf64.h"

struct tb_seg {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

/* A hand-built image: header fields and up to 20 program headers. */
struct tb_image {
	uint8_t ident[16];
	uint16_t type, machine, ehsize, phentsize, phnum;
	uint32_t version;
	uint64_t entry, phoff;
	unsigned nsegs;
	struct tb_seg segs[20];
	size_t len;
};

static const struct elf64_limits tb_limits = {
	.user_min = CAPOS_USER_IMAGE_MIN,
	.user_end = CAPOS_USER_IMAGE_END,
	.page_size = 4096,
	.tls_max = CAPOS_USER_TLS_MAX,
};

static inline void tb_wr(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The default: R+X text page with the entry, then an RW data+bss segment. */
static inline void tb_default(struct tb_image *t)
{
	static const uint8_t ident[16] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

	memset(t, 0, sizeof(*t));
	memcpy(t->ident, ident, sizeof(ident));
	t->type = 2;
	t->machine = 62;
	t->version = 1;
	t->ehsize = 64;
	t->phentsize = 56;
	t->entry = 0x401010;
	t->phoff = 64;
	t->nsegs = 2;
	t->segs[0] = (struct tb_seg){ 1, 5, 0x1000, 0x401000, 0x100, 0x100, 0x1000 };
	t->segs[1] = (struct tb_seg){ 1, 6, 0x2000, 0x402000, 0x10, 0x2000, 0x1000 };
	t->len = 0x2010;
}

static inline uint8_t *tb_serialize(const struct tb_image *t)
{
	uint8_t *b = calloc(1, t->len ? t->len : 1);
	uint8_t h[64 + 56 * 20] = { 0 };

	memcpy(h, t->ident, 16);
	tb_wr(h + 16, t->type, 2);
	tb_wr(h + 18, t->machine, 2);
	tb_wr(h + 20, t->version, 4);
	tb_wr(h + 24, t->entry, 8);
	tb_wr(h + 32, t->phoff, 8);
	tb_wr(h + 52, t->ehsize, 2);
	tb_wr(h + 54, t->phentsize, 2);
	tb_wr(h + 56, t->phnum ? t->phnum : t->nsegs, 2);
	for (unsigned i = 0; i < t->nsegs; i++) {
		uint8_t *p = h + 64 + 56 * i;

		tb_wr(p + 0, t->segs[i].type, 4);
		tb_wr(p + 4, t->segs[i].flags, 4);
		tb_wr(p + 8, t->segs[i].offset, 8);
		tb_wr(p + 16, t->segs[i].vaddr, 8);
		tb_wr(p + 24, t->segs[i].vaddr, 8);
		tb_wr(p + 32, t->segs[i].filesz, 8);
		tb_wr(p + 40, t->segs[i].memsz, 8);
		tb_wr(p + 48, t->segs[i].align, 8);
	}
	memcpy(b, h, t->len < sizeof(h) ? t->len : sizeof(h));
	return b;
}

/* Serialises t into an exact-size heap buffer and plans it. */
static inline int tb_plan(const struct tb_image *t, struct elf64_plan *plan)
{
	uint8_t *b = tb_serialize(t);
	int err = elf64_plan(b, t->len, &tb_limits, plan);

	free(b);
	return err;
}

static inline int tb_plan_only(const struct tb_image *t)
{
	struct elf64_plan plan;

	return tb_plan(t, &plan);
}

/* Reads a sample made by rules.mk into an exact-size heap buffer. */
static inline uint8_t *sample_read(const char *name, size_t *len)
{
	char path[512];
	uint8_t *b;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", ELF_SAMPLES_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc(n > 0 ? (size_t)n : 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

#endif
