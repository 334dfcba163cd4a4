// SPDX-License-Identifier: MIT
/*
 * fault-pf: writes to the never-mapped null guard page. The kernel must end
 * this process only (its ProcessHandle reports -1). Exits 1 if it survives.
 */
#include "rt.h"

int main(void)
{
	uintptr_t addr = 0x10;
	volatile uint64_t *p;

	/* Launder the address so gcc does not reason about a constant pointer. */
	__asm__("" : "+r"(addr));
	p = (volatile uint64_t *)addr;

	printf("fault-pf: writing to 0x10\n");
	*p = 1;
	printf("fault-pf: FAIL survived a page fault\n");
	return 1;
}
