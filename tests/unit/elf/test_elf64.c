// SPDX-License-Identifier: MIT
/*
 * Tests for elf64_plan() on hand-built images (lib/elf/elf64.c): the default
 * image is valid, and each test changes one field so that each rejection is
 * pinned to its own ELF64_ERR_* code.
 */
#include "elf_image.h"
#include "../test.h"

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
	TEST_EXIT();
}
