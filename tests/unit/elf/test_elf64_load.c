// SPDX-License-Identifier: MIT
/*
 * Tests for lib/elf/elf64.c on real binaries linked by the host toolchain at
 * build time (static, static-pie, -N, ELFCLASS32; see rules.mk), including
 * every truncation and byte flips of the headers, and for elf64_fill_page()
 * against a byte-by-byte reference.
 */
#include "elf_image.h"
#include "../test.h"

static int sample_plan(const char *name, struct elf64_plan *p)
{
	size_t len;
	uint8_t *b = sample_read(name, &len);
	int err;

	if (!b)
		return 1; /* not an ELF64_* value: fails every CHECK_EQ */
	err = elf64_plan(b, len, &tb_limits, p);
	free(b);
	return err;
}

TEST(plans_real_static_binary_from_host_gcc)
{
	struct elf64_plan p;
	uint32_t x = 0, w = 0;

	CHECK_EQ(sample_plan("tiny.elf", &p), ELF64_OK);
	CHECK(p.nsegs >= 2);
	CHECK_EQ(p.has_tls, 1);
	CHECK(p.tls.memsz >= 4);
	for (uint32_t i = 0; i < p.nsegs; i++) {
		x += !!(p.segs[i].flags & ELF64_SEG_X);
		w += !!(p.segs[i].flags & ELF64_SEG_W);
		CHECK(p.segs[i].vaddr >= 0x400000);
	}
	CHECK_EQ(x, 1);
	CHECK_EQ(w, 1);
	CHECK(p.entry >= 0x400000 && p.entry < p.highest);
}

TEST(rejects_real_static_pie_as_wrong_type)
{
	struct elf64_plan p;

	CHECK_EQ(sample_plan("tiny-pie.elf", &p), ELF64_ERR_TYPE);
}

TEST(rejects_real_omagic_link_as_writable_executable)
{
	struct elf64_plan p;

	CHECK_EQ(sample_plan("tiny-omagic.elf", &p), ELF64_ERR_WX);
}

TEST(rejects_real_elfclass32_copy)
{
	struct elf64_plan p;

	CHECK_EQ(sample_plan("tiny-x32.elf", &p), ELF64_ERR_CLASS);
}

/* Every prefix of the real binary plans or fails cleanly, never reads past it. */
TEST(every_truncation_of_real_binary_is_handled)
{
	struct elf64_plan p;
	size_t len, need = 0;
	uint8_t *full = sample_read("tiny.elf", &len);

	CHECK(full != NULL);
	CHECK_EQ(elf64_plan(full, len, &tb_limits, &p), ELF64_OK);
	for (uint32_t i = 0; i < p.nsegs; i++)
		if (p.segs[i].offset + p.segs[i].filesz > need)
			need = p.segs[i].offset + p.segs[i].filesz;
	for (size_t n = 0; n < len; n++) {
		uint8_t *b = malloc(n ? n : 1);
		int err;

		memcpy(b, full, n);
		err = elf64_plan(b, n, &tb_limits, &p);
		free(b);
		if (n < need && err == ELF64_OK)
			break;
		if (n < 64 && err != ELF64_ERR_TOO_SMALL)
			break;
		if (n == len - 1)
			need = 0; /* reached the end without a wrong answer */
	}
	free(full);
	CHECK_EQ(need, 0);
}

/* Flipping any header or program-header byte never reads out of bounds. */
TEST(byte_flips_in_real_headers_are_handled)
{
	struct elf64_plan p;
	size_t len;
	uint8_t *b = sample_read("tiny.elf", &len);
	unsigned bad = 0;

	CHECK(b != NULL);
	for (size_t i = 0; i < 64 + 56 * 6 && i < len; i++) {
		static const uint8_t xors[] = { 0x01, 0x80, 0xff };

		for (size_t k = 0; k < sizeof(xors); k++) {
			int err;

			b[i] ^= xors[k];
			err = elf64_plan(b, len, &tb_limits, &p);
			b[i] ^= xors[k];
			if (err > 0 || err < ELF64_ERR_LIMITS)
				bad++;
		}
	}
	free(b);
	CHECK_EQ(bad, 0);
}

/* The byte at va of seg's initial memory image, computed the slow way. */
static uint8_t fill_ref(const uint8_t *img, const struct elf64_segment *s, uint64_t va)
{
	if (va < s->vaddr || va >= s->vaddr + s->filesz)
		return 0;
	return img[s->offset + (va - s->vaddr)];
}

