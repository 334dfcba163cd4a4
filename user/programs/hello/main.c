// SPDX-License-Identifier: MIT
/*
 * hello: the smallest useful process. Prints one line through the Console it
 * was granted and exits with status 42, which init reads back through its
 * ProcessHandle (the M3 "hello" proof).
 */
#include "rt.h"

#define HELLO_EXIT_CODE 42

int main(void)
{
	printf("hello from pid %llu\n", (unsigned long long)rt.pid);
	return HELLO_EXIT_CODE;
}
