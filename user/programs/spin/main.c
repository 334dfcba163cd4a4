// SPDX-License-Identifier: MIT
/*
 * spin: never yields, never exits. The preemption scenario runs it next to
 * another process, which must still make progress (preempt-check).
 */
#include "rt.h"

int main(void)
{
	volatile uint64_t n = 0;

	printf("spin: spinning\n");
	for (;;)
		n++;
}
