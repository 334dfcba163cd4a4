// SPDX-License-Identifier: MIT
/*
 * Writes CapException messages built by call_raise() (kernel/ring/call.c) to
 * stdout, one per CapException.Type, each with reason "reason <n>"; then one
 * whose reason is longer than the 256-byte limit. capexc.sh decodes the
 * stream with the official `capnp decode` and compares the text.
 */
#include <stdio.h>
#include <string.h>

#include <capos/errors.h>

#include "ring/call.h"

static int emit(uint16_t type, const char *reason)
{
	static uint8_t buf[1024];
	struct call_ctx ctx = { .result = buf, .result_cap = sizeof(buf) };

	if (call_raise(&ctx, type, reason) != CAPOS_ERR_APPLICATION_EXCEPTION)
		return 1;
	return fwrite(buf, 1, ctx.result_written, stdout) != ctx.result_written;
}

int main(void)
{
	char reason[300];
	uint16_t t;

	for (t = 0; t <= 4; t++) {
		snprintf(reason, sizeof(reason), "reason %u", t);
		if (emit(t, reason))
			return 1;
	}
	memset(reason, 'x', sizeof(reason) - 1);
	reason[sizeof(reason) - 1] = 0;
	return emit(0, reason);
}
