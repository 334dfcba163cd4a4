// SPDX-License-Identifier: MIT
/*
 * threads-victim: a child of threads-check with threads blocked in every
 * way a thread can wait: one in RECV on its own endpoint (holding the call
 * it received, never answered), one in CALL on that endpoint (its call in
 * the receiver's hands), one in cap_enter with a 60 s timeout (on the sleep
 * list), one in cap_enter without one, one in PARK, one running user code
 * (with a second argument K, 1 or 2, K of each: 13 threads with K = 2).
 * Then, with argument "exit", the first thread exits 5 after letting them
 * block; with "now" it exits 5 as soon as it has started them (they may not
 * have run yet: storm-check); with "kill" it waits too, for its parent to
 * kill it. Either way every thread must be stopped before the table and
 * address space go (the kernel's leak check at init's exit).
 */
#include "echo.capnp.h"
#include "ipc_call.h"
#include "rt.h"

#define SETTLE_NS 40000000ull
#define MINUTE_NS 60000000000ull

static capos_cap_t owner = CAPOS_CAP_INVALID, facet = CAPOS_CAP_INVALID;
static volatile uint32_t started;

static int64_t in_recv(void *arg)
{
	uint64_t buf[64], ud;
	struct capos_cqe cqe;

	(void)arg;
	__atomic_fetch_add(&started, 1, __ATOMIC_RELAXED);
	for (;;) {	/* receives the CALL below, then waits in RECV for another */
		if (ipc_recv_submit(thread_self()->ring, owner, buf, sizeof(buf), &ud))
			return 1;
		if (ipc_wait_id(thread_self()->ring, ud, CAPOS_TIMEOUT_INFINITE, &cqe))
			return 2;
	}
}

static int64_t in_call(void *arg)
{
	static const uint64_t params[2] = { 0x0000000100000000ull, 0x00000000fffffffcull };
	uint64_t result[16];
	struct capos_cqe cqe;

	(void)arg;
	__atomic_fetch_add(&started, 1, __ATOMIC_RELAXED);
	(void)uring_call(thread_self()->ring, facet, 0, params, sizeof(params), result,
			 sizeof(result), NULL, 0, &cqe);
	return 3;	/* never: the receiver never answers */
}

static int64_t in_wait(void *arg)
{
	__atomic_fetch_add(&started, 1, __ATOMIC_RELAXED);
	for (;;)
		(void)uring_enter(thread_self()->ring, 1, arg ? MINUTE_NS : CAPOS_TIMEOUT_INFINITE);
	return 0;
}

static uint32_t never;

static int64_t in_park(void *arg)
{
	(void)arg;
	__atomic_fetch_add(&started, 1, __ATOMIC_RELAXED);
	for (;;)
		(void)park_word(&never, 0, 0);
	return 0;
}

static int64_t spinning(void *arg)
{
	(void)arg;
	__atomic_fetch_add(&started, 1, __ATOMIC_RELAXED);
	for (;;)
		__asm__ __volatile__("pause");
	return 0;
}

/* K threads of each kind: 0, or what thread_create failed with. */
static int start_threads(uint32_t k)
{
	struct thread *t;
	int err = 0;

	for (uint32_t i = 0; i < k && !err; i++) {
		err = thread_create(&t, in_recv, NULL, 0);
		err = err ? err : thread_create(&t, in_call, NULL, 0);
		err = err ? err : thread_create(&t, in_wait, (void *)1, 0);
		err = err ? err : thread_create(&t, in_wait, NULL, 0);
		err = err ? err : thread_create(&t, spinning, NULL, 0);
		err = err ? err : thread_create(&t, in_park, NULL, 0);
	}
	return err;
}

int main(void)
{
	const char *mode = rt_argv(0);
	const char *copies = rt_argv(1);
	uint32_t k = copies && copies[0] == '2' ? 2 : 1;

	if (!mode || endpoint_create(rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY), echo_Echo_TYPE_ID, &owner,
				     &facet))
		return 10;
	if (start_threads(k))
		return 11;
	if (mode[0] == 'n')
		return 5;
	while (started < 6 * k)	/* each has run; the settle lets them block */
		(void)uring_enter(&rt.ring, 1, 1000000ull);
	(void)uring_enter(&rt.ring, 1, SETTLE_NS);
	printf("threads-victim: %s with %u threads\n", mode, 6 * k + 1);
	if (mode[0] == 'e')
		return 5;
	for (;;)
		(void)uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE);
}
