// SPDX-License-Identifier: MIT
/*
 * Tests for the multiboot1 parser (kernel/boot/multiboot1.c) over a fake
 * physical window: PHYS_SIZE bytes at PHYS_BASE, which map() grants and
 * nothing else. The info structure, strings, module list and memory map are
 * laid out in it as QEMU lays them out, then broken one field at a time.
 */
#include <stdlib.h>

#include "boot/multiboot.h"
#include "lib/errno.h"
#include "test.h"

#define PHYS_BASE 0x10000u
#define PHYS_SIZE 0x4000u
#define INFO_PA PHYS_BASE
#define CMDLINE_PA (PHYS_BASE + 0x100)
#define MODS_PA (PHYS_BASE + 0x200)
#define MMAP_PA (PHYS_BASE + 0x300)
#define STR_PA (PHYS_BASE + 0x800)
#define LOADER_PA (PHYS_BASE + 0x900)

static _Alignas(8) uint8_t phys[PHYS_SIZE];
static struct boot_info bi;
static size_t map_calls;

static const void *test_map(paddr_t pa, size_t len, void *ctx)
{
	(void)ctx;
	map_calls++;
	if (pa < PHYS_BASE || pa - PHYS_BASE > PHYS_SIZE || len > PHYS_SIZE - (pa - PHYS_BASE))
		return NULL;
	return phys + (pa - PHYS_BASE);
}

static void put32(uint32_t pa, uint32_t v)
{
	memcpy(phys + pa - PHYS_BASE, &v, 4);
}

static void put64(uint32_t pa, uint64_t v)
{
	memcpy(phys + pa - PHYS_BASE, &v, 8);
}

static void put_str(uint32_t pa, const char *s)
{
	memcpy(phys + pa - PHYS_BASE, s, strlen(s) + 1);
}

static const uint64_t qemu_map[][3] = {
	{ 0, 0x9fc00, 1 },
	{ 0x9fc00, 0x400, 2 },
	{ 0xf0000, 0x10000, 2 },
	{ 0x100000, 0x7ee0000, 1 },
	{ 0xfffc0000, 0x40000, 2 },
};

/* Writes map entries with the given size field (20 = standard 24-byte entries). */
static uint32_t put_mmap(uint32_t size_field, size_t n)
{
	uint32_t off = 0;

	for (size_t i = 0; i < n; i++) {
		put32(MMAP_PA + off, size_field);
		put64(MMAP_PA + off + 4, qemu_map[i][0]);
		put64(MMAP_PA + off + 12, qemu_map[i][1]);
		put32(MMAP_PA + off + 20, (uint32_t)qemu_map[i][2]);
		off += size_field + 4;
	}
	return off;
}

static void build_qemu_like(void)
{
	memset(phys, 0, sizeof(phys));
	put32(INFO_PA, (1u << 0) | (1u << 1) | (1u << 2) | (1u << 3) | (1u << 6) | (1u << 9));
	put32(INFO_PA + 4, 639);
	put32(INFO_PA + 8, 130048);
	put32(INFO_PA + 16, CMDLINE_PA);
	put_str(CMDLINE_PA, "console=com1 test=boot");
	put32(INFO_PA + 20, 2);
	put32(INFO_PA + 24, MODS_PA);
	put32(MODS_PA, 0x200000);
	put32(MODS_PA + 4, 0x280000);
	put32(MODS_PA + 8, STR_PA);
	put32(MODS_PA + 16, 0x280000);
	put32(MODS_PA + 20, 0x281000);
	put32(MODS_PA + 24, STR_PA + 0x40);
	put_str(STR_PA, "capos.pkg");
	put_str(STR_PA + 0x40, "second");
	put32(INFO_PA + 44, put_mmap(20, 5));
	put32(INFO_PA + 48, MMAP_PA);
	put32(INFO_PA + 64, LOADER_PA);
	put_str(LOADER_PA, "qemu");
}

static int parse(void)
{
	return mb1_parse(INFO_PA, test_map, NULL, &bi);
}

