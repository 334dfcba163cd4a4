// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the multiboot1 parser: the input is a window of
 * physical memory starting at FUZZ_MB1_BASE, with the information structure
 * at its start; map() grants only ranges inside the window, so every pointer
 * the input contains is tried against real bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/multiboot.h"

#define FUZZ_MB1_BASE 0x1000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_mb1_window {
	const uint8_t *data;
	size_t size;
};

static const void *fuzz_mb1_map(paddr_t pa, size_t len, void *ctx)
{
	const struct fuzz_mb1_window *w = ctx;

	if (pa < FUZZ_MB1_BASE || pa - FUZZ_MB1_BASE > w->size ||
	    len > w->size - (pa - FUZZ_MB1_BASE))
		return NULL;
	return w->data + (pa - FUZZ_MB1_BASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	struct fuzz_mb1_window w = { data, size };

	if (mb1_parse(FUZZ_MB1_BASE, fuzz_mb1_map, &w, &bi) != 0)
		return 0;
	if (bi.mem_count > BOOT_MAX_MEM_REGIONS || bi.module_count > BOOT_MAX_MODULES ||
	    strlen(bi.cmdline) >= BOOT_CMDLINE_MAX || bi.reserved_count > BOOT_MAX_RESERVED)
		abort();
	for (size_t i = 0; i < bi.module_count; i++) {
		if (bi.modules[i].start > bi.modules[i].end)
			abort();
	}
	return 0;
}
