// SPDX-License-Identifier: MIT
/*
 * revoke-child: the other processes of the revoke scenario and of the
 * revoke_grant benchmark. What it does is picked by the names of its grants
 * (the original's run-revocable-read, and the copies it makes):
 *   "spawner" (child)   reads through its revocable "boot", sends a copy
 *                       through the Echo server "echo" and back (bounce),
 *                       leaves one with the server (keep), grants one to a
 *                       grandchild (this program again, without "spawner"),
 *                       then waits in Echo.hold until the parent has
 *                       revoked; then every copy it holds must be
 *                       DISCONNECTED, and the grandchild must say so too;
 *   "revoker"           revokes the Revoker it was given (another process
 *                       ends the parent's copies);
 *   "caps" (hoard)      wraps its revocable "boot" again under a Revoker of
 *                       its own (a nested copy), reads through it, and exits
 *                       holding both: exit releases them;
 *   "bench"             uses its revocable CapabilityManager "use" until a
 *                       use fails, then exits with the low 31 bits of the
 *                       time stamp of that failure (the revoke_grant
 *                       benchmark's end);
 *   none (grandchild)   reads through "boot", waits in Echo.hold, then
 *                       reads again, which must be DISCONNECTED.
 * Exit 0 means every expectation held; each other code names the step
 * that failed.
 */
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

static struct ipc_call c1;

static bool picked(const char *name)
{
	return capset_find(rt.capset, name) != NULL;
}

/* A BootPackage.list through cap: its result (a count of binaries, or an error). */
static int read_through(capos_cap_t cap)
{
	struct bootpkg_entry e[2];

	return bootpkg_list(cap, e, 2);
}

/* Echo.hold on echo: returns once the parent has answered the held calls. */
static int hold(capos_cap_t echo)
{
	if (echo_submit_hold(&rt.ring, &c1, echo))
		return -1;
	return ipc_call_wait(&rt.ring, &c1, CAPOS_TIMEOUT_INFINITE) < 0 ? -1 : 0;
}

static int grandchild(capos_cap_t boot, capos_cap_t echo)
{
	if (read_through(boot) <= 0)
		return 20;
	if (hold(echo))
		return 21;
	return read_through(boot) == CAPOS_ERR_DISCONNECTED ? 0 : 22;
}

/* Spawns the grandchild with a copy of boot and of echo. */
static int spawn_grandchild(capos_cap_t sp, capos_cap_t boot, capos_cap_t echo,
			    capos_cap_t *handle)
{
	const struct spawn_grant g[2] = {
		{ .name = "boot", .iface = CAPOS_IFACE_BOOT_PACKAGE, .cap = boot,
		  .mode = CAPOS_XFER_COPY },
		{ .name = "echo", .iface = echo_Echo_TYPE_ID, .cap = echo, .mode = CAPOS_XFER_COPY },
	};

	return spawner_spawn(sp, "revoke-grandchild", "revoke-child", g, 2, handle);
}

static int child(capos_cap_t boot, capos_cap_t echo, capos_cap_t sp)
{
	capos_cap_t back, gc;
	uint32_t kept;
	int64_t code;

	if (read_through(boot) <= 0)
		return 10;
	if (echo_bounce(&rt.ring, &c1, echo, boot, CAPOS_XFER_COPY, CAPOS_XFER_COPY, &back) ||
	    read_through(back) <= 0)
		return 11;
	if (echo_keep(&rt.ring, &c1, echo, &boot, 1, &kept) || kept != 1)
		return 12;
	if (spawn_grandchild(sp, boot, echo, &gc))
		return 13;
	if (hold(echo))
		return 14;
	if (read_through(boot) != CAPOS_ERR_DISCONNECTED)
		return 15;
	if (read_through(back) != CAPOS_ERR_DISCONNECTED)
		return 16;
	if (process_wait(gc, &code) || code != 0)
		return 17;
	return 0;
}

/* Wraps boot again under a Revoker of its own, reads, and exits holding everything. */
static int hoard(capos_cap_t boot, capos_cap_t caps)
{
	capos_cap_t rv, nested;

	if (cap_new_revoker(caps, &rv))
		return 30;
	if (revoker_wrap(rv, boot, CAPOS_XFER_COPY, false, CAPOS_IFACE_BOOT_PACKAGE, &nested))
		return 31;
	return read_through(nested) > 0 ? 0 : 32;
}

/* Uses its cap until it fails; the failure's time stamp is the exit code. */
static int bench(capos_cap_t use)
{
	uint32_t used, quota;
	int err;

	do
		err = cap_usage(use, &used, &quota);
	while (err == 0);
	uint64_t t = rt_rdtsc();

	return err == CAPOS_ERR_DISCONNECTED ? (int)(t & 0x7fffffff) : -1;
}

int main(void)
{
	capos_cap_t boot = rt_cap("boot", CAPOS_IFACE_BOOT_PACKAGE);
	capos_cap_t echo = rt_cap("echo", echo_Echo_TYPE_ID);

	if (picked("bench"))
		return bench(rt_cap("use", CAPOS_IFACE_CAPABILITY_MANAGER));
	if (picked("revoker"))
		return revoker_revoke(rt_cap("revoker", CAPOS_IFACE_REVOKER)) ? 40 : 0;
	if (picked("caps"))
		return hoard(boot, rt_cap("caps", CAPOS_IFACE_CAPABILITY_MANAGER));
	if (picked("spawner"))
		return child(boot, echo, rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER));
	return grandchild(boot, echo);
}