TEST(mb1_parses_every_field_of_a_qemu_shaped_info)
{
	build_qemu_like();
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.protocol, BOOT_PROTO_MULTIBOOT1);
	CHECK_STR(bi.cmdline, "console=com1 test=boot");
	CHECK_STR(bi.loader_name, "qemu");
	CHECK(bi.has_basic_mem);
	CHECK_EQ(bi.mem_lower_kib, 639);
	CHECK_EQ(bi.mem_upper_kib, 130048);
	CHECK_EQ(bi.module_count, 2);
	CHECK_EQ(bi.modules[0].start, 0x200000);
	CHECK_EQ(bi.modules[0].end, 0x280000);
	CHECK_STR(bi.modules[0].cmdline, "capos.pkg");
	CHECK_STR(bi.modules[1].cmdline, "second");
	CHECK_EQ(bi.mem_count, 5);
	for (size_t i = 0; i < 5; i++) {
		CHECK_EQ(bi.mem[i].base, qemu_map[i][0]);
		CHECK_EQ(bi.mem[i].len, qemu_map[i][1]);
		CHECK_EQ(bi.mem[i].type, qemu_map[i][2]);
	}
	CHECK(!bi.has_framebuffer);
	/* info, cmdline, module list, memory map, loader name */
	CHECK_EQ(bi.reserved_count, 5);
	CHECK_EQ(bi.reserved[0].base, INFO_PA);
	CHECK_EQ(bi.reserved[1].base, CMDLINE_PA);
	CHECK_EQ(bi.reserved[1].len, strlen("console=com1 test=boot") + 1);
	CHECK_EQ(bi.reserved[2].base, MODS_PA);
	CHECK_EQ(bi.reserved[2].len, 32);
	CHECK_EQ(bi.reserved[3].base, MMAP_PA);
	CHECK_EQ(bi.reserved[3].len, 5 * 24);
}

TEST(mb1_honours_flags_and_ignores_fields_they_do_not_announce)
{
	build_qemu_like();
	put32(INFO_PA, 0);
	put32(INFO_PA + 16, 0xdeadbeef);	/* would be out of bounds if read */
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.mem_count, 0);
	CHECK_EQ(bi.module_count, 0);
	CHECK_STR(bi.cmdline, "");
	CHECK(!bi.has_basic_mem);
}

TEST(mb1_without_mmap_falls_back_to_mem_lower_and_upper)
{
	build_qemu_like();
	put32(INFO_PA, 1u << 0);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.mem_count, 2);
	CHECK_EQ(bi.mem[0].base, 0);
	CHECK_EQ(bi.mem[0].len, 639 * 1024);
	CHECK_EQ(bi.mem[1].base, 0x100000);
	CHECK_EQ(bi.mem[1].len, 130048ull * 1024);
}

TEST(mb1_accepts_map_entries_with_a_larger_size_field)
{
	build_qemu_like();
	put32(INFO_PA + 44, put_mmap(28, 5));
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.mem_count, 5);
	CHECK_EQ(bi.mem[3].base, 0x100000);
}

TEST(mb1_parses_framebuffer_fields_when_flagged)
{
	build_qemu_like();
	put32(INFO_PA, (1u << 12));
	put64(INFO_PA + 88, 0xfd000000);
	put32(INFO_PA + 96, 4096);
	put32(INFO_PA + 100, 1024);
	put32(INFO_PA + 104, 768);
	phys[108] = 32;
	phys[109] = 1;
	CHECK_EQ(parse(), 0);
	CHECK(bi.has_framebuffer);
	CHECK_EQ(bi.framebuffer.addr, 0xfd000000);
	CHECK_EQ(bi.framebuffer.height, 768);
	CHECK_EQ(bi.framebuffer.bpp, 32);
	CHECK_EQ(bi.reserved[0].len, 110);
}

