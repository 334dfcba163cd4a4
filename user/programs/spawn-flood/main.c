// SPDX-License-Identifier: MIT
/*
 * spawn-flood: a hostile parent. It spawns `hello` (which needs its Console
 * and waits on nothing) as fast as it can without waiting for any child,
 * keeping every ProcessHandle, until the kernel refuses: by running out of
 * memory (a CapException) or of capability slots for the handles. The
 * kernel must refuse cleanly and stay up. Then it waits for and releases
 * every handle it holds, and spawns one more child to show the system
 * recovered. The kernel's leak check at exit must then find every frame and
 * heap object back. Prints "spawn-flood: PASS <n> children before refusal".
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capset.h"
#include "client.h"
#include "rt.h"

#define FLOOD_MAX 400u

static capos_cap_t handles[FLOOD_MAX];

int main(void)
{
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	struct spawn_grant g = { "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY };
	uint32_t n = 0;
	int64_t code;
	int err = 0;

	while (n < FLOOD_MAX && (err = spawner_spawn(sp, "hello", "hello", &g, 1, &handles[n])) == 0)
		n++;
	printf("spawn-flood: refused after %u children: %s\n", n, capos_strerror(err));
	if (n == FLOOD_MAX || n == 0) {
		printf("spawn-flood: FAIL expected a refusal after at least one child\n");
		return 1;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (process_wait(handles[i], &code) != 0 || code != 42 || cap_release(handles[i]) != 0) {
			printf("spawn-flood: FAIL child %u: exit code %lld\n", i, (long long)code);
			return 1;
		}
	}
	if (spawner_spawn(sp, "hello", "hello", &g, 1, &handles[0]) != 0 ||
	    process_wait(handles[0], &code) != 0 || code != 42 || cap_release(handles[0]) != 0) {
		printf("spawn-flood: FAIL no recovery after the flood\n");
		return 1;
	}
	printf("spawn-flood: PASS %u children before refusal\n", n);
	return 0;
}
