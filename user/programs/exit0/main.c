// SPDX-License-Identifier: MIT
/*
 * exit0: the minimal process, exits 0 at once without output. Used where a
 * process is spawned many times (spawn-many, the spawn_exit benchmark).
 */
#include "rt.h"

int main(void)
{
	return 0;
}
