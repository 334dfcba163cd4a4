/* SPDX-License-Identifier: MIT */
/*
 * The kernel's random number generator (docs/entropy.md): one ChaCha20
 * fast-key-erasure generator (lib/crypto/csprng.h) behind a lock, seeded at
 * boot from RDSEED, RDRAND and timing jitter. EntropySource serves it to
 * user space.
 */
#ifndef CAPOS_KERNEL_LIB_RNG_H
#define CAPOS_KERNEL_LIB_RNG_H

#include "lib/types.h"

/* Seeds the generator and logs from what. Boot, once, after the timer is calibrated. */
void rng_init(void);

/*
 * Fills buf[0..n) with random bytes. Thread context (a spinlock that
 * interrupts never take); never blocks, never fails. Each call first stirs
 * in an RDRAND value (where the CPU has a working one) and the TSC.
 */
void rng_get(void *buf, size_t n);

#endif
