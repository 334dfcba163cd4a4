// SPDX-License-Identifier: MIT
/*
 * Multiboot1 boot information parser (see multiboot.h for the contract).
 *
 * The information is a fixed structure whose `flags` say which fields are
 * valid; several fields are 32-bit physical pointers (command line, module
 * list, memory map, loader name). Nothing is read except through map(), which
 * bounds every access, and each pointed-to range is mapped whole before it
 * is parsed. Strings have no declared length: they are read byte by byte up
 * to their buffer's capacity, and cut (not rejected) beyond it.
 */
#include "boot/mb_read.h"
#include "boot/multiboot.h"
#include "lib/errno.h"

enum {
	MB1_F_MEM = 1u << 0,		/* mem_lower, mem_upper */
	MB1_F_CMDLINE = 1u << 2,
	MB1_F_MODS = 1u << 3,
	MB1_F_MMAP = 1u << 6,
	MB1_F_LOADER_NAME = 1u << 9,
	MB1_F_FRAMEBUFFER = 1u << 12,
};

/* Offsets in the information structure. */
enum {
	MB1_FLAGS = 0,
	MB1_MEM_LOWER = 4,
	MB1_MEM_UPPER = 8,
	MB1_CMDLINE = 16,
	MB1_MODS_COUNT = 20,
	MB1_MODS_ADDR = 24,
	MB1_MMAP_LENGTH = 44,
	MB1_MMAP_ADDR = 48,
	MB1_LOADER_NAME = 64,
	MB1_FB_ADDR = 88,
	MB1_FB_PITCH = 96,
	MB1_FB_WIDTH = 100,
	MB1_FB_HEIGHT = 104,
	MB1_FB_BPP = 108,
	MB1_FB_TYPE = 109,
};

#define MB1_INFO_SIZE 68		/* up to and including boot_loader_name */
#define MB1_INFO_SIZE_FB 110		/* ... and the framebuffer fields */
#define MB1_MODULE_SIZE 16		/* mod_start, mod_end, string, reserved */
#define MB1_MMAP_ENTRY_MIN 20		/* size field value: base, length, type */

struct mb1_mem {
	const void *(*map)(paddr_t pa, size_t len, void *ctx);
	void *ctx;
};

static const uint8_t *mb1_map(const struct mb1_mem *m, paddr_t pa, size_t len)
{
	return m->map(pa, len, m->ctx);
}

/*
 * Copies the string at physical pa into dst (capacity cap); *len gets the
 * bytes it occupies including the NUL, or cap if it was cut.
 */
static int mb1_string(const struct mb1_mem *m, paddr_t pa, char *dst, size_t cap, bool *cut,
		      uint64_t *len)
{
	for (size_t i = 0; i < cap - 1; i++) {
		const uint8_t *c = mb1_map(m, pa + i, 1);

		if (!c)
			return ERR_MALFORMED;
		dst[i] = (char)*c;
		if (*c == '\0') {
			*cut = false;
			*len = i + 1;
			return 0;
		}
	}
	dst[cap - 1] = '\0';
	*cut = true;
	*len = cap;
	return 0;
}

static int mb1_modules(const struct mb1_mem *m, const uint8_t *info, struct boot_info *bi)
{
	uint32_t count = mb_read32(info + MB1_MODS_COUNT), addr = mb_read32(info + MB1_MODS_ADDR);
	const uint8_t *list;
	char scratch[BOOT_MODULE_CMDLINE_MAX];
	uint64_t len;
	bool cut;

	if (count == 0)
		return 0;
	if (count > MB_MAX_ITEMS)
		return ERR_MALFORMED;
	list = mb1_map(m, addr, (size_t)count * MB1_MODULE_SIZE);
	if (!list)
		return ERR_MALFORMED;
	boot_info_add_reserved(bi, addr, (uint64_t)count * MB1_MODULE_SIZE);
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = list + (size_t)i * MB1_MODULE_SIZE;
		uint32_t start = mb_read32(e), end = mb_read32(e + 4);
		struct boot_module *mod;

		if (start > end)
			return ERR_MALFORMED;
		mod = boot_info_add_module(bi, start, end);
		if (mb1_string(m, mb_read32(e + 8), mod ? mod->cmdline : scratch,
			       sizeof(scratch), &cut, &len))
			return ERR_MALFORMED;
	}
	return 0;
}

