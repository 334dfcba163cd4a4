// SPDX-License-Identifier: MIT
/*
 * spin: never yields, never exits. The preemption scenario runs it next to
 * another process, which must still make progress (preempt-check); the
 * shell scenarios run it in the foreground and end it with Ctrl-C or kill.
 * It says it is spinning once (on its "terminal" when it has one, a child
 * of the shell; else through printf) and then makes no calls at all.
 */
#include "rt.h"
#include "terminal.h"

int main(void)
{
	capos_cap_t term = rt_cap("terminal", CAPOS_IFACE_TERMINAL_SESSION);
	volatile uint64_t n = 0;

	if (term != CAPOS_CAP_INVALID)
		(void)terminal_puts(term, "spin: spinning\n");
	else
		printf("spin: spinning\n");
	for (;;)
		n++;
}
