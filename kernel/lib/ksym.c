// SPDX-License-Identifier: MIT
/*
 * Symbol lookup over the table that scripts/ksyms.sh generates from the
 * first link of the kernel: addresses sorted ascending, each with an offset
 * into one string blob. Binary search, no allocation, safe in fault handlers.
 */
#include "lib/ksym.h"

struct ksym {
	uint64_t addr;
	uint64_t name;	/* offset into ksym_names */
};

extern const struct ksym ksym_table[];
extern const uint64_t ksym_count;
extern const char ksym_names[];
extern char __text_start[], __text_end[];

bool ksym_lookup(uint64_t addr, const char **name, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksym_count;

	if (addr < (uint64_t)__text_start || addr >= (uint64_t)__text_end || ksym_count == 0)
		return false;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (ksym_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksym_table[lo].addr > addr)
		return false;
	*name = ksym_names + ksym_table[lo].name;
	*offset = addr - ksym_table[lo].addr;
	return true;
}
