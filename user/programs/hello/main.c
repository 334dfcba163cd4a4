// SPDX-License-Identifier: MIT
/*
 * hello: the smallest useful process. Prints one line and exits with status
 * 42, which its parent reads back through its ProcessHandle (the M3 "hello"
 * proof). The line goes wherever the runtime points printf: the Console it
 * was granted (the system log), else the TerminalSession granted as
 * "terminal" (the user's terminal, when the shell runs it); with neither it
 * is dropped and the exit code still tells. Its arguments, if it was given
 * any (`run "hello" "a b"`), follow, one line each.
 */
#include "rt.h"

#define HELLO_EXIT_CODE 42

int main(void)
{
	printf("hello from pid %llu\n", (unsigned long long)rt.pid);
	for (int i = 0; i < rt_argc(); i++)
		printf("hello: arg %d \"%s\"\n", i, rt_argv(i));
	return HELLO_EXIT_CODE;
}
