// SPDX-License-Identifier: MIT
/*
 * unmap-check (QEMU scenarios unmap-touch, -smp2, -smp4; make stress): a
 * process's threads touch a region while its first thread unmaps it
 * (unmap-touchers). Each round spawns one with 6 touchers and must see it
 * end with exitFault (a toucher's #PF after the unmap), never with one of
 * its own codes: 7 a read through a stale translation after the unmap had
 * returned, 8/9 wrong data before it, 3 no fault at all. Rounds: the
 * argument (init_arg=N on the kernel command line), default 4. The verdict
 * is also the kernel's leak check at init's exit.
 */
#include "capos.capnp.h"
#include "check.h"
#include "rt.h"

/* One unmap-touchers run: its exit code, or 1000 + the spawn's error. */
static int64_t run_touchers(capos_cap_t sp)
{
	static const char *const argv[1] = { "6" };
	struct spawn_args args = { .argv = argv, .argc = 1 };
	struct spawn_grant g[2] = {
		{ .name = "console", .iface = CAPOS_IFACE_CONSOLE, .cap = rt.console,
		  .mode = CAPOS_XFER_COPY },
		{ .name = "threads", .iface = CAPOS_IFACE_THREAD_SPAWNER,
		  .cap = rt_cap("threads", CAPOS_IFACE_THREAD_SPAWNER), .mode = CAPOS_XFER_COPY },
	};
	capos_cap_t h;
	int64_t code = 0;
	int err = spawner_spawn_args(sp, "unmap-touchers", "unmap-touchers", &args, g, 2, &h, NULL);

	if (err)
		return 1000 - err;
	err = process_wait(h, &code);
	(void)cap_release(h);
	return err ? 2000 - err : code;
}

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	uint32_t rounds = (uint32_t)rt_argv_u64(0, 4), faulted = 0;
	int64_t code = 0;

	check_init("unmap");
	for (uint32_t r = 0; r < rounds; r++) {
		code = run_touchers(sp);
		if (code != capos_ProcessHandle_exitFault)
			break;
		faulted++;
	}
	check(faulted == rounds, "touchers_fault_after_unmap_every_round", code);
	check_note("rounds", (long long)faulted);
	return check_done();
}
