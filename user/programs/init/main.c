// SPDX-License-Identifier: MIT
/*
 * init: the first process. The kernel gives it Console, BootPackage and
 * ProcessSpawner; it announces itself, lists its capabilities and the boot
 * package, spawns `hello` with a copy of its Console, waits for it and
 * reports the exit status. Output lines are what the QEMU "hello" scenario
 * matches: "init: hello exited with 42" and "init: done" on success, a line
 * starting "init: FAIL" otherwise. Exits 0 on success, 1 on any failure.
 */
#include "rt.h"

#define INIT_BINARIES_MAX 64

static void init_list_caps(void)
{
	uint32_t i, n = rt.capset ? rt.capset->count : 0;

	printf("init: %u capabilities\n", n);
	for (i = 0; i < n; i++) {
		const struct capos_capset_entry *e = &rt.capset->entries[i];

		printf("init:   %-16s iface %016llx cap %08x\n", (const char *)e->name,
		       (unsigned long long)e->interface_id, e->cap_id);
	}
}

static void init_list_package(capos_cap_t bp)
{
	static struct bootpkg_entry bins[INIT_BINARIES_MAX];
	int i, n = bootpkg_list(bp, bins, INIT_BINARIES_MAX);

	if (n < 0) {
		printf("init: BootPackage.list failed: %s\n", capos_strerror(n));
		return;
	}
	printf("init: boot package holds %d binaries\n", n);
	for (i = 0; i < n && i < INIT_BINARIES_MAX; i++)
		printf("init:   %-16s %llu bytes\n", bins[i].name,
		       (unsigned long long)bins[i].size);
}

static int init_fail(const char *what, int err)
{
	printf("init: FAIL %s: %s", what, capos_strerror(err));
	if (err == CAPOS_ERR_APPLICATION_EXCEPTION)
		printf(" (%s)", client_exception()->reason);
	printf("\n");
	return 1;
}

int main(void)
{
	capos_cap_t bp = rt_cap("boot", CAPOS_IFACE_BOOT_PACKAGE);
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	struct spawn_grant g = { "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY };
	capos_cap_t child;
	int64_t code;
	int err;

	printf("init: capOS init running (pid %llu)\n", (unsigned long long)rt.pid);
	init_list_caps();
	if (bp == CAPOS_CAP_INVALID)
		bp = capset_get_any(rt.capset, CAPOS_IFACE_BOOT_PACKAGE);
	if (sp == CAPOS_CAP_INVALID)
		sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	if (bp != CAPOS_CAP_INVALID)
		init_list_package(bp);
	if (sp == CAPOS_CAP_INVALID || rt.console == CAPOS_CAP_INVALID)
		return init_fail("no ProcessSpawner or Console", CAPOS_ERR_INVALID_CAP);
	err = spawner_spawn(sp, "hello", "hello", &g, 1, &child);
	if (err)
		return init_fail("spawn hello", err);
	err = process_wait(child, &code);
	if (err)
		return init_fail("wait hello", err);
	printf("init: hello exited with %lld\n", (long long)code);
	cap_release(child);
	if (code != 42)
		return init_fail("hello exit status", CAPOS_ERR_INVALID_ARGUMENT);
	printf("init: done\n");
	return 0;
}
