// SPDX-License-Identifier: MIT
/*
 * fault-stack: recurses with 4 KiB frames until the stack runs into unmapped
 * memory (64 KiB mapped at spawn, 8 MiB reserved, nothing below). The kernel
 * must end this process only. Exits 1 if the recursion ever returns.
 */
#include "rt.h"

/* Never reached in practice (2^40 frames); it only gives the recursion an end gcc can see. */
static volatile uint64_t fault_limit = 1ull << 40;

static __attribute__((noinline)) uint64_t fault_recurse(uint64_t depth)
{
	volatile uint8_t frame[4096];

	frame[0] = (uint8_t)depth;
	frame[sizeof(frame) - 1] = (uint8_t)depth;
	if (depth == fault_limit)
		return 0;
	return fault_recurse(depth + 1) + frame[0] + frame[sizeof(frame) - 1];
}

int main(void)
{
	printf("fault-stack: recursing without bound\n");
	printf("fault-stack: FAIL recursion returned %llu\n",
	       (unsigned long long)fault_recurse(0));
	return 1;
}
