// SPDX-License-Identifier: MIT
/*
 * fault-check: fault isolation. Spawns each fault-* program with a Console,
 * expects the kernel to end it with exit code -1 (ProcessHandle.wait), and
 * finally spawns hello, which must still run and exit 42: a fault in one
 * process ends only that process. One PASS/FAIL line per program, then
 * "fault-check: PASS" (exit 0) or "fault-check: FAIL" (exit 1).
 */
#include "rt.h"

struct fault_case {
	const char *binary;
	int64_t want;		/* expected exit code */
};

static const struct fault_case fault_cases[] = {
	{ "fault-pf", -1 },
	{ "fault-priv", -1 },
	{ "fault-div", -1 },
	{ "fault-stack", -1 },
	{ "hello", 42 },
};

static int fault_run(capos_cap_t sp, const struct fault_case *fc)
{
	struct spawn_grant g = { "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY };
	capos_cap_t h;
	int64_t code;
	int err;

	err = spawner_spawn(sp, fc->binary, fc->binary, &g, 1, &h);
	if (!err)
		err = process_wait(h, &code);
	if (err) {
		printf("FAIL %s: %s\n", fc->binary, capos_strerror(err));
		return 1;
	}
	cap_release(h);
	if (code != fc->want) {
		printf("FAIL %s: exit code %lld, want %lld\n", fc->binary, (long long)code,
		       (long long)fc->want);
		return 1;
	}
	printf("PASS %s: exit code %lld\n", fc->binary, (long long)code);
	return 0;
}

int main(void)
{
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	uint32_t i;
	int fails = 0;

	if (sp == CAPOS_CAP_INVALID) {
		printf("fault-check: FAIL no ProcessSpawner\n");
		return 1;
	}
	for (i = 0; i < sizeof(fault_cases) / sizeof(fault_cases[0]); i++)
		fails += fault_run(sp, &fault_cases[i]);
	printf("fault-check: %s\n", fails ? "FAIL" : "PASS");
	return fails ? 1 : 0;
}
