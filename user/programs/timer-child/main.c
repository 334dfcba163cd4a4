// SPDX-License-Identifier: MIT
/*
 * timer-child (spawned by timer-sleep). By default it starts sleeps of 1 to
 * 29 ms and one that never ends, then exits at once with all of them
 * pending; given a capability named "crash" it faults instead (the kernel
 * kills it). Either way the kernel must withdraw its sleeps and post nothing to
 * its ring.
 *
 * Given a capability named "hold" it instead starts HOLD_SLEEPS sleeps of
 * 1 to 30 ms (in a shuffled order, in one cap_enter) and waits for them
 * all: each must complete no earlier than asked, in deadline order. Several
 * such children at once put more sleeps in the kernel's queue than its
 * static array holds. Exit: 0, 2 (out of order), 3 (early) or 4 (error).
 */
#include "rt.h"

#define SLEEPS 8
#define HOLD_SLEEPS 30
#define MS 1000000ull

static struct timer_sleep_req reqs[HOLD_SLEEPS];

static int drop_and_exit(capos_cap_t timer)
{
	for (int i = 0; i < SLEEPS - 1; i++)
		if (timer_sleep_start(timer, (uint64_t)(1 + 4 * i) * MS, &reqs[i]))
			return 1;
	if (timer_sleep_start(timer, UINT64_MAX, &reqs[SLEEPS - 1]))
		return 1;
	if (capset_find(rt.capset, "crash"))
		*(volatile int *)0 = 1;
	return 0;
}

/* Sleep i lasts (1 + 7i mod 30) ms: every length from 1 to 30 once, shuffled. */
static uint64_t hold_ns(int i)
{
	return (uint64_t)(1 + (7 * i) % HOLD_SLEEPS) * MS;
}

static int hold(capos_cap_t timer)
{
	uint64_t t0 = 0, t, last = 0;
	struct capos_cqe cqe;
	int done = 0, status = 0;

	/*
	 * No heap is grown first: a heap growth while sleeps complete is a
	 * VirtualMemory call whose wait stashes their completions, which the
	 * ring's inline stash takes without the heap (uring.h).
	 */
	if (timer_now(timer, &t0))
		return 4;
	for (int i = 0; i < HOLD_SLEEPS; i++)
		if (timer_sleep_submit(timer, hold_ns(i), &reqs[i]))
			return 4;
	while (done < HOLD_SLEEPS && uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE) >= 0) {
		while (uring_reap(&rt.ring, &cqe)) {
			int i = 0;

			while (i < HOLD_SLEEPS && reqs[i].user_data != cqe.user_data)
				i++;
			if (i == HOLD_SLEEPS || cqe.result < 0 || timer_now(timer, &t))
				return 4;
			if (hold_ns(i) < last)
				status = 2;
			else if (t - t0 < hold_ns(i) && !status)
				status = 3;
			last = hold_ns(i);
			done++;
		}
	}
	return done == HOLD_SLEEPS ? status : 4;
}

int main(void)
{
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER);

	return capset_find(rt.capset, "hold") ? hold(timer) : drop_and_exit(timer);
}
