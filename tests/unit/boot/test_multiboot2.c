// SPDX-License-Identifier: MIT
/*
 * Tests for the multiboot2 parser (kernel/boot/multiboot.c): a GRUB-shaped
 * blob parsed field by field, table overflow, then every kind of malformed
 * or truncated input. Inputs are parsed from heap copies of exactly the
 * stated length, so ASan catches any read past the end.
 */
#include <stdlib.h>

#include "boot/multiboot.h"
#include "lib/errno.h"
#include "mb2_blob.h"
#include "test.h"

#define INFO_PA 0x10000

static struct mb2_blob blob;
static struct boot_info bi;

/* Parses the first len bytes of blob from an exact-size heap copy. */
static int parse_len(size_t len)
{
	void *copy = malloc(len ? len : 1);
	int err;

	memcpy(copy, blob.buf, len);
	err = mb2_parse(copy, len, INFO_PA, &bi);
	free(copy);
	return err;
}

static int parse(void)
{
	return parse_len(blob.len);
}

static const uint64_t grub_map[][3] = {
	{ 0, 0x9fc00, 1 },
	{ 0x9fc00, 0x400, 2 },
	{ 0xf0000, 0x10000, 2 },
	{ 0x100000, 0x7ee0000, 1 },
	{ 0x7fe0000, 0x20000, 2 },
	{ 0xfffc0000, 0x40000, 2 },
	{ 0x100000000, 0x40000000, 1 },
};

static void build_grub_like(void)
{
	uint8_t meminfo[8] = { 0x7f, 2, 0, 0, 0x80, 0xfb, 1, 0 };	/* 639 KiB, 129920 KiB */
	uint8_t rsdp[36] = { 'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ' };
	uint8_t fb[24] = { 0 };

	rsdp[15] = 2;
	fb[0] = 0x00; fb[1] = 0x00; fb[2] = 0x00; fb[3] = 0xfd;	/* addr 0xfd000000 */
	fb[8] = 0x00; fb[9] = 0x10;				/* pitch 4096 */
	fb[12] = 0x00; fb[13] = 0x04;				/* width 1024 */
	fb[16] = 0x00; fb[17] = 0x03;				/* height 768 */
	fb[20] = 32; fb[21] = 1;
	mb2_blob_init(&blob);
	mb2_blob_string(&blob, 1, "console=com1 test=boot");
	mb2_blob_string(&blob, 2, "GRUB 2.06-13+deb12u1");
	mb2_blob_module(&blob, 0x200000, 0x280000, "/boot/capos.pkg manifest");
	mb2_blob_module(&blob, 0x280000, 0x280000, "");
	mb2_blob_tag(&blob, 4, meminfo, sizeof(meminfo));
	mb2_blob_tag(&blob, 5, "\x80\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 12);
	mb2_blob_mmap(&blob, 24, grub_map, 7);
	mb2_blob_tag(&blob, 8, fb, sizeof(fb));
	mb2_blob_tag(&blob, 14, rsdp, 20);
	mb2_blob_tag(&blob, 15, rsdp, 36);
	mb2_blob_tag(&blob, 21, "\0\0\0\0", 4);		/* load base address: ignored */
	mb2_blob_finish(&blob);
}

TEST(mb2_parses_every_field_of_a_grub_shaped_blob)
{
	build_grub_like();
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.protocol, BOOT_PROTO_MULTIBOOT2);
	CHECK_STR(bi.cmdline, "console=com1 test=boot");
	CHECK(!bi.cmdline_truncated);
	CHECK_STR(bi.loader_name, "GRUB 2.06-13+deb12u1");
	CHECK_EQ(bi.module_count, 2);
	CHECK_EQ(bi.modules[0].start, 0x200000);
	CHECK_EQ(bi.modules[0].end, 0x280000);
	CHECK_STR(bi.modules[0].cmdline, "/boot/capos.pkg manifest");
	CHECK_STR(bi.modules[1].cmdline, "");
	CHECK(bi.has_basic_mem);
	CHECK_EQ(bi.mem_lower_kib, 639);
	CHECK_EQ(bi.mem_upper_kib, 129920);
	CHECK_EQ(bi.mem_count, 7);
	for (size_t i = 0; i < 7; i++) {
		CHECK_EQ(bi.mem[i].base, grub_map[i][0]);
		CHECK_EQ(bi.mem[i].len, grub_map[i][1]);
		CHECK_EQ(bi.mem[i].type, grub_map[i][2]);
	}
	CHECK(bi.has_framebuffer);
	CHECK_EQ(bi.framebuffer.addr, 0xfd000000);
	CHECK_EQ(bi.framebuffer.pitch, 4096);
	CHECK_EQ(bi.framebuffer.width, 1024);
	CHECK_EQ(bi.framebuffer.height, 768);
	CHECK_EQ(bi.framebuffer.bpp, 32);
	CHECK(bi.has_rsdp);
	CHECK_EQ(bi.rsdp_revision, 2);
	CHECK_EQ(bi.rsdp_len, 36);
	CHECK(memcmp(bi.rsdp, "RSD PTR ", 8) == 0);
	CHECK_EQ(bi.reserved_count, 1);
	CHECK_EQ(bi.reserved[0].base, INFO_PA);
	CHECK_EQ(bi.reserved[0].len, blob.len);
}

