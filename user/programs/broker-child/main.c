// SPDX-License-Identifier: MIT
/*
 * broker-child: a job qemu/broker's check starts through the Launcher. It
 * proves what a job is given: exactly the grants sent with spawn, under
 * the names given (here one Timer as "clock") and its own "vm", nothing of
 * the broker's. It sleeps 50 ms on the clock (so the check's wait is held
 * while it runs) and exits 0; 10 if "clock" is missing or not a Timer, 11
 * if a call on it fails, 12 if its CapSet holds anything else.
 */
#include "rt.h"

int main(void)
{
	capos_cap_t clock = rt_cap("clock", CAPOS_IFACE_TIMER);
	uint64_t ns = 0;

	if (clock == CAPOS_CAP_INVALID)
		return 10;
	if (rt.capset->count != 2 || rt_cap("vm", CAPOS_IFACE_VIRTUAL_MEMORY) == CAPOS_CAP_INVALID)
		return 12;
	if (timer_sleep(clock, 50000000ull) || timer_now(clock, &ns) || ns == 0)
		return 11;
	return 0;
}
