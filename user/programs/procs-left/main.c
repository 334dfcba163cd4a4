// SPDX-License-Identifier: MIT
/*
 * procs-left: leaves a process behind, for the kernel's leak check. As init
 * (it has a ProcessSpawner) it spawns itself as `procs-left-child` with only
 * a Console and exits 0 at once; the child, with no spawner, blocks forever
 * in cap_enter waiting for a completion nothing will post. The procs-left
 * scenarios check that the run passes only when the command line declares
 * the child (procs_left=1).
 */
#include "rt.h"

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	struct spawn_grant g = { "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY };
	capos_cap_t child;
	int err;

	if (sp == CAPOS_CAP_INVALID) {
		printf("procs-left: child blocking forever\n");
		for (;;)
			uring_sys_enter(1, CAPOS_TIMEOUT_INFINITE);
	}
	err = spawner_spawn(sp, "procs-left-child", "procs-left", &g, 1, &child);
	if (err) {
		printf("procs-left: FAIL spawn: %s\n", capos_strerror(err));
		return 1;
	}
	printf("procs-left: exiting with a child left behind\n");
	return 0;
}
