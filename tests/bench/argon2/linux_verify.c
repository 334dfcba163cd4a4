// SPDX-License-Identifier: MIT
/*
 * The Linux side of login_verify: the same reference code and wrapper
 * (lib/argon2/rules.mk, -O2 without sanitizers) verifying the same PHC
 * verifier as user/programs/argon2-bench, blocks from malloc (glibc mmaps
 * 19 MiB and unmaps it on free, as capOS maps and unmaps them).
 * tests/bench/argon2/bench.sh counts the instructions of verify_once()
 * with callgrind: user-mode instructions only, the kernel's page faults
 * are not in the figure.
 */
#include <stdio.h>
#include <stdlib.h>

#include "argon2id.h"

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

int main(void)
{
	struct argon2id_params p = argon2id_shipped();
	char phc[ARGON2ID_ENCODED_MAX];
	int err = argon2id_phc_make(password, sizeof(password) - 1, salt, sizeof(salt), &p,
				    ARGON2ID_HASH_LEN, phc, sizeof(phc));

	if (!err)
		err = verify_once(phc);
	if (err) {
		fprintf(stderr, "linux_verify: %s\n", argon2id_error(err));
		return 1;
	}
	return 0;
}
