/* SPDX-License-Identifier: MIT */
/*
 * Parsers of the boot information handed over by a multiboot2 loader (GRUB)
 * and a multiboot1 loader (QEMU -kernel), both into struct boot_info. The
 * input is untrusted: every size, offset, pointer and string is checked
 * against what is mapped before it is read, every loop is bounded, and the
 * result holds copies only. On error the contents of *out are unspecified
 * (partly filled); callers treat an error as fatal.
 *
 * Errors: ERR_INVAL (NULL arguments), ERR_TRUNCATED (the information runs
 * past what is mapped or past its own declared end), ERR_MALFORMED (anything
 * else the specification forbids, or a pointer map() refuses).
 */
#ifndef CAPOS_KERNEL_BOOT_MULTIBOOT_H
#define CAPOS_KERNEL_BOOT_MULTIBOOT_H

#include "boot/bootinfo.h"

#define MB1_BOOT_MAGIC 0x2badb002	/* in eax at entry from a multiboot1 loader */
#define MB2_BOOT_MAGIC 0x36d76289	/* in eax at entry from a multiboot2 loader */
#define MB_MAX_ITEMS 4096		/* bound on tags, map entries and modules parsed */

/*
 * Multiboot2: info points at the information (physical address info_pa,
 * which the specification requires to be 8-byte aligned); mapped_len bytes
 * from info are readable. Records [info_pa, info_pa + total_size) in
 * out->reserved.
 */
__must_check int mb2_parse(const void *info, size_t mapped_len, paddr_t info_pa,
			   struct boot_info *out);

/*
 * Multiboot1: the information and everything it points to are physical
 * addresses, read through map(pa, len, ctx), which returns a pointer to len
 * readable bytes or NULL if that range is not accessible. Records the info
 * structure, module list, memory map, command line and loader name in
 * out->reserved (module strings are copied but not recorded).
 */
__must_check int mb1_parse(paddr_t info_pa,
			   const void *(*map)(paddr_t pa, size_t len, void *ctx), void *ctx,
			   struct boot_info *out);

#endif
