// SPDX-License-Identifier: MIT
/*
 * echo-demo: the client in the default service graph (system/default.capnp).
 * Init starts it after the echo service and gives it exactly a Console and
 * a client facet of the service's endpoint, granted as "echo"; it lists what
 * it holds (to show there is nothing else), makes one Echo.echo call, then
 * asks the service to stop (Echo.stop), so that the demonstration graph ends
 * and init with it. Exits 0, or 1 with the failing step printed.
 */
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

static struct ipc_call call;

static void demo_list_caps(void)
{
	uint32_t n = rt.capset ? rt.capset->count : 0;

	printf("echo-demo: holds %u capabilities:", n);
	for (uint32_t i = 0; i < n; i++)
		printf(" %s", (const char *)rt.capset->entries[i].name);
	printf("\n");
}

int main(void)
{
	static const char text[] = "hello through the echo service";
	capos_cap_t echo = rt_cap("echo", echo_Echo_TYPE_ID);
	uint64_t calls;
	int err;

	demo_list_caps();
	if (echo == CAPOS_CAP_INVALID) {
		printf("echo-demo: FAIL no Echo capability granted as \"echo\"\n");
		return 1;
	}
	err = echo_echo(&rt.ring, &call, echo, text, sizeof(text) - 1);
	if (err) {
		printf("echo-demo: FAIL Echo.echo: %s\n", capos_strerror(err));
		return 1;
	}
	printf("echo-demo: the echo service answered \"%s\"\n", text);
	err = echo_stop(&rt.ring, &call, echo, &calls);
	if (err) {
		printf("echo-demo: FAIL Echo.stop: %s\n", capos_strerror(err));
		return 1;
	}
	printf("echo-demo: stopped the echo service after %llu calls\n", (unsigned long long)calls);
	return 0;
}
