// SPDX-License-Identifier: MIT
/*
 * lscaps: prints its own CapSet, one capability a line (its name, then its
 * interface, as the shell's `caps` prints them), then a line
 * "lscaps: NAME may not be sent on" for each one the kernel refuses to let
 * it send (a `client @CAP` grant; probed by sending a copy with an empty
 * TerminalSession.write, which the kernel refuses before delivery), then
 * "lscaps: N capabilities", and exits 0. What the
 * shell's `run "lscaps" with { ... }` scenarios read to see that a child
 * got exactly its terminal, the named grants and its VirtualMemory. It
 * writes to its "terminal" when it has one (a child of the shell), else
 * through printf (its Console, if any).
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "ipc_call.h"
#include "rt.h"
#include "shell/shellfmt.h"
#include "terminal.h"

static void lscaps_say(capos_cap_t term, const char *s)
{
	if (term != CAPOS_CAP_INVALID)
		(void)terminal_puts(term, s);
	else
		printf("%s", s);
}

/* Whether the kernel lets this process send cap on (a copy with an empty write). */
static bool may_send_on(capos_cap_t term, capos_cap_t cap)
{
	static struct ipc_call c;

	ipc_call_begin(&c);
	capos_TerminalSession_write_Params_set_data(
		capos_TerminalSession_write_Params_init_root(&c.msg), "", 0);
	if (ipc_call_add_cap(&c, cap, CAPOS_XFER_COPY) < 0)
		return false;
	return ipc_call_run(&rt.ring, &c, term, capos_TerminalSession_write) !=
	       CAPOS_ERR_NOT_TRANSFERABLE;
}

int main(void)
{
	capos_cap_t term = rt_cap("terminal", CAPOS_IFACE_TERMINAL_SESSION);
	uint32_t n = rt.capset ? rt.capset->count : 0;
	char buf[128], name[CAPOS_CAPSET_NAME_LEN + 1];

	for (uint32_t i = 0; i < n && i < CAPOS_CAPSET_MAX; i++) {
		memcpy(name, rt.capset->entries[i].name, CAPOS_CAPSET_NAME_LEN);
		name[CAPOS_CAPSET_NAME_LEN] = '\0';
		shellfmt_cap_line(buf, sizeof(buf), name, rt.capset->entries[i].interface_id);
		lscaps_say(term, buf);
	}
	for (uint32_t i = 0; term != CAPOS_CAP_INVALID && i < n && i < CAPOS_CAPSET_MAX; i++) {
		memcpy(name, rt.capset->entries[i].name, CAPOS_CAPSET_NAME_LEN);
		name[CAPOS_CAPSET_NAME_LEN] = '\0';
		if (!may_send_on(term, rt.capset->entries[i].cap_id)) {
			snprintf(buf, sizeof(buf), "lscaps: %s may not be sent on\n", name);
			lscaps_say(term, buf);
		}
	}
	snprintf(buf, sizeof(buf), "lscaps: %u capabilities\n", (unsigned)n);
	lscaps_say(term, buf);
	return 0;
}
