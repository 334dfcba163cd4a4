// SPDX-License-Identifier: MIT
/*
 * broker-crash: qemu/broker-shell-fault's stand-in for the shell. Packed as
 * "shell", it logs in as guest (the session stays open, its bundle held),
 * then writes to the null page. The broker must see the fault end the
 * shell: the session ends as at logout ("the shell faulted"), the terminal
 * closes, the broker exits 0, nothing leaks.
 */
#include "session.capnp.h"

#include "ipc_call.h"
#include "rt.h"
#include "terminal.h"

static struct ipc_call call;

static int login_guest(capos_cap_t broker)
{
	struct session_AuthorityBroker_login_Params_builder p;

	ipc_call_begin(&call);
	p = session_AuthorityBroker_login_Params_init_root(&call.msg);
	session_AuthorityBroker_login_Params_set_user(p, "guest", 5);
	session_AuthorityBroker_login_Params_set_password(p, "x", 1);
	return ipc_call_run(&rt.ring, &call, broker, session_AuthorityBroker_login);
}

int main(void)
{
	capos_cap_t term = rt_cap("terminal", CAPOS_IFACE_TERMINAL_SESSION);
	capos_cap_t broker = rt_cap("broker", session_AuthorityBroker_TYPE_ID);
	uintptr_t addr = 0x10;

	if (term == CAPOS_CAP_INVALID || broker == CAPOS_CAP_INVALID)
		return 2;
	if (login_guest(broker) < 0) {
		terminal_puts(term, "broker-crash: FAIL guest login\n");
		return 1;
	}
	terminal_puts(term, "broker-crash: logged in as guest; faulting\n");
	__asm__("" : "+r"(addr));	/* launder: no constant null pointer for gcc */
	*(volatile uint64_t *)addr = 1;
	terminal_puts(term, "broker-crash: FAIL survived a page fault\n");
	return 1;
}
