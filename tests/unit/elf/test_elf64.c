// SPDX-License-Identifier: MIT
/*
 * Tests for lib/elf/elf64.c. Two kinds of input: images built by hand here
 * (an ELF header, program headers and payload in a zeroed buffer, one field
 * changed per test so each rejection is pinned to its own error code), and
 * real images made by the host toolchain at build time (see rules.mk). Every
 * input lives in a heap buffer of exactly its length, so ASan reports any
 * read past the end.
 */
#include <stdint.h>

#include <capos/layout.h>

#include "elf/elf64.h"
#include "../test.h"

#define IMG_CAP 0x3000

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

static void tb_wr(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The default: R+X text page with the entry, then an RW data+bss segment. */
static void tb_default(struct tb_image *t)
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

static uint8_t *tb_serialize(const struct tb_image *t)
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
static int tb_plan(const struct tb_image *t, struct elf64_plan *plan)
{
	uint8_t *b = tb_serialize(t);
	int err = elf64_plan(b, t->len, &tb_limits, plan);

	free(b);
	return err;
}

static int tb_plan_only(const struct tb_image *t)
{
	struct elf64_plan plan;

	return tb_plan(t, &plan);
}

TEST(accepts_two_segment_image_and_reports_plan)
{
	struct tb_image t;
	struct elf64_plan p;

	tb_default(&t);
	CHECK_EQ(tb_plan(&t, &p), ELF64_OK);
	CHECK_EQ(p.entry, 0x401010);
	CHECK_EQ(p.nsegs, 2);
	CHECK_EQ(p.segs[0].vaddr, 0x401000);
	CHECK_EQ(p.segs[0].flags, ELF64_SEG_R | ELF64_SEG_X);
	CHECK_EQ(p.segs[1].flags, ELF64_SEG_R | ELF64_SEG_W);
	CHECK_EQ(p.segs[1].filesz, 0x10);
	CHECK_EQ(p.segs[1].memsz, 0x2000);
	CHECK_EQ(p.lowest, 0x401000);
	CHECK_EQ(p.highest, 0x404000);
	CHECK_EQ(p.has_tls, 0);
}

TEST(rejects_image_shorter_than_elf_header)
{
	struct tb_image t;

	tb_default(&t);
	t.len = 63;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_TOO_SMALL);
	t.len = 0;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_TOO_SMALL);
}

TEST(rejects_bad_magic)
{
	struct tb_image t;

	tb_default(&t);
	t.ident[3] = 'G';
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_MAGIC);
}

TEST(rejects_32_bit_class)
{
	struct tb_image t;

	tb_default(&t);
	t.ident[4] = 1;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_CLASS);
}

TEST(rejects_big_endian_data)
{
	struct tb_image t;

	tb_default(&t);
	t.ident[5] = 2;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_DATA);
}

TEST(rejects_unknown_elf_version)
{
	struct tb_image t;

	tb_default(&t);
	t.ident[6] = 2;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_VERSION);
	tb_default(&t);
	t.version = 0;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_VERSION);
}

TEST(rejects_non_x86_64_machine)
{
	struct tb_image t;

	tb_default(&t);
	t.machine = 183; /* EM_AARCH64 */
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_MACHINE);
}

TEST(rejects_shared_object_and_relocatable_types)
{
	struct tb_image t;

	tb_default(&t);
	t.type = 3;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_TYPE);
	t.type = 1;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_TYPE);
}

TEST(rejects_wrong_header_and_phdr_entry_sizes)
{
	struct tb_image t;

	tb_default(&t);
	t.ehsize = 52;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_EHSIZE);
	tb_default(&t);
	t.phentsize = 32;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_PHENTSIZE);
}

TEST(rejects_zero_and_extended_phdr_counts)
{
	struct tb_image t;

	tb_default(&t);
	t.nsegs = 0;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_PHNUM);
	tb_default(&t);
	t.phnum = 0xffff;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_PHNUM);
}

TEST(rejects_phdr_table_past_image_end)
{
	struct tb_image t;

	tb_default(&t);
	t.phoff = t.len - 56 + 1;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_PHDRS_BOUNDS);
	t.phoff = t.len + 4096;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_PHDRS_BOUNDS);
}

TEST(rejects_phdr_offset_that_overflows)
{
	struct tb_image t;

	tb_default(&t);
	t.phoff = UINT64_MAX - 8;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_PHDRS_BOUNDS);
	t.phoff = UINT64_MAX - 56 * 2 + 1;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_PHDRS_BOUNDS);
}

/* n one-page R+X/R segments, pages 0x401000, 0x403000, ... */
static void tb_many(struct tb_image *t, unsigned n)
{
	tb_default(t);
	t->nsegs = n;
	t->len = 0x2000;
	for (unsigned i = 0; i < n; i++)
		t->segs[i] = (struct tb_seg){ 1, i == 0 ? 5 : 4, 0x1000, 0x401000 + 0x2000 * i,
					      0x100, 0x100, 0x1000 };
}

