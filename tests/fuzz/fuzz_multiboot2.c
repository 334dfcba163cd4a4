// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the multiboot2 parser: the input is the boot
 * information, mapped exactly (so any read past it is an ASan report).
 * Parsed results must respect the documented bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/multiboot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_mb2_check(const struct boot_info *bi)
{
	if (bi->mem_count > BOOT_MAX_MEM_REGIONS || bi->module_count > BOOT_MAX_MODULES ||
	    strlen(bi->cmdline) >= BOOT_CMDLINE_MAX || bi->reserved_count != 1)
		abort();
	for (size_t i = 0; i < bi->module_count; i++) {
		if (bi->modules[i].start > bi->modules[i].end)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;

	if (mb2_parse(data, size, 0x10000, &bi) == 0)
		fuzz_mb2_check(&bi);
	return 0;
}
