// SPDX-License-Identifier: MIT
/*
 * fault-priv: executes a privileged instruction (hlt, #GP in ring 3). The
 * kernel must end this process only. Exits 1 if it survives.
 */
#include "rt.h"

int main(void)
{
	printf("fault-priv: executing hlt in user mode\n");
	__asm__ __volatile__("hlt");
	printf("fault-priv: FAIL survived a privileged instruction\n");
	return 1;
}