TEST(accepts_exactly_max_load_segments)
{
	struct tb_image t;
	struct elf64_plan p;

	tb_many(&t, ELF64_MAX_SEGMENTS);
	CHECK_EQ(tb_plan(&t, &p), ELF64_OK);
	CHECK_EQ(p.nsegs, ELF64_MAX_SEGMENTS);
}

TEST(rejects_one_load_segment_too_many)
{
	struct tb_image t;

	tb_many(&t, ELF64_MAX_SEGMENTS + 1);
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_TOO_MANY_SEGMENTS);
}

TEST(rejects_image_without_load_segments)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[0].type = 4; /* PT_NOTE */
	t.segs[1].type = 0x6474e551; /* PT_GNU_STACK */
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_NO_SEGMENTS);
}

TEST(ignores_empty_load_segments)
{
	struct tb_image t;
	struct elf64_plan p;

	tb_default(&t);
	t.nsegs = 3;
	t.segs[2] = (struct tb_seg){ 1, 7, UINT64_MAX, 0xffffffff80000000ull, 0, 0, 0 };
	CHECK_EQ(tb_plan(&t, &p), ELF64_OK);
	CHECK_EQ(p.nsegs, 2);
}

TEST(rejects_segment_file_range_past_image_end)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[1].filesz = 0x11;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_FILE_BOUNDS);
	tb_default(&t);
	t.segs[1].offset = t.len + 0x1000;
	t.segs[1].vaddr += 0x1000;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_FILE_BOUNDS);
}

TEST(rejects_segment_file_offset_that_overflows)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[1].offset = UINT64_MAX - 7;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_FILE_BOUNDS);
}

TEST(rejects_filesz_larger_than_memsz)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[0].memsz = 0xff;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_FILESZ);
}

TEST(rejects_address_range_that_wraps)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[1].memsz = UINT64_MAX - 0x402000 + 2;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_ADDR_OVERFLOW);
}

TEST(rejects_kernel_half_and_non_canonical_addresses)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[1].vaddr = 0xffffffff80002000ull;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_ADDR_RANGE);
	t.segs[1].vaddr = 0x0000800000002000ull;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_ADDR_RANGE);
}

TEST(rejects_null_page_and_addresses_below_user_min)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[0].vaddr = 0x1000;
	t.entry = 0x1010;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_ADDR_RANGE);
	t.segs[0].vaddr = 0;
	t.segs[0].offset = 0;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_ADDR_RANGE);
}

TEST(rejects_segment_crossing_user_end)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[1].vaddr = CAPOS_USER_IMAGE_END - 0x1000;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_ADDR_RANGE);
	t.segs[1].memsz = 0x1000;
	CHECK_EQ(tb_plan_only(&t), ELF64_OK);
}

TEST(rejects_writable_executable_segment)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[0].flags = 7;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_WX);
	t.segs[0].flags = 3;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_WX);
}

TEST(rejects_segments_sharing_a_page)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[1].vaddr = 0x401ff0; /* page 0x401000, where segment 0 lives */
	t.segs[1].offset = 0x1ff0;
	t.len = 0x2000;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_OVERLAP);
}

TEST(rejects_segments_overlapping_in_reverse_order)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[1].vaddr = 0x3ff000;
	t.segs[1].memsz = 0x3000;
	t.segs[1].offset = 0x2000;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_OVERLAP);
}

TEST(accepts_segments_on_adjacent_pages)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[0].memsz = 0x1000;
	t.segs[0].filesz = 0x1000;
	CHECK_EQ(tb_plan_only(&t), ELF64_OK);
}

TEST(rejects_vaddr_and_offset_not_congruent)
{
	struct tb_image t;

	tb_default(&t);
	t.segs[1].offset = 0x1ff8;
	t.segs[1].filesz = 0x8;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_ALIGN);
}

TEST(rejects_entry_outside_every_segment)
{
	struct tb_image t;

	tb_default(&t);
	t.entry = 0x400ff0;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_ENTRY);
	t.entry = 0x401100; /* one past the end of the text segment */
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_ENTRY);
	t.entry = 0x4010ff;
	CHECK_EQ(tb_plan_only(&t), ELF64_OK);
}

TEST(rejects_entry_in_non_executable_segment)
{
	struct tb_image t;

	tb_default(&t);
	t.entry = 0x402008;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_ENTRY);
}

static void tb_with_tls(struct tb_image *t)
{
	tb_default(t);
	t->nsegs = 3;
	t->segs[2] = (struct tb_seg){ 7, 4, 0x2000, 0x402000, 0x8, 0x20, 16 };
}

TEST(accepts_tls_and_reports_its_template)
{
	struct tb_image t;
	struct elf64_plan p;

	tb_with_tls(&t);
	CHECK_EQ(tb_plan(&t, &p), ELF64_OK);
	CHECK_EQ(p.has_tls, 1);
	CHECK_EQ(p.nsegs, 2);
	CHECK_EQ(p.tls.offset, 0x2000);
	CHECK_EQ(p.tls.filesz, 0x8);
	CHECK_EQ(p.tls.memsz, 0x20);
	CHECK_EQ(p.tls_align, 16);
}

