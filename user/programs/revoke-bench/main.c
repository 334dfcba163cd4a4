// SPDX-License-Identifier: MIT
/*
 * revoke-bench: revoke_grant (contracts.md): revoke a capability granted to
 * a child, until the child's next use of it fails. Each sample spawns
 * revoke-child ("bench") with a revocable CapabilityManager as "use",
 * which it calls in a loop; once the child is running (this program sleeps
 * a few ticks), the sample starts at the revoke and ends at the time stamp
 * the child takes when its use fails, which it returns as its exit code
 * (the low 31 bits: rdtsc counts guest instructions under -icount
 * shift=0, one clock for both processes). So a sample is the Revoker
 * call, this program blocking in ProcessHandle.wait, the switch to the
 * child, the end of the use it was in, and the use that fails. The figure
 * is the median of BENCH_SAMPLES; prints the BENCH line and exits 0, or a
 * FAIL line and exits 1.
 */
#include "bench.h"
#include "rt.h"

#define BENCH_SAMPLES 15u
#define LOW31 0x7fffffffull

static uint64_t samples[BENCH_SAMPLES];
static capos_cap_t sp, caps;

/* One sample in *out; 0 or the error. */
static int one(uint64_t *out)
{
	capos_cap_t rv, use, h;
	int64_t code = -1;
	int err = cap_new_revoker(caps, &rv);

	if (err)
		return err;
	err = revoker_wrap(rv, caps, CAPOS_XFER_COPY, false, CAPOS_IFACE_CAPABILITY_MANAGER, &use);
	const struct spawn_grant g[2] = {
		{ "bench", CAPOS_IFACE_CAPABILITY_MANAGER, caps, CAPOS_XFER_COPY },
		{ "use", CAPOS_IFACE_CAPABILITY_MANAGER, use, CAPOS_XFER_COPY },
	};
	if (!err)
		err = spawner_spawn(sp, "revoke-bench-child", "revoke-child", g, 2, &h);
	if (err)
		return err;
	uring_enter(&rt.ring, 1, 30000000ull);	/* the child runs and calls meanwhile */
	uint64_t t0 = rt_rdtsc();
	err = revoker_revoke(rv);
	if (!err)
		err = process_wait(h, &code);
	if (!err && code < 0)
		err = CAPOS_ERR_INVALID_ARGUMENT;	/* the child's use failed otherwise */
	*out = ((uint64_t)code - (t0 & LOW31)) & LOW31;
	cap_release(h);
	cap_release(use);
	cap_release(rv);
	return err;
}

int main(void)
{
	int err = 0;

	sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	caps = rt_cap("caps", CAPOS_IFACE_CAPABILITY_MANAGER);
	for (uint32_t i = 0; i < BENCH_SAMPLES && !err; i++)
		err = one(&samples[i]);
	if (err) {
		printf("revoke-bench: FAIL revoke_grant: %s\n", capos_strerror(err));
		return 1;
	}
	printf("BENCH revoke_grant %llu insns/op\n",
	       (unsigned long long)bench_median(samples, BENCH_SAMPLES));
	return 0;
}
