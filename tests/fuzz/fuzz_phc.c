// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for argon2id_phc_verify (user/lib/argon2id.c over the
 * reference implementation's PHC decoder, encoding.c): any bytes as a
 * verifier. Besides "no crash, no out-of-bounds read" (ASan/UBSan), every
 * answer must be OK, a mismatch or one of the library's error codes, and
 * nothing may stay allocated. Blocks come from argon2id_mem_host.c with a
 * 64 KiB limit (a verifier asking for more gets ARGON2ID_ERR_MEMORY), so
 * with t <= 16 no input takes long.
 *
 * tests/unit/user/rules.mk also links it with tests/fuzz/replay.c into a
 * host test that replays the committed corpus under gcc's sanitizers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "argon2id.h"
#include "argon2id_mem_host.h"

#define FUZZ_PHC_MEM_LIMIT (64u * 1024u)
#define FUZZ_PHC_LOWEST_ERROR (-35)	/* ARGON2_VERIFY_MISMATCH, the last of argon2.h */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char phc[ARGON2ID_ENCODED_MAX + 16];

	if (size >= sizeof(phc))
		size = sizeof(phc) - 1;
	memcpy(phc, data, size);
	phc[size] = '\0';
	argon2id_mem_host_limit = FUZZ_PHC_MEM_LIMIT;
	int err = argon2id_phc_verify("password", 8, phc);

	if (err > 0 || err < FUZZ_PHC_LOWEST_ERROR || argon2id_mem_host_live != 0)
		abort();
	return 0;
}
