// SPDX-License-Identifier: MIT
/*
 * hello: the smallest useful process. Prints one line and exits with status
 * 42, which its parent reads back through its ProcessHandle (the M3 "hello"
 * proof). The line goes wherever the runtime points printf: the Console it
 * was granted (the system log), else the TerminalSession granted as
 * "terminal" (the user's terminal, when the shell runs it); with neither it
 * is dropped and the exit code still tells.
 */
#include "rt.h"

#define HELLO_EXIT_CODE 42

int main(void)
{
	printf("hello from pid %llu\n", (unsigned long long)rt.pid);
	return HELLO_EXIT_CODE;
}
