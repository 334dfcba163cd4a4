/* SPDX-License-Identifier: MIT */
/*
 * What the kernel learns from its boot loader, in one loader-neutral shape.
 * mb2_parse (GRUB, multiboot2) and mb1_parse (QEMU -kernel, multiboot1) fill
 * it from untrusted memory; everything here is a copy, so the boot loader's
 * structures may be overwritten once parsing is done, except the ranges listed
 * in `reserved` (the boot information itself) which the frame allocator keeps
 * out until the kernel says otherwise, and the modules' contents.
 *
 * Every table has a fixed capacity; entries beyond it are counted in the
 * matching *_dropped field instead of being stored, and strings longer than
 * their buffer are cut (always NUL-terminated) and flagged.
 */
#ifndef CAPOS_KERNEL_BOOT_BOOTINFO_H
#define CAPOS_KERNEL_BOOT_BOOTINFO_H

#include "lib/types.h"

#define BOOT_MAX_MEM_REGIONS 128
#define BOOT_MAX_MODULES 16
#define BOOT_MAX_RESERVED 8
#define BOOT_CMDLINE_MAX 256
#define BOOT_MODULE_CMDLINE_MAX 128
#define BOOT_LOADER_NAME_MAX 64
#define BOOT_RSDP_MAX 36		/* ACPI 2.0+ RSDP; ACPI 1.0 uses the first 20 bytes */

/* Memory region types, numbered as multiboot (and the BIOS E820 call) number them. */
enum {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIMABLE = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

enum {
	BOOT_PROTO_MULTIBOOT1 = 1,
	BOOT_PROTO_MULTIBOOT2 = 2,
};

struct boot_mem_region {
	paddr_t base;		/* first byte (firmware value, not rounded) */
	uint64_t len;		/* bytes; may be 0 or run past 2^64 in hostile maps */
	uint32_t type;		/* BOOT_MEM_*; unknown types are kept and count as unusable */
};

struct boot_module {
	paddr_t start;		/* first byte */
	paddr_t end;		/* one past the last byte; start <= end is checked */
	char cmdline[BOOT_MODULE_CMDLINE_MAX];	/* the module's string, NUL-terminated */
};

struct boot_framebuffer {
	paddr_t addr;		/* physical address of the pixels */
	uint32_t pitch;		/* bytes per line */
	uint32_t width;		/* pixels (or characters for EGA text) */
	uint32_t height;
	uint8_t bpp;		/* bits per pixel */
	uint8_t type;		/* 0 indexed, 1 RGB, 2 EGA text (multiboot numbering) */
};

struct boot_info {
	uint32_t protocol;			/* BOOT_PROTO_* */

	struct boot_mem_region mem[BOOT_MAX_MEM_REGIONS];
	size_t mem_count;
	size_t mem_dropped;			/* regions beyond capacity */

	struct boot_module modules[BOOT_MAX_MODULES];
	size_t module_count;
	size_t module_dropped;

	/* Physical memory holding the boot information (tags, mmap, module list, strings). */
	struct phys_range reserved[BOOT_MAX_RESERVED];
	size_t reserved_count;
	size_t reserved_dropped;

	char cmdline[BOOT_CMDLINE_MAX];		/* kernel command line, "" if none */
	bool cmdline_truncated;
	char loader_name[BOOT_LOADER_NAME_MAX];	/* "" if none */

	bool has_basic_mem;			/* mem_lower/upper valid */
	uint32_t mem_lower_kib;			/* conventional memory below 1 MiB */
	uint32_t mem_upper_kib;			/* memory from 1 MiB to the first hole */

	bool has_rsdp;				/* multiboot2 ACPI tag seen */
	uint8_t rsdp_revision;			/* 1: old RSDP tag (20 bytes), 2: new (36) */
	uint32_t rsdp_len;			/* valid bytes in rsdp */
	uint8_t rsdp[BOOT_RSDP_MAX];		/* copy of the RSDP structure */

	bool has_framebuffer;
	struct boot_framebuffer framebuffer;
};

/*
 * Building blocks for the parsers (bootinfo.c). Each add function stores the
 * item if there is room and counts it as dropped otherwise.
 */
void boot_info_reset(struct boot_info *bi, uint32_t protocol);
void boot_info_add_mem(struct boot_info *bi, paddr_t base, uint64_t len, uint32_t type);
/* Returns the new module (cmdline empty), or NULL when the table is full. */
struct boot_module *boot_info_add_module(struct boot_info *bi, paddr_t start, paddr_t end);
void boot_info_add_reserved(struct boot_info *bi, paddr_t base, uint64_t len);
/* Without a memory map, derives one from mem_lower/mem_upper (if known). */
void boot_info_basic_mem_fallback(struct boot_info *bi);
/* Copies n bytes of s into dst (capacity cap > 0), NUL-terminated; true if cut. */
bool boot_info_copy_str(char *dst, size_t cap, const char *s, size_t n);

#endif
