// SPDX-License-Identifier: MIT
/*
 * The kernel's random number generator (rng.h, docs/entropy.md).
 *
 * Seeding takes every source the machine has and trusts none alone: all of
 * them are absorbed into the one key (csprng_mix), so the key is as hard to
 * guess as the best of them. In order:
 *   - timing jitter: JITTER_SAMPLES TSC deltas across a data-dependent walk
 *     of a page, whose length varies with caches, pipelines, interrupts and
 *     (in an emulator without -icount) the host's scheduling. Credited
 *     nothing where time is deterministic (QEMU -icount), and the only
 *     source on a CPU without RDRAND/RDSEED;
 *   - RDSEED, 256 bits: the CPU's conditioned entropy source;
 *   - RDRAND, 256 bits: the CPU's generator, reseeded from that source.
 * A hardware value of 0 or all ones, or the same as the one before, is the
 * signature of the broken units seen in the field (AMD's RDRAND returning
 * all ones after resume); the source is dropped at the first one, and the
 * log says so. Every request afterwards stirs in one RDRAND value (while
 * RDRAND stays sane) and the TSC before drawing, so a state that leaked is
 * not predictable for long on a machine with RDRAND.
 *
 * Locking: rng_lock guards the generator; a leaf lock, never taken in
 * interrupt context.
 */
#include "arch/arch.h"
#include "crypto/csprng.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "lib/rng.h"
#include "lib/spinlock.h"

#define JITTER_SAMPLES 128
#define JITTER_STEPS 16		/* memory steps per sample */
#define JITTER_BUF 4096		/* bytes walked: a page */
#define HW_WORDS 4		/* 256 bits from each hardware source */

static struct spinlock rng_lock = SPINLOCK_INIT_RANK(LOCK_RANK_LEAF);
static struct csprng rng;
static bool rdrand_sane;	/* RDRAND passed its checks at boot; cleared on a bad value */
static uint64_t rdrand_last;	/* the last RDRAND value (for the repeat check) */
static uint8_t jitter_buf[JITTER_BUF];

/* One TSC delta across a walk of jitter_buf whose path depends on `seed`. */
static uint64_t jitter_sample(uint64_t seed)
{
	uint64_t t0 = arch_cycles(), x = seed;

	for (int i = 0; i < JITTER_STEPS; i++) {
		/* An LCG step (Knuth's MMIX constants) steered by the bytes it reads. */
		x = x * 6364136223846793005ull + 1442695040888963407ull +
		    jitter_buf[(x >> 40) & (JITTER_BUF - 1)];
		jitter_buf[(x >> 52) & (JITTER_BUF - 1)] += (uint8_t)(x >> 32);
	}
	return arch_cycles() - t0;
}

/*
 * The low 16 bits of each delta go in (where it varies; the walk takes a
 * few hundred cycles), 256 bytes in all: eight absorbs.
 */
static void seed_from_jitter(void)
{
	uint16_t samples[JITTER_SAMPLES];
	uint64_t prev = arch_cycles();

	for (int i = 0; i < JITTER_SAMPLES; i++) {
		prev = jitter_sample(prev ^ (uint64_t)i);
		samples[i] = (uint16_t)prev;
	}
	csprng_mix(&rng, samples, sizeof(samples));
	crypto_wipe(samples, sizeof(samples));
}

/* A hardware value that a broken unit would give: 0, all ones, or a repeat. */
static bool hw_value_is_suspect(uint64_t v, uint64_t prev, unsigned i)
{
	return v == 0 || v == UINT64_MAX || (i > 0 && v == prev);
}

/*
 * Takes HW_WORDS values from one hardware source into the generator.
 * Returns how many it took (HW_WORDS, or fewer when the source failed or
 * gave a suspect value: *why says which), and its last value in *last.
 */
static unsigned seed_from_hw(bool (*read)(uint64_t *), const char **why, uint64_t *last)
{
	uint64_t v[HW_WORDS];
	unsigned n;

	*why = NULL;
	for (n = 0; n < HW_WORDS; n++) {
		if (!read(&v[n])) {
			*why = "is absent or failed";
			break;
		}
		if (hw_value_is_suspect(v[n], n ? v[n - 1] : 0, n)) {
			*why = "gave 0, all ones or a repeat";
			break;
		}
	}
	if (n)
		csprng_mix(&rng, v, n * sizeof(v[0]));
	*last = n ? v[n - 1] : 0;
	crypto_wipe(v, sizeof(v));
	return n;
}

static void log_source(const char *name, unsigned words, const char *why)
{
	if (!why)
		klog("rng: %s: %u bits\n", name, words * 64);
	else if (words == 0)
		klog("rng: %s: none (it %s)\n", name, why);
	else
		klog("rng: %s: %u bits, then it %s: not used further\n", name, words * 64, why);
}

void rng_init(void)
{
	const char *seed_why, *rand_why;
	uint64_t seed_last, t = arch_cycles();
	unsigned seed_n, rand_n;

	csprng_init(&rng);
	csprng_mix(&rng, "capOS kernel rng", 16);
	csprng_mix(&rng, &t, sizeof(t));
	seed_from_jitter();
	seed_n = seed_from_hw(arch_rdseed64, &seed_why, &seed_last);
	rand_n = seed_from_hw(arch_rdrand64, &rand_why, &rdrand_last);
	rdrand_sane = rand_n == HW_WORDS;
	log_source("RDSEED", seed_n, seed_why);
	log_source("RDRAND", rand_n, rand_why);
	if (seed_n == 0 && rand_n == 0)
		klog("rng: no working RDSEED or RDRAND: seeded from %u timing-jitter samples alone\n",
		     JITTER_SAMPLES);
	else
		klog("rng: seeded from %u hardware bits and %u timing-jitter samples\n",
		     (seed_n + rand_n) * 64, JITTER_SAMPLES);
}

/* Stirs in the TSC and, while it stays sane, one RDRAND value. Caller holds rng_lock. */
static void rng_stir_locked(void)
{
	uint64_t in[2] = { arch_cycles(), 0 };

	assert_held(&rng_lock);
	if (rdrand_sane) {
		if (arch_rdrand64(&in[1]) && !hw_value_is_suspect(in[1], rdrand_last, 1))
			rdrand_last = in[1];
		else
			rdrand_sane = false;	/* stop trusting it; the TSC still goes in */
	}
	csprng_mix(&rng, in, sizeof(in));
	crypto_wipe(in, sizeof(in));
}

void rng_get(void *buf, size_t n)
{
	spin_lock(&rng_lock);
	rng_stir_locked();
	csprng_generate(&rng, buf, n);
	spin_unlock(&rng_lock);
}
