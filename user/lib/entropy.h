/* SPDX-License-Identifier: MIT */
/*
 * EntropySource client (schema/capos.capnp: EntropySource;
 * docs/entropy.md): random bytes from the kernel's CSPRNG, through
 * client_ring (client.h), one call per ENTROPY_GET_MAX bytes.
 */
#ifndef CAPOS_USER_ENTROPY_H
#define CAPOS_USER_ENTROPY_H

#include <stddef.h>
#include <stdint.h>

#include <capos/cap.h>

#define ENTROPY_GET_MAX 256	/* EntropySource.getBytes limit per call (schema) */

/*
 * Fills buf[0..n) with random bytes (any n: one getBytes per 256 bytes).
 * Returns 0 or a negative CAPOS_ERR_* (buf may then be partly filled).
 */
int entropy_get(capos_cap_t src, void *buf, size_t n);

#endif
