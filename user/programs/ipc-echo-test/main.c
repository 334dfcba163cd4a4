// SPDX-License-Identifier: MIT
/*
 * ipc-echo-test (QEMU scenario ipc-echo): the echo service end to end. As
 * init it spawns ipc-echo with a new endpoint, calls Echo.echo with empty,
 * small and 8 KiB payloads, an oversized payload (invalidArgument), an
 * unknown method ordinal (unimplemented), Echo.floats (floats.c: Float32
 * and Float64 fields and lists bit for bit), then starts ECHO_CLIENTS
 * ipc-echo-client processes that share the one server, waits for them,
 * stops the server and checks that it served every call and exited 0.
 */
#include "check.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "floats.h"
#include "rt.h"

#define ECHO_CLIENTS 4u
#define ECHO_CLIENT_CALLS 200u

static struct ipc_call call;
static uint8_t big[8193];

static void test_payloads(capos_cap_t ep)
{
	uint32_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 31 + 1);
	check_err(echo_echo(&rt.ring, &call, ep, "", 0), 0, "echo_empty");
	check_err(echo_echo(&rt.ring, &call, ep, "hello", 5), 0, "echo_hello");
	check_err(echo_echo(&rt.ring, &call, ep, big, 8192), 0, "echo_8k");
	check_err(echo_echo(&rt.ring, &call, ep, big, 8193), CAPOS_ERR_APPLICATION_EXCEPTION,
		  "echo_too_long_raises");
	check(call.exc_type == capos_CapException_Type_invalidArgument,
	      "echo_too_long_is_invalid_argument", call.exc_type);
	ipc_call_begin(&call);
	echo_Echo_stop_Params_init_root(&call.msg);
	check_err(ipc_call_run(&rt.ring, &call, ep, 99), CAPOS_ERR_APPLICATION_EXCEPTION,
		  "unknown_method_raises");
	check(call.exc_type == capos_CapException_Type_unimplemented,
	      "unknown_method_is_unimplemented", call.exc_type);
}

static void test_many_clients(capos_cap_t sp, capos_cap_t ep)
{
	capos_cap_t h[ECHO_CLIENTS];
	uint32_t i, ok = 0;
	int64_t code;
	int err;

	for (i = 0; i < ECHO_CLIENTS; i++) {
		struct spawn_grant g = { .name = "echo", .iface = echo_Echo_TYPE_ID, .cap = ep,
					 .mode = CAPOS_XFER_COPY };

		err = spawner_spawn(sp, "ipc-echo-client", "ipc-echo-client", &g, 1, &h[i]);
		if (!check_err(err, 0, "spawn_client"))
			return;
	}
	for (i = 0; i < ECHO_CLIENTS; i++) {
		err = process_wait(h[i], &code);
		if (!err && code == 0)
			ok++;
		else
			check(false, "client_exit_code", err ? err : code);
		cap_release(h[i]);
	}
	check(ok == ECHO_CLIENTS, "many_clients_one_server", ok);
}

int main(void)
{
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t h, ep;
	uint64_t calls = 0;
	int64_t code = -1;

	check_init("ipc-echo");
	if (!check_err(echo_spawn(sp, rt.console, "ipc-echo", &h, &ep), 0, "spawn_server"))
		return check_done();
	test_payloads(ep);
	test_floats(&rt.ring, &call, ep);
	test_many_clients(sp, ep);
	check_err(echo_stop(&rt.ring, &call, ep, &calls), 0, "stop");
	check(calls == 5 + FLOATS_CALLS + ECHO_CLIENTS * ECHO_CLIENT_CALLS, "server_counted_calls",
	      (long long)calls);
	check_err(process_wait(h, &code), 0, "wait_server");
	check(code == 0, "server_exit_code", code);
	cap_release(h);
	cap_release(ep);
	return check_done();
}
