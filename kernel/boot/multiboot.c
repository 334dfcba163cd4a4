// SPDX-License-Identifier: MIT
/*
 * Multiboot2 boot information parser (see multiboot.h for the contract).
 *
 * Layout: u32 total_size, u32 reserved, then tags, each u32 type, u32 size
 * (header included, padding excluded), the next one at the following 8-byte
 * boundary, ending with a tag of type 0. Each tag handler gets a tag whose
 * size has been checked against the end of the information, so it only has
 * to check that size against its own minimum. Unknown tags are skipped.
 */
#include "boot/mb_read.h"
#include "boot/multiboot.h"
#include "lib/errno.h"

enum {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER_NAME = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_BASIC_MEMINFO = 4,
	MB2_TAG_MMAP = 6,
	MB2_TAG_FRAMEBUFFER = 8,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
};

#define MB2_HEADER_SIZE 8
#define MB2_MMAP_HEADER 16	/* tag header + entry_size + entry_version */
#define MB2_MMAP_ENTRY_MIN 24	/* u64 base, u64 length, u32 type, u32 reserved */
#define MB2_RSDP_V1_LEN 20
#define MB2_RSDP_V2_LEN 36

/* A tag whose size lies within the information. */
struct mb2_tag {
	const uint8_t *p;	/* tag start (type field) */
	uint32_t type;
	uint32_t size;		/* >= 8, header included */
};

/* Copies the NUL-terminated string at p (len bytes available); error if no NUL. */
static int mb2_string(const uint8_t *p, size_t len, char *dst, size_t cap, bool *cut)
{
	size_t n = 0;
	bool was_cut;

	while (n < len && p[n] != '\0')
		n++;
	if (n == len)
		return ERR_MALFORMED;
	was_cut = boot_info_copy_str(dst, cap, (const char *)p, n);
	if (cut)
		*cut = was_cut;
	return 0;
}

static int mb2_module(const struct mb2_tag *t, struct boot_info *bi)
{
	uint32_t start, end;
	struct boot_module *m;
	char scratch[1];

	if (t->size < 17)
		return ERR_MALFORMED;
	start = mb_read32(t->p + 8);
	end = mb_read32(t->p + 12);
	if (start > end)
		return ERR_MALFORMED;
	m = boot_info_add_module(bi, start, end);
	if (!m)		/* full: still validate the string */
		return mb2_string(t->p + 16, t->size - 16, scratch, sizeof(scratch), NULL);
	return mb2_string(t->p + 16, t->size - 16, m->cmdline, sizeof(m->cmdline), NULL);
}

static int mb2_meminfo(const struct mb2_tag *t, struct boot_info *bi)
{
	if (t->size < 16)
		return ERR_MALFORMED;
	bi->has_basic_mem = true;
	bi->mem_lower_kib = mb_read32(t->p + 8);
	bi->mem_upper_kib = mb_read32(t->p + 12);
	return 0;
}

static int mb2_mmap(const struct mb2_tag *t, struct boot_info *bi)
{
	uint32_t esz, body, n;

	if (t->size < MB2_MMAP_HEADER)
		return ERR_MALFORMED;
	esz = mb_read32(t->p + 8);
	if (esz < MB2_MMAP_ENTRY_MIN || esz % 8 != 0)
		return ERR_MALFORMED;
	body = t->size - MB2_MMAP_HEADER;
	if (body % esz != 0)
		return ERR_MALFORMED;
	n = body / esz;
	if (n > MB_MAX_ITEMS)
		return ERR_MALFORMED;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = t->p + MB2_MMAP_HEADER + (size_t)i * esz;

		boot_info_add_mem(bi, mb_read64(e), mb_read64(e + 8), mb_read32(e + 16));
	}
	return 0;
}