TEST(rejects_bad_or_duplicate_tls)
{
	struct tb_image t;

	tb_with_tls(&t);
	t.nsegs = 4;
	t.segs[3] = t.segs[2];
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_TLS);
	tb_with_tls(&t);
	t.segs[2].memsz = CAPOS_USER_TLS_MAX + 1;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_TLS);
	tb_with_tls(&t);
	t.segs[2].filesz = 0x21;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_TLS);
	tb_with_tls(&t);
	t.segs[2].align = 24;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_TLS);
	tb_with_tls(&t);
	t.segs[2].offset = UINT64_MAX;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_TLS);
}

TEST(rejects_dynamic_linking_headers)
{
	struct tb_image t;

	tb_default(&t);
	t.nsegs = 3;
	t.segs[2] = (struct tb_seg){ 3, 4, 0x1000, 0x401000, 0x10, 0x10, 1 };
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_DYNAMIC);
	t.segs[2].type = 2;
	CHECK_EQ(tb_plan_only(&t), ELF64_ERR_DYNAMIC);
}

TEST(rejects_invalid_limits)
{
	struct tb_image t;
	struct elf64_limits lim = tb_limits;
	struct elf64_plan p;
	uint8_t *b;

	tb_default(&t);
	b = tb_serialize(&t);
	lim.page_size = 3000;
	CHECK_EQ(elf64_plan(b, t.len, &lim, &p), ELF64_ERR_LIMITS);
	lim = tb_limits;
	lim.user_end = 0x0000800000001000ull;
	CHECK_EQ(elf64_plan(b, t.len, &lim, &p), ELF64_ERR_LIMITS);
	lim = tb_limits;
	lim.user_min = 0;
	CHECK_EQ(elf64_plan(b, t.len, &lim, &p), ELF64_ERR_LIMITS);
	lim = tb_limits;
	lim.user_min = lim.user_end;
	CHECK_EQ(elf64_plan(b, t.len, &lim, &p), ELF64_ERR_LIMITS);
	free(b);
}

TEST(error_messages_are_distinct)
{
	static const int codes[] = {
#define TB_CODE_(name, value, msg) value,
		ELF64_ERRORS(TB_CODE_)
#undef TB_CODE_
	};
	size_t n = sizeof(codes) / sizeof(codes[0]);

	for (size_t i = 0; i < n; i++) {
		CHECK(codes[i] < 0);
		CHECK(strcmp(elf64_strerror(codes[i]), elf64_strerror(-999)) != 0);
		for (size_t j = i + 1; j < n; j++) {
			CHECK(codes[i] != codes[j]);
			CHECK(strcmp(elf64_strerror(codes[i]), elf64_strerror(codes[j])) != 0);
		}
	}
}

/* Reads a sample made by rules.mk into an exact-size heap buffer. */
static uint8_t *sample_read(const char *name, size_t *len)
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
	RUN(accepts_two_segment_image_and_reports_plan);
	RUN(rejects_image_shorter_than_elf_header);
	RUN(rejects_bad_magic);
	RUN(rejects_32_bit_class);
	RUN(rejects_big_endian_data);
	RUN(rejects_unknown_elf_version);
	RUN(rejects_non_x86_64_machine);
	RUN(rejects_shared_object_and_relocatable_types);
	RUN(rejects_wrong_header_and_phdr_entry_sizes);
	RUN(rejects_zero_and_extended_phdr_counts);
	RUN(rejects_phdr_table_past_image_end);
	RUN(rejects_phdr_offset_that_overflows);
	RUN(accepts_exactly_max_load_segments);
	RUN(rejects_one_load_segment_too_many);
	RUN(rejects_image_without_load_segments);
	RUN(ignores_empty_load_segments);
	RUN(rejects_segment_file_range_past_image_end);
	RUN(rejects_segment_file_offset_that_overflows);
	RUN(rejects_filesz_larger_than_memsz);
	RUN(rejects_address_range_that_wraps);
	RUN(rejects_kernel_half_and_non_canonical_addresses);
	RUN(rejects_null_page_and_addresses_below_user_min);
	RUN(rejects_segment_crossing_user_end);
	RUN(rejects_writable_executable_segment);
	RUN(rejects_segments_sharing_a_page);
	RUN(rejects_segments_overlapping_in_reverse_order);
	RUN(accepts_segments_on_adjacent_pages);
	RUN(rejects_vaddr_and_offset_not_congruent);
	RUN(rejects_entry_outside_every_segment);
	RUN(rejects_entry_in_non_executable_segment);
	RUN(accepts_tls_and_reports_its_template);
	RUN(rejects_bad_or_duplicate_tls);
	RUN(rejects_dynamic_linking_headers);
	RUN(rejects_invalid_limits);
	RUN(error_messages_are_distinct);
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