static int mb1_mmap(const struct mb1_mem *m, const uint8_t *info, struct boot_info *bi)
{
	uint32_t length = mb_read32(info + MB1_MMAP_LENGTH), addr = mb_read32(info + MB1_MMAP_ADDR);
	const uint8_t *map;
	size_t off = 0;

	if (length == 0)
		return 0;
	map = mb1_map(m, addr, length);
	if (!map)
		return ERR_MALFORMED;
	boot_info_add_reserved(bi, addr, length);
	/* Each entry: u32 size (of the rest), u64 base, u64 length, u32 type. */
	for (unsigned count = 0; off < length; count++) {
		uint32_t size;

		if (count == MB_MAX_ITEMS || length - off < 4)
			return ERR_MALFORMED;
		size = mb_read32(map + off);
		if (size < MB1_MMAP_ENTRY_MIN)
			return ERR_MALFORMED;
		if (size > length - off - 4)
			return ERR_TRUNCATED;
		boot_info_add_mem(bi, mb_read64(map + off + 4), mb_read64(map + off + 12),
				  mb_read32(map + off + 20));
		off += (size_t)size + 4;
	}
	return 0;
}

/* A string field: copied into dst and its physical range recorded as reserved. */
static int mb1_string_field(const struct mb1_mem *m, const uint8_t *info, unsigned field,
			    char *dst, size_t cap, bool *cut, struct boot_info *bi)
{
	paddr_t pa = mb_read32(info + field);
	uint64_t len;
	bool was_cut;
	int err = mb1_string(m, pa, dst, cap, &was_cut, &len);

	if (err)
		return err;
	if (cut)
		*cut = was_cut;
	boot_info_add_reserved(bi, pa, len);
	return 0;
}

static void mb1_framebuffer(const uint8_t *info, struct boot_info *bi)
{
	struct boot_framebuffer *fb = &bi->framebuffer;

	fb->addr = mb_read64(info + MB1_FB_ADDR);
	fb->pitch = mb_read32(info + MB1_FB_PITCH);
	fb->width = mb_read32(info + MB1_FB_WIDTH);
	fb->height = mb_read32(info + MB1_FB_HEIGHT);
	fb->bpp = info[MB1_FB_BPP];
	fb->type = info[MB1_FB_TYPE];
	bi->has_framebuffer = true;
}

static int mb1_fields(const struct mb1_mem *m, const uint8_t *info, uint32_t flags,
		      struct boot_info *bi)
{
	int err = 0;

	if (flags & MB1_F_MEM) {
		bi->has_basic_mem = true;
		bi->mem_lower_kib = mb_read32(info + MB1_MEM_LOWER);
		bi->mem_upper_kib = mb_read32(info + MB1_MEM_UPPER);
	}
	if (!err && (flags & MB1_F_CMDLINE))
		err = mb1_string_field(m, info, MB1_CMDLINE, bi->cmdline, sizeof(bi->cmdline),
				       &bi->cmdline_truncated, bi);
	if (!err && (flags & MB1_F_MODS))
		err = mb1_modules(m, info, bi);
	if (!err && (flags & MB1_F_MMAP))
		err = mb1_mmap(m, info, bi);
	if (!err && (flags & MB1_F_LOADER_NAME))
		err = mb1_string_field(m, info, MB1_LOADER_NAME, bi->loader_name,
				       sizeof(bi->loader_name), NULL, bi);
	if (!err && (flags & MB1_F_FRAMEBUFFER))
		mb1_framebuffer(info, bi);
	return err;
}

int mb1_parse(paddr_t info_pa, const void *(*map)(paddr_t pa, size_t len, void *ctx), void *ctx,
	      struct boot_info *out)
{
	struct mb1_mem m = { map, ctx };
	const uint8_t *info;
	uint32_t flags;
	size_t size;
	int err;

	if (!out)
		return ERR_INVAL;
	boot_info_reset(out, BOOT_PROTO_MULTIBOOT1);
	if (!map)
		return ERR_INVAL;
	info = mb1_map(&m, info_pa, 4);
	if (!info)
		return ERR_TRUNCATED;
	flags = mb_read32(info + MB1_FLAGS);
	size = (flags & MB1_F_FRAMEBUFFER) ? MB1_INFO_SIZE_FB : MB1_INFO_SIZE;
	info = mb1_map(&m, info_pa, size);
	if (!info)
		return ERR_TRUNCATED;
	boot_info_add_reserved(out, info_pa, size);
	err = mb1_fields(&m, info, flags, out);
	if (err)
		return err;
	boot_info_basic_mem_fallback(out);
	return 0;
}