static int mb2_framebuffer(const struct mb2_tag *t, struct boot_info *bi)
{
	struct boot_framebuffer *fb = &bi->framebuffer;

	if (t->size < 31)
		return ERR_MALFORMED;
	fb->addr = mb_read64(t->p + 8);
	fb->pitch = mb_read32(t->p + 16);
	fb->width = mb_read32(t->p + 20);
	fb->height = mb_read32(t->p + 24);
	fb->bpp = t->p[28];
	fb->type = t->p[29];
	bi->has_framebuffer = true;
	return 0;
}

/* The RSDP copy; a new (ACPI 2.0+) tag wins over an old one in either order. */
static int mb2_acpi(const struct mb2_tag *t, struct boot_info *bi, uint8_t revision)
{
	uint32_t len = revision == 2 ? MB2_RSDP_V2_LEN : MB2_RSDP_V1_LEN;

	if (t->size < 8 + len)
		return ERR_MALFORMED;
	if (bi->has_rsdp && bi->rsdp_revision > revision)
		return 0;
	for (uint32_t i = 0; i < len; i++)
		bi->rsdp[i] = t->p[8 + i];
	bi->rsdp_len = len;
	bi->rsdp_revision = revision;
	bi->has_rsdp = true;
	return 0;
}

static int mb2_tag(const struct mb2_tag *t, struct boot_info *bi)
{
	switch (t->type) {
	case MB2_TAG_CMDLINE:
		return mb2_string(t->p + 8, t->size - 8, bi->cmdline, sizeof(bi->cmdline),
				  &bi->cmdline_truncated);
	case MB2_TAG_LOADER_NAME:
		return mb2_string(t->p + 8, t->size - 8, bi->loader_name,
				  sizeof(bi->loader_name), NULL);
	case MB2_TAG_MODULE:
		return mb2_module(t, bi);
	case MB2_TAG_BASIC_MEMINFO:
		return mb2_meminfo(t, bi);
	case MB2_TAG_MMAP:
		return mb2_mmap(t, bi);
	case MB2_TAG_FRAMEBUFFER:
		return mb2_framebuffer(t, bi);
	case MB2_TAG_ACPI_OLD:
		return mb2_acpi(t, bi, 1);
	case MB2_TAG_ACPI_NEW:
		return mb2_acpi(t, bi, 2);
	default:
		return 0;
	}
}

/* Walks the tags in [8, total); requires an end tag before total. */
static int mb2_walk(const uint8_t *p, uint32_t total, struct boot_info *bi)
{
	size_t off = MB2_HEADER_SIZE;

	for (unsigned count = 0; count < MB_MAX_ITEMS; count++) {
		struct mb2_tag t;
		size_t step;
		int err;

		if (total - off < 8)
			return ERR_TRUNCATED;
		t = (struct mb2_tag){ p + off, mb_read32(p + off), mb_read32(p + off + 4) };
		if (t.size < 8)
			return ERR_MALFORMED;
		if (t.size > total - off)
			return ERR_TRUNCATED;
		if (t.type == MB2_TAG_END)
			return 0;
		err = mb2_tag(&t, bi);
		if (err)
			return err;
		step = ((size_t)t.size + 7) & ~(size_t)7;
		if (step > total - off)
			return ERR_TRUNCATED;
		off += step;
	}
	return ERR_MALFORMED;
}

int mb2_parse(const void *info, size_t mapped_len, paddr_t info_pa, struct boot_info *out)
{
	const uint8_t *p = info;
	uint32_t total;
	int err;

	if (!out)
		return ERR_INVAL;
	boot_info_reset(out, BOOT_PROTO_MULTIBOOT2);
	if (!info)
		return ERR_INVAL;
	if (mapped_len < MB2_HEADER_SIZE)
		return ERR_TRUNCATED;
	total = mb_read32(p);
	if (total < MB2_HEADER_SIZE + 8 || (info_pa & 7) != 0)
		return ERR_MALFORMED;
	if (total > mapped_len)
		return ERR_TRUNCATED;
	err = mb2_walk(p, total, out);
	if (err)
		return err;
	boot_info_basic_mem_fallback(out);
	boot_info_add_reserved(out, info_pa, total);
	return 0;
}
