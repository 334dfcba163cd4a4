// SPDX-License-Identifier: MIT
/*
 * echo-args: prints its arguments (rt_argc/rt_argv), one line each, and
 * exits with their number, so a parent or the shell can see exactly what
 * arrived. An argument longer than ECHO_SHOW bytes is shown by its length
 * and its first and last byte (a 895-byte one would flood the log).
 */
#include "rt.h"

#define ECHO_SHOW 64u

static void echo_arg(int i, const char *a)
{
	size_t len = strlen(a);

	if (len <= ECHO_SHOW) {
		printf("echo-args: [%d] \"%s\"\n", i, a);
		return;
	}
	printf("echo-args: [%d] %u bytes %c..%c\n", i, (unsigned)len, a[0], a[len - 1]);
}

int main(void)
{
	printf("echo-args: %d args\n", rt_argc());
	for (int i = 0; i < rt_argc(); i++)
		echo_arg(i, rt_argv(i));
	if (rt_argv(rt_argc()) != NULL || rt_argv(-1) != NULL)
		printf("echo-args: rt_argv out of range is not NULL\n");
	return rt_argc();
}
