// SPDX-License-Identifier: MIT
/*
 * preempt-check: preemption. Spawns `spin` (which never yields) and then
 * `hello`; hello can only run, print and exit 42 if the scheduler preempts
 * spin. Waits for hello and prints "preempt-check: PASS" (exit 0) or a FAIL
 * line (exit 1). spin keeps running; the scenario ends QEMU.
 */
#include "rt.h"

static int preempt_fail(const char *what, int err)
{
	printf("preempt-check: FAIL %s: %s\n", what, capos_strerror(err));
	return 1;
}

int main(void)
{
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	struct spawn_grant g = { "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY };
	capos_cap_t spin, hello;
	int64_t code;
	int err;

	if (sp == CAPOS_CAP_INVALID)
		return preempt_fail("no ProcessSpawner", CAPOS_ERR_INVALID_CAP);
	err = spawner_spawn(sp, "spin", "spin", &g, 1, &spin);
	if (err)
		return preempt_fail("spawn spin", err);
	err = spawner_spawn(sp, "hello", "hello", &g, 1, &hello);
	if (err)
		return preempt_fail("spawn hello", err);
	err = process_wait(hello, &code);
	if (err)
		return preempt_fail("wait hello", err);
	if (code != 42)
		return preempt_fail("hello exit code", CAPOS_ERR_INVALID_ARGUMENT);
	printf("preempt-check: PASS hello ran next to a spinning process\n");
	return 0;
}
