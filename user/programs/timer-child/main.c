// SPDX-License-Identifier: MIT
/*
 * timer-child (spawned by timer-sleep): starts sleeps of 1 to 30 ms and
 * one that never ends, then exits at once with all of them pending; given a
 * capability named "crash" it faults instead (the kernel kills it). Either
 * way the kernel must drop its sleeps and post nothing to its ring.
 */
#include "rt.h"

#define SLEEPS 8

static struct timer_sleep_req reqs[SLEEPS];

int main(void)
{
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER);

	for (int i = 0; i < SLEEPS - 1; i++)
		if (timer_sleep_start(timer, (uint64_t)(1 + 4 * i) * 1000000ull, &reqs[i]))
			return 1;
	if (timer_sleep_start(timer, UINT64_MAX, &reqs[SLEEPS - 1]))
		return 1;
	if (capset_find(rt.capset, "crash"))
		*(volatile int *)0 = 1;
	return 0;
}
