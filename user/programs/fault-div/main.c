// SPDX-License-Identifier: MIT
/*
 * fault-div: divides by zero (#DE) with an explicit div instruction, so the
 * compiler cannot fold it away. The kernel must end this process only.
 * Exits 1 if it survives.
 */
#include "rt.h"

int main(void)
{
	uint32_t lo = 1, hi = 0, zero = 0;

	printf("fault-div: dividing by zero\n");
	__asm__ __volatile__("divl %2" : "+a"(lo), "+d"(hi) : "r"(zero));
	printf("fault-div: FAIL survived a divide error (%u)\n", lo);
	return 1;
}
