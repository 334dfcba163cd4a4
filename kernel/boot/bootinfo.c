// SPDX-License-Identifier: MIT
/*
 * Filling struct boot_info: the bounded tables and strings every boot
 * protocol parser shares. Nothing here reads boot loader memory; the parsers
 * validate what they read and hand over plain values.
 */
#include "boot/bootinfo.h"

void boot_info_reset(struct boot_info *bi, uint32_t protocol)
{
	*bi = (struct boot_info){ 0 };
	bi->protocol = protocol;
}

void boot_info_add_mem(struct boot_info *bi, paddr_t base, uint64_t len, uint32_t type)
{
	if (bi->mem_count == BOOT_MAX_MEM_REGIONS) {
		bi->mem_dropped++;
		return;
	}
	bi->mem[bi->mem_count++] = (struct boot_mem_region){ base, len, type };
}

struct boot_module *boot_info_add_module(struct boot_info *bi, paddr_t start, paddr_t end)
{
	struct boot_module *m;

	if (bi->module_count == BOOT_MAX_MODULES) {
		bi->module_dropped++;
		return NULL;
	}
	m = &bi->modules[bi->module_count++];
	m->start = start;
	m->end = end;
	m->cmdline[0] = '\0';
	return m;
}

void boot_info_add_reserved(struct boot_info *bi, paddr_t base, uint64_t len)
{
	if (bi->reserved_count == BOOT_MAX_RESERVED) {
		bi->reserved_dropped++;
		return;
	}
	bi->reserved[bi->reserved_count++] = (struct phys_range){ base, len };
}

void boot_info_basic_mem_fallback(struct boot_info *bi)
{
	if (bi->mem_count != 0 || !bi->has_basic_mem)
		return;
	boot_info_add_mem(bi, 0, (uint64_t)bi->mem_lower_kib << 10, BOOT_MEM_USABLE);
	boot_info_add_mem(bi, 0x100000, (uint64_t)bi->mem_upper_kib << 10, BOOT_MEM_USABLE);
}

bool boot_info_copy_str(char *dst, size_t cap, const char *s, size_t n)
{
	size_t k = n < cap - 1 ? n : cap - 1;

	for (size_t i = 0; i < k; i++)
		dst[i] = s[i];
	dst[k] = '\0';
	return k < n;
}