TEST(mb1_rejects_pointers_outside_accessible_memory)
{
	build_qemu_like();
	CHECK_EQ(mb1_parse(0x100, test_map, NULL, &bi), ERR_TRUNCATED);
	CHECK_EQ(mb1_parse(PHYS_BASE + PHYS_SIZE - 40, test_map, NULL, &bi), ERR_TRUNCATED);
	CHECK_EQ(mb1_parse(INFO_PA, NULL, NULL, &bi), ERR_INVAL);
	put32(INFO_PA + 16, 0x1000);
	CHECK_EQ(parse(), ERR_MALFORMED);
	build_qemu_like();
	put32(INFO_PA + 24, PHYS_BASE + PHYS_SIZE - 16);	/* 2 modules, room for 1 */
	CHECK_EQ(parse(), ERR_MALFORMED);
	build_qemu_like();
	put32(INFO_PA + 48, 0xfffffff0);
	CHECK_EQ(parse(), ERR_MALFORMED);
	build_qemu_like();
	put32(INFO_PA + 64, 0);
	CHECK_EQ(parse(), ERR_MALFORMED);
	build_qemu_like();
	put32(MODS_PA + 8, 0x7000);
	CHECK_EQ(parse(), ERR_MALFORMED);
}

TEST(mb1_rejects_string_running_off_the_end_of_memory)
{
	build_qemu_like();
	memset(phys + PHYS_SIZE - 8, 'a', 8);
	put32(INFO_PA + 16, PHYS_BASE + PHYS_SIZE - 8);
	CHECK_EQ(parse(), ERR_MALFORMED);
}

TEST(mb1_cuts_long_strings_and_stops_reading_at_capacity)
{
	build_qemu_like();
	memset(phys + 0x1000, 'c', 0x1000);
	put32(INFO_PA + 16, PHYS_BASE + 0x1000);
	map_calls = 0;
	CHECK_EQ(parse(), 0);
	CHECK(bi.cmdline_truncated);
	CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	CHECK(map_calls < 1000);
}

TEST(mb1_rejects_bad_map_entries_and_module_ranges)
{
	build_qemu_like();
	put32(MMAP_PA, 16);				/* entry too small */
	CHECK_EQ(parse(), ERR_MALFORMED);
	build_qemu_like();
	put32(MMAP_PA + 4 * 24, 200);			/* last entry crosses the end */
	CHECK_EQ(parse(), ERR_TRUNCATED);
	build_qemu_like();
	put32(INFO_PA + 44, 5 * 24 + 2);		/* trailing bytes */
	CHECK_EQ(parse(), ERR_MALFORMED);
	build_qemu_like();
	put32(MODS_PA + 16, 0x300000);			/* start > end */
	CHECK_EQ(parse(), ERR_MALFORMED);
	build_qemu_like();
	put32(INFO_PA + 20, 0x10000000);		/* absurd module count */
	CHECK_EQ(parse(), ERR_MALFORMED);
}

TEST(mb1_counts_modules_beyond_capacity)
{
	build_qemu_like();
	put32(INFO_PA + 20, 20);
	for (uint32_t i = 0; i < 20; i++) {
		put32(MODS_PA + i * 16, 0x1000 * i);
		put32(MODS_PA + i * 16 + 4, 0x1000 * i + 10);
		put32(MODS_PA + i * 16 + 8, STR_PA);
	}
	put32(INFO_PA, (1u << 3));
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.module_count, BOOT_MAX_MODULES);
	CHECK_EQ(bi.module_dropped, 4);
	CHECK_STR(bi.modules[15].cmdline, "capos.pkg");
}

int main(void)
{
	RUN(mb1_parses_every_field_of_a_qemu_shaped_info);
	RUN(mb1_honours_flags_and_ignores_fields_they_do_not_announce);
	RUN(mb1_without_mmap_falls_back_to_mem_lower_and_upper);
	RUN(mb1_accepts_map_entries_with_a_larger_size_field);
	RUN(mb1_parses_framebuffer_fields_when_flagged);
	RUN(mb1_rejects_pointers_outside_accessible_memory);
	RUN(mb1_rejects_string_running_off_the_end_of_memory);
	RUN(mb1_cuts_long_strings_and_stops_reading_at_capacity);
	RUN(mb1_rejects_bad_map_entries_and_module_ranges);
	RUN(mb1_counts_modules_beyond_capacity);
	TEST_EXIT();
}
