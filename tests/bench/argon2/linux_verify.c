// SPDX-License-Identifier: MIT
/*
 * The Linux side of login_verify: the same reference code and wrapper
 * (mk/argon2/rules.mk, -O2 without sanitizers) verifying the same PHC
 * verifier as user/programs/argon2-bench, blocks from malloc (glibc mmaps
 * 19 MiB and unmaps it on free, as capOS maps and unmaps them).
 * tests/bench/argon2/bench.sh counts the instructions of verify_once()
 * with callgrind: user-mode instructions only, the kernel's page faults
 * are not in the figure. With the argument "peer" (tests/bench/argon2/
 * linux-peer.sh: built static, run in Linux under QEMU -icount shift=0) it
 * prints the median of BENCH_SAMPLES verifications after one warm-up in
 * rdtsc ticks, which there are guest instructions, kernel included, as
 * argon2-bench measures capOS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#include "argon2id.h"
#include "bench.h"

#define BENCH_SAMPLES 3u

static const char password[] = "correct horse battery staple";
static const uint8_t salt[ARGON2ID_SALT_LEN] = "capOS-bench-salt";

int argon2id_mem_alloc(uint8_t **mem, size_t bytes)
{
	*mem = malloc(bytes);
	return *mem ? ARGON2ID_OK : ARGON2ID_ERR_MEMORY;
}

void argon2id_mem_free(uint8_t *mem, size_t bytes)
{
	(void)bytes;
	free(mem);
}

__attribute__((noinline)) int verify_once(const char *phc)
{
	return argon2id_phc_verify(password, sizeof(password) - 1, phc);
}

/* Median guest instructions of a verification (rdtsc under -icount), as argon2-bench. */
static int peer_run(const char *phc)
{
	uint64_t samples[BENCH_SAMPLES];
	int err = 0;

	for (uint32_t i = 0; i <= BENCH_SAMPLES && !err; i++) {
		_mm_lfence();
		uint64_t t0 = __rdtsc();

		err = verify_once(phc);
		_mm_lfence();
		if (i > 0)
			samples[i - 1] = __rdtsc() - t0;
	}
	if (!err)
		printf("BENCH linux_login_verify %llu insns\n",
		       (unsigned long long)bench_median(samples, BENCH_SAMPLES));
	return err;
}

int main(int argc, char **argv)
{
	struct argon2id_params p = argon2id_shipped();
	char phc[ARGON2ID_ENCODED_MAX];
	int err = argon2id_phc_make(password, sizeof(password) - 1, salt, sizeof(salt), &p,
				    ARGON2ID_HASH_LEN, phc, sizeof(phc));

	if (!err)
		err = argc > 1 && strcmp(argv[1], "peer") == 0 ? peer_run(phc) : verify_once(phc);
	if (err) {
		fprintf(stderr, "linux_verify: %s\n", argon2id_error(err));
		return 1;
	}
	return 0;
}
