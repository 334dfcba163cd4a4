// SPDX-License-Identifier: MIT
/*
 * ipc-leak (QEMU scenario ipc-leak): 100,000 Echo calls and 1,000 round
 * trips that transfer a capability each way (copy or move, alternating),
 * against one Echo server; every answer is checked and every received cap
 * released. The kernel's verdict when init exits (frames and heap objects
 * back to their starting counts) is the leak check.
 */
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define LEAK_CALLS 100000u
#define LEAK_XFERS 1000u

static struct ipc_call c1;

static void many_calls(capos_cap_t ep)
{
	uint32_t i, ok = 0;
	uint8_t data[16];

	for (i = 0; i < LEAK_CALLS; i++) {
		memcpy(data, &i, sizeof(i));
		ok += echo_echo(&rt.ring, &c1, ep, data, 4 + i % 12) == 0;
	}
	check(ok == LEAK_CALLS, "calls_100000_answered", ok);
}

static void many_xfers(capos_cap_t ep)
{
	capos_cap_t back, mine;
	uint32_t i, ok = 0;
	uint8_t mode;

	for (i = 0; i < LEAK_XFERS; i++) {
		mode = i % 2 ? CAPOS_XFER_MOVE : CAPOS_XFER_COPY;
		if (echo_bounce(&rt.ring, &c1, ep, rt.console, CAPOS_XFER_COPY, mode, &mine))
			continue;
		if (echo_bounce(&rt.ring, &c1, ep, mine, mode, CAPOS_XFER_COPY, &back))
			continue;
		if (mode == CAPOS_XFER_COPY)
			cap_release(mine);
		ok += cap_release(back) == 0;
	}
	check(ok == LEAK_XFERS, "transfers_1000_done", ok);
}

int main(void)
{
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	uint64_t calls = 0;
	capos_cap_t h, ep;
	int64_t code = -1;

	check_init("ipc-leak");
	if (!check_err(echo_spawn(sp, rt.console, "ipc-echo", &h, &ep), 0, "spawn_server"))
		return check_done();
	many_calls(ep);
	many_xfers(ep);
	check_err(echo_stop(&rt.ring, &c1, ep, &calls), 0, "stop");
	check(calls == LEAK_CALLS + 2 * LEAK_XFERS, "server_served_every_call", (long long)calls);
	check_err(process_wait(h, &code), 0, "wait_server");
	check(code == 0, "server_exit_code", code);
	cap_release(h);
	cap_release(ep);
	return check_done();
}
