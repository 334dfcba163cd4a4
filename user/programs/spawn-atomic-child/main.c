// SPDX-License-Identifier: MIT
/*
 * spawn-atomic-child: the child of the spawn-atomic scenario. It prints the
 * name of its first grant and how many it has, and exits with that count.
 * spawn-atomic names the first grant "must-not-run" in every spawn that must
 * fail, so the scenario rejects any line saying such a child ran.
 */
#include "rt.h"

int main(void)
{
	uint32_t n = rt.capset ? rt.capset->count : 0;
	const char *first = n ? (const char *)rt.capset->entries[0].name : "(none)";

	printf("spawn-atomic-child: ran as %s with %u caps\n", first, n);
	return (int)n;
}
