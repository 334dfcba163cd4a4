/* SPDX-License-Identifier: MIT */
/* The host's argon2id_mem_alloc (argon2id_mem_host.c): a limit and what is live. */
#ifndef CAPOS_TEST_ARGON2ID_MEM_HOST_H
#define CAPOS_TEST_ARGON2ID_MEM_HOST_H

#include <stddef.h>

extern size_t argon2id_mem_host_limit;	/* bytes one allocation may have */
extern size_t argon2id_mem_host_live;	/* bytes allocated and not freed */

#endif
