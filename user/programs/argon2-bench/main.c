// SPDX-License-Identifier: MIT
/*
 * argon2-bench (make bench, scripts/bench-user.sh): login_verify, the guest
 * instructions of one Argon2id verification at the shipped parameters
 * (19 MiB, t=2, p=1) of a PHC verifier, as a login does it: the blocks
 * mapped through VirtualMemory, first-touch faults, the hash, the wipe and
 * the unmap. The median of BENCH_SAMPLES after one warm-up; prints the
 * BENCH line and exits 0, or a FAIL line and 1.
 */
#include "argon2id.h"
#include "bench.h"
#include "rt.h"

#define BENCH_SAMPLES 3u

static const char password[] = "correct horse battery staple";
static const uint8_t salt[ARGON2ID_SALT_LEN] = "capOS-bench-salt";

int main(void)
{
	struct argon2id_params p = argon2id_shipped();
	uint64_t samples[BENCH_SAMPLES];
	char phc[ARGON2ID_ENCODED_MAX];
	int err = argon2id_phc_make(password, sizeof(password) - 1, salt, sizeof(salt), &p,
				    ARGON2ID_HASH_LEN, phc, sizeof(phc));

	for (uint32_t i = 0; i <= BENCH_SAMPLES && !err; i++) {
		uint64_t t0 = rt_rdtsc();

		err = argon2id_phc_verify(password, sizeof(password) - 1, phc);
		if (i > 0)
			samples[i - 1] = rt_rdtsc() - t0;
	}
	if (err) {
		printf("argon2-bench: FAIL %s\n", argon2id_error(err));
		return 1;
	}
	printf("BENCH login_verify %llu insns\n",
	       (unsigned long long)bench_median(samples, BENCH_SAMPLES));
	return 0;
}