/* Fills every page of every planned segment and compares with fill_ref. */
static int fill_check_all(const uint8_t *img, size_t len, const struct elf64_plan *p)
{
	static uint8_t page[4096];

	for (uint32_t i = 0; i < p->nsegs; i++) {
		const struct elf64_segment *s = &p->segs[i];
		uint64_t end = s->vaddr + s->memsz;

		for (uint64_t pv = s->vaddr & ~0xfffull; pv < end; pv += 4096) {
			memset(page, 0xa5, sizeof(page));
			if (elf64_fill_page(img, len, s, pv, 4096, page) != ELF64_OK)
				return -1;
			for (uint64_t k = 0; k < 4096; k++)
				if (page[k] != fill_ref(img, s, pv + k))
					return (int)k + 1;
		}
	}
	return 0;
}

TEST(fill_page_matches_byte_reference_for_real_binary)
{
	struct elf64_plan p;
	size_t len;
	uint8_t *b = sample_read("tiny.elf", &len);
	int r;

	CHECK(b != NULL);
	CHECK_EQ(elf64_plan(b, len, &tb_limits, &p), ELF64_OK);
	r = fill_check_all(b, len, &p);
	free(b);
	CHECK_EQ(r, 0);
}

TEST(fill_page_handles_unaligned_start_and_bss_tail)
{
	struct tb_image t;
	struct elf64_plan p;
	uint8_t *b;
	int r;

	tb_default(&t);
	t.segs[1] = (struct tb_seg){ 1, 6, 0x1ff0, 0x402ff0, 0x20, 0x3000, 0x1000 };
	t.len = 0x2010;
	b = tb_serialize(&t);
	for (size_t i = 0x1000; i < t.len; i++)
		b[i] = (uint8_t)(i * 7 + 1);
	CHECK_EQ(elf64_plan(b, t.len, &tb_limits, &p), ELF64_OK);
	r = fill_check_all(b, t.len, &p);
	free(b);
	CHECK_EQ(r, 0);
}

TEST(fill_page_rejects_pages_outside_segment_and_bad_ranges)
{
	struct elf64_segment s = { 0x402ff0, 0x3000, 0x1ff0, 0x20, ELF64_SEG_R, 0 };
	static uint8_t img[0x2010], page[4096];

	CHECK_EQ(elf64_fill_page(img, sizeof(img), &s, 0x402000, 4096, page), ELF64_OK);
	CHECK_EQ(elf64_fill_page(img, sizeof(img), &s, 0x405000, 4096, page), ELF64_OK);
	CHECK_EQ(elf64_fill_page(img, sizeof(img), &s, 0x406000, 4096, page),
		 ELF64_ERR_ADDR_RANGE);
	CHECK_EQ(elf64_fill_page(img, sizeof(img), &s, 0x401000, 4096, page),
		 ELF64_ERR_ADDR_RANGE);
	CHECK_EQ(elf64_fill_page(img, sizeof(img), &s, 0x402800, 4096, page),
		 ELF64_ERR_ADDR_RANGE);
	CHECK_EQ(elf64_fill_page(img, sizeof(img), &s, 0x402000, 3000, page), ELF64_ERR_LIMITS);
	CHECK_EQ(elf64_fill_page(img, 0x2000, &s, 0x402000, 4096, page), ELF64_ERR_FILE_BOUNDS);
	s.vaddr = UINT64_MAX - 0xfff;
	CHECK_EQ(elf64_fill_page(img, sizeof(img), &s, UINT64_MAX - 0xfff, 4096, page),
		 ELF64_ERR_ADDR_RANGE);
}

int main(void)
{
	RUN(plans_real_static_binary_from_host_gcc);
	RUN(rejects_real_static_pie_as_wrong_type);
	RUN(rejects_real_omagic_link_as_writable_executable);
	RUN(rejects_real_elfclass32_copy);
	RUN(every_truncation_of_real_binary_is_handled);
	RUN(byte_flips_in_real_headers_are_handled);
	RUN(fill_page_matches_byte_reference_for_real_binary);
	RUN(fill_page_handles_unaligned_start_and_bss_tail);
	RUN(fill_page_rejects_pages_outside_segment_and_bad_ranges);
	TEST_EXIT();
}
