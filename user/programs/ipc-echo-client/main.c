// SPDX-License-Identifier: MIT
/*
 * ipc-echo-client: one of the many clients of the ipc-echo scenario. It
 * calls Echo.echo (granted as "echo") ECHO_CLIENT_CALLS times with payloads
 * that differ per call and per process, checks each answer, and exits 0, or
 * with the number of the first call that failed (plus 1000 for a wrong
 * answer, 2000 for a transport error).
 */
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define ECHO_CLIENT_CALLS 200u

static struct ipc_call call;

int main(void)
{
	capos_cap_t ep = rt_cap("echo", echo_Echo_TYPE_ID);
	uint8_t data[64];
	uint32_t i, j;
	int err;

	if (ep == CAPOS_CAP_INVALID)
		return 3;
	for (i = 0; i < ECHO_CLIENT_CALLS; i++) {
		for (j = 0; j < sizeof(data); j++)
			data[j] = (uint8_t)(i * 7 + j + rt.pid);
		err = echo_echo(&rt.ring, &call, ep, data, 1 + i % sizeof(data));
		if (err)
			return (int)(i + (err == CAPOS_ERR_MALFORMED_MESSAGE ? 1000 : 2000));
	}
	return 0;
}
