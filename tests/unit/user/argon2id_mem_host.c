// SPDX-License-Identifier: MIT
/*
 * argon2id_mem_alloc for the host tests: malloc under ASan, with a limit a
 * test sets to play a VirtualMemory quota that is too small.
 */
#include <stdlib.h>

#include "argon2id.h"
#include "argon2id_mem_host.h"

size_t argon2id_mem_host_limit = SIZE_MAX;
size_t argon2id_mem_host_live;

int argon2id_mem_alloc(uint8_t **mem, size_t bytes)
{
	*mem = NULL;
	if (bytes > argon2id_mem_host_limit)
		return ARGON2ID_ERR_MEMORY;
	*mem = malloc(bytes);
	if (!*mem)
		return ARGON2ID_ERR_MEMORY;
	argon2id_mem_host_live += bytes;
	return ARGON2ID_OK;
}

void argon2id_mem_free(uint8_t *mem, size_t bytes)
{
	if (mem)
		argon2id_mem_host_live -= bytes;
	free(mem);
}
