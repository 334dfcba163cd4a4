// SPDX-License-Identifier: MIT
/*
 * flaky: a service that fails its first FLAKY_FAILURES runs, for the restart
 * scenario (tests/qemu/manifest-restart). It keeps its start times in the
 * Echo service it imports as "echo" (Echo.note), the only memory that
 * outlives it: a run that finds fewer than FLAKY_FAILURES earlier starts
 * faults on purpose (a null write; the kernel ends it with -1), and the run
 * after them checks that each restart waited at least its backoff
 * (FLAKY_BACKOFF_MS, doubled each time, as the scenario's manifest says),
 * prints the result and stops the echo service (also after a failed check,
 * so that the scenario ends rather than waits). Start times are rdtsc:
 * nanoseconds of virtual time under QEMU -icount shift=0.
 */
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define FLAKY_FAILURES 2u
#define FLAKY_BACKOFF_MS 20u	/* the manifest's backoffMs */
#define FLAKY_NS_PER_MS 1000000u

static struct ipc_call call;

/* Each gap between starts at least the backoff before that restart. */
static int flaky_check_gaps(const uint64_t *start, uint32_t n)
{
	uint64_t backoff = FLAKY_BACKOFF_MS;
	int bad = 0;

	for (uint32_t i = 1; i < n; i++, backoff *= 2) {
		uint64_t gap_ms = (start[i] - start[i - 1]) / FLAKY_NS_PER_MS;

		printf("flaky: restart %u came %llu ms after the previous start "
		       "(backoff %llu ms)\n", i, (unsigned long long)gap_ms,
		       (unsigned long long)backoff);
		bad |= gap_ms < backoff;
	}
	return bad;
}

int main(void)
{
	capos_cap_t echo = rt_cap("echo", echo_Echo_TYPE_ID);
	uint64_t start[FLAKY_FAILURES + 1];
	uint32_t n = 0;
	int err, bad;

	if (echo == CAPOS_CAP_INVALID)
		return 2;
	err = echo_note(&rt.ring, &call, echo, rt_rdtsc(), start, FLAKY_FAILURES + 1, &n);
	if (err) {
		printf("flaky: FAIL Echo.note: %s\n", capos_strerror(err));
		return 2;
	}
	if (n <= FLAKY_FAILURES) {
		printf("flaky: run %u fails on purpose\n", n);
		*(volatile int *)0 = 0;
	}
	bad = flaky_check_gaps(start, FLAKY_FAILURES + 1);
	if (bad)
		printf("flaky: FAIL a restart came before its backoff\n");
	else
		printf("flaky: PASS up after %u restarts, each after its backoff\n", n - 1);
	/* Stopped either way, so that the graph ends and the scenario with it. */
	err = echo_stop(&rt.ring, &call, echo, NULL);
	return bad ? 1 : err ? 3 : 0;
}