TEST(mb2_accepts_larger_mmap_entries_from_future_versions)
{
	mb2_blob_init(&blob);
	mb2_blob_mmap(&blob, 32, grub_map, 7);
	mb2_blob_finish(&blob);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.mem_count, 7);
	CHECK_EQ(bi.mem[6].base, 0x100000000);
	CHECK_EQ(bi.mem[6].len, 0x40000000);
}

TEST(mb2_counts_regions_and_modules_beyond_capacity_and_cuts_long_cmdline)
{
	static uint64_t many[200][3];
	char longline[600];

	for (int i = 0; i < 200; i++) {
		many[i][0] = (uint64_t)i << 20;
		many[i][1] = 4096;
		many[i][2] = 1;
	}
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	mb2_blob_init(&blob);
	mb2_blob_mmap(&blob, 24, (const uint64_t (*)[3])many, 200);
	for (int i = 0; i < 20; i++)
		mb2_blob_module(&blob, 0x1000, 0x2000, "m");
	mb2_blob_string(&blob, 1, longline);
	mb2_blob_finish(&blob);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.mem_count, BOOT_MAX_MEM_REGIONS);
	CHECK_EQ(bi.mem_dropped, 200 - BOOT_MAX_MEM_REGIONS);
	CHECK_EQ(bi.module_count, BOOT_MAX_MODULES);
	CHECK_EQ(bi.module_dropped, 20 - BOOT_MAX_MODULES);
	CHECK(bi.cmdline_truncated);
	CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
}

TEST(mb2_without_mmap_falls_back_to_basic_meminfo)
{
	uint8_t meminfo[8] = { 0x80, 2, 0, 0, 0, 0x40, 0, 0 };	/* 640 KiB, 16 MiB */

	mb2_blob_init(&blob);
	mb2_blob_tag(&blob, 4, meminfo, sizeof(meminfo));
	mb2_blob_finish(&blob);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.mem_count, 2);
	CHECK_EQ(bi.mem[0].len, 640 * 1024);
	CHECK_EQ(bi.mem[1].base, 0x100000);
	CHECK_EQ(bi.mem[1].len, 16 << 20);
}

TEST(mb2_rejects_null_short_and_inconsistent_headers)
{
	build_grub_like();
	CHECK_EQ(mb2_parse(NULL, 100, INFO_PA, &bi), ERR_INVAL);
	CHECK_EQ(mb2_parse(blob.buf, blob.len, INFO_PA, NULL), ERR_INVAL);
	CHECK_EQ(mb2_parse(blob.buf, blob.len, INFO_PA + 4, &bi), ERR_MALFORMED);
	CHECK_EQ(parse_len(7), ERR_TRUNCATED);
	mb2_blob_put32(&blob, 0, 8);
	CHECK_EQ(parse(), ERR_MALFORMED);
	mb2_blob_put32(&blob, 0, (uint32_t)blob.len + 8);
	CHECK_EQ(parse(), ERR_TRUNCATED);
}

TEST(mb2_rejects_every_truncation_of_a_valid_blob)
{
	build_grub_like();
	for (size_t len = 0; len < blob.len; len++) {
		/* The header still claims the full size: it runs past what is mapped. */
		CHECK_EQ(parse_len(len), ERR_TRUNCATED);
	}
	for (size_t total = 16; total < blob.len; total += 4) {
		int err;

		build_grub_like();
		mb2_blob_put32(&blob, 0, (uint32_t)total);
		err = parse_len(total);
		CHECK(err == ERR_TRUNCATED || err == ERR_MALFORMED);
	}
}

TEST(mb2_requires_an_end_tag)
{
	mb2_blob_init(&blob);
	mb2_blob_string(&blob, 1, "x");
	mb2_blob_put32(&blob, 0, (uint32_t)blob.len);
	CHECK_EQ(parse(), ERR_TRUNCATED);
}

TEST(mb2_rejects_bad_tag_sizes)
{
	size_t off;

	mb2_blob_init(&blob);
	off = mb2_blob_string(&blob, 1, "abc");
	mb2_blob_finish(&blob);
	mb2_blob_put32(&blob, off + 4, 4);
	CHECK_EQ(parse(), ERR_MALFORMED);
	mb2_blob_put32(&blob, off + 4, 0);
	CHECK_EQ(parse(), ERR_MALFORMED);
	mb2_blob_put32(&blob, off + 4, (uint32_t)(blob.len - off + 1));
	CHECK_EQ(parse(), ERR_TRUNCATED);
	mb2_blob_put32(&blob, off + 4, 0xffffffffu);
	CHECK_EQ(parse(), ERR_TRUNCATED);
}

TEST(mb2_rejects_bad_mmap_entry_sizes)
{
	size_t off;

	mb2_blob_init(&blob);
	off = mb2_blob_mmap(&blob, 24, grub_map, 3);
	mb2_blob_finish(&blob);
	mb2_blob_put32(&blob, off + 8, 16);
	CHECK_EQ(parse(), ERR_MALFORMED);
	mb2_blob_put32(&blob, off + 8, 28);
	CHECK_EQ(parse(), ERR_MALFORMED);
	mb2_blob_put32(&blob, off + 8, 0);
	CHECK_EQ(parse(), ERR_MALFORMED);
	mb2_blob_put32(&blob, off + 8, 32);	/* 72 bytes of entries: not a multiple */
	CHECK_EQ(parse(), ERR_MALFORMED);
	mb2_blob_put32(&blob, off + 8, 24);
	mb2_blob_put32(&blob, off + 4, 12);	/* shorter than the mmap header */
	CHECK_EQ(parse(), ERR_MALFORMED);
}

TEST(mb2_rejects_unterminated_strings_and_inverted_modules)
{
	size_t off;

	mb2_blob_init(&blob);
	off = mb2_blob_string(&blob, 1, "abcdefg");
	mb2_blob_finish(&blob);
	mb2_blob_put32(&blob, off + 4, 8 + 7);		/* size excludes the NUL */
	CHECK_EQ(parse(), ERR_MALFORMED);
	mb2_blob_init(&blob);
	off = mb2_blob_string(&blob, 2, "loader");
	mb2_blob_finish(&blob);
	mb2_blob_put32(&blob, off + 4, 8);		/* empty payload */
	CHECK_EQ(parse(), ERR_MALFORMED);
	mb2_blob_init(&blob);
	off = mb2_blob_module(&blob, 0x3000, 0x2000, "inverted");
	mb2_blob_finish(&blob);
	CHECK_EQ(parse(), ERR_MALFORMED);
	mb2_blob_init(&blob);
	off = mb2_blob_module(&blob, 0x1000, 0x2000, "s");
	mb2_blob_finish(&blob);
	mb2_blob_put32(&blob, off + 4, 16);		/* no room for a string */
	CHECK_EQ(parse(), ERR_MALFORMED);
}

TEST(mb2_rejects_short_fixed_size_tags)
{
	static const uint32_t types[] = { 4, 8, 14, 15 };
	static const uint32_t min_size[] = { 16, 31, 28, 44 };
	uint8_t zeros[64] = { 0 };

	for (size_t i = 0; i < 4; i++) {
		mb2_blob_init(&blob);
		mb2_blob_tag(&blob, types[i], zeros, min_size[i] - 8);
		mb2_blob_finish(&blob);
		CHECK_EQ(parse(), 0);
		mb2_blob_init(&blob);
		mb2_blob_tag(&blob, types[i], zeros, min_size[i] - 9);
		mb2_blob_finish(&blob);
		CHECK_EQ(parse(), ERR_MALFORMED);
	}
}

TEST(mb2_random_corruption_never_reads_out_of_bounds)
{
	uint64_t rng = 12345;

	for (int iter = 0; iter < 20000; iter++) {
		int flips;

		build_grub_like();
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		flips = 1 + (int)((rng >> 33) % 4);
		for (int k = 0; k < flips; k++) {
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			blob.buf[(rng >> 33) % blob.len] = (uint8_t)(rng >> 20);
		}
		if (parse() == 0) {
			CHECK(bi.mem_count <= BOOT_MAX_MEM_REGIONS);
			CHECK(bi.module_count <= BOOT_MAX_MODULES);
			CHECK(strlen(bi.cmdline) < BOOT_CMDLINE_MAX);
			for (size_t i = 0; i < bi.module_count; i++)
				CHECK(bi.modules[i].start <= bi.modules[i].end);
		}
	}
}

int main(void)
{
	RUN(mb2_parses_every_field_of_a_grub_shaped_blob);
	RUN(mb2_accepts_larger_mmap_entries_from_future_versions);
	RUN(mb2_counts_regions_and_modules_beyond_capacity_and_cuts_long_cmdline);
	RUN(mb2_without_mmap_falls_back_to_basic_meminfo);
	RUN(mb2_rejects_null_short_and_inconsistent_headers);
	RUN(mb2_rejects_every_truncation_of_a_valid_blob);
	RUN(mb2_requires_an_end_tag);
	RUN(mb2_rejects_bad_tag_sizes);
	RUN(mb2_rejects_bad_mmap_entry_sizes);
	RUN(mb2_rejects_unterminated_strings_and_inverted_modules);
	RUN(mb2_rejects_short_fixed_size_tags);
	RUN(mb2_random_corruption_never_reads_out_of_bounds);
	TEST_EXIT();
}
