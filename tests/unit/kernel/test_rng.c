// SPDX-License-Identifier: MIT
/*
 * Tests of kernel/lib/rng.c with fake hardware: every seed source reaches
 * the key (change one RDSEED value, one RDRAND value or the timing, and the
 * first bytes drawn change; change nothing and they repeat); a hardware
 * unit that fails, answers all ones or repeats itself is dropped, and a
 * dropped RDRAND is not used for the per-request stirring; a sane one stirs
 * every request, until it goes bad; with no hardware at all the generator
 * still draws, and consecutive draws differ. The generator is one static
 * instance, so each configuration is seeded in a child process (fork) and
 * hands its first 32 bytes back through a pipe.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/arch.h"
#include "lib/rng.h"
#include "test.h"

/* ---- fake hardware -------------------------------------------------------------------------- */

struct fake_hw {
	bool has_rdseed, has_rdrand;
	uint64_t rdseed_first, rdrand_first;	/* value i is first + i (0: keep answering first) */
	bool rdrand_repeats;			/* every RDRAND value the same */
	int rdrand_fail_after;			/* RDRAND fails from call n on (-1: never) */
	uint64_t cycle_step;			/* arch_cycles advances by this, plus a wobble */
};

static struct fake_hw hw;
static uint64_t cycles, rdseed_calls, rdrand_calls;

static void fake_reset(void)
{
	hw = (struct fake_hw){ .has_rdseed = true, .has_rdrand = true, .rdseed_first = 0x1111,
			       .rdrand_first = 0x2222, .rdrand_fail_after = -1, .cycle_step = 97 };
	cycles = 1000;
	rdseed_calls = rdrand_calls = 0;
}

uint64_t arch_cycles(void)
{
	cycles += hw.cycle_step + (cycles >> 3) % 5;	/* deterministic, not constant */
	return cycles;
}

bool arch_rdseed64(uint64_t *v)
{
	if (!hw.has_rdseed)
		return false;
	*v = hw.rdseed_first + rdseed_calls++;
	return true;
}

bool arch_rdrand64(uint64_t *v)
{
	if (!hw.has_rdrand)
		return false;
	if (hw.rdrand_fail_after >= 0 && rdrand_calls >= (uint64_t)hw.rdrand_fail_after) {
		rdrand_calls++;
		return false;
	}
	*v = hw.rdrand_repeats ? hw.rdrand_first : hw.rdrand_first + rdrand_calls;
	rdrand_calls++;
	return true;
}

/* ---- helpers -------------------------------------------------------------------------------- */

/* Seeds with `h` in a child process and returns the first 32 bytes it draws. */
static void first_bytes(const struct fake_hw *h, uint8_t out[32])
{
	int fd[2];
	pid_t pid;

	memset(out, 0, 32);
	if (pipe(fd))
		abort();
	pid = fork();
	if (pid == 0) {
		uint8_t b[32];

		hw = *h;
		rng_init();
		rng_get(b, sizeof(b));
		_exit(write(fd[1], b, sizeof(b)) == (ssize_t)sizeof(b) ? 0 : 1);
	}
	close(fd[1]);
	if (read(fd[0], out, 32) != 32)
		memset(out, 0, 32);
	close(fd[0]);
	waitpid(pid, NULL, 0);
}

/* ---- tests ---------------------------------------------------------------------------------- */

TEST(rng_same_sources_draw_the_same)
{
	uint8_t a[32], b[32];

	fake_reset();
	first_bytes(&hw, a);
	first_bytes(&hw, b);
	CHECK(memcmp(a, b, 32) == 0);
}

TEST(rng_every_source_reaches_the_key)
{
	struct fake_hw h;
	uint8_t base[32], other[32];

	fake_reset();
	first_bytes(&hw, base);
	h = hw;
	h.rdseed_first++;
	first_bytes(&h, other);
	CHECK(memcmp(base, other, 32) != 0);	/* RDSEED */
	h = hw;
	h.rdrand_first++;
	first_bytes(&h, other);
	CHECK(memcmp(base, other, 32) != 0);	/* RDRAND */
	h = hw;
	h.cycle_step++;
	first_bytes(&h, other);
	CHECK(memcmp(base, other, 32) != 0);	/* timing */
}

TEST(rng_sane_rdrand_stirs_every_request)
{
	uint8_t b[16];

	fake_reset();
	rng_init();
	CHECK_EQ(rdseed_calls, 4);
	CHECK_EQ(rdrand_calls, 4);
	for (int i = 1; i <= 3; i++) {
		rng_get(b, sizeof(b));
		CHECK_EQ(rdrand_calls, 4 + i);
	}
}

TEST(rng_rdrand_all_ones_is_dropped)
{
	uint8_t b[16];

	fake_reset();
	hw.rdrand_first = UINT64_MAX;
	hw.rdrand_repeats = true;
	rng_init();
	CHECK_EQ(rdrand_calls, 1);	/* the first value was enough */
	rng_get(b, sizeof(b));
	rng_get(b, sizeof(b));
	CHECK_EQ(rdrand_calls, 1);	/* never stirred in */
}

TEST(rng_repeating_rdrand_is_dropped)
{
	uint8_t b[16];

	fake_reset();
	hw.rdrand_repeats = true;
	rng_init();
	CHECK_EQ(rdrand_calls, 2);
	rng_get(b, sizeof(b));
	CHECK_EQ(rdrand_calls, 2);
}

TEST(rng_failing_rdrand_is_dropped)
{
	uint8_t b[16];

	fake_reset();
	hw.rdrand_fail_after = 2;
	rng_init();
	CHECK_EQ(rdrand_calls, 3);	/* two values, then the failure */
	rng_get(b, sizeof(b));
	CHECK_EQ(rdrand_calls, 3);
}

TEST(rng_rdrand_going_bad_later_stops_the_stirring)
{
	uint8_t b[16];

	fake_reset();
	rng_init();
	hw.rdrand_repeats = true;	/* from now on the same value, that of call 4... */
	hw.rdrand_first = 0x2222 + 3;	/* ...which equals the last one seeding took */
	rng_get(b, sizeof(b));
	CHECK_EQ(rdrand_calls, 5);
	rng_get(b, sizeof(b));
	CHECK_EQ(rdrand_calls, 5);
}

TEST(rng_without_hardware_still_draws_and_differs)
{
	uint8_t a[32], b[32], zero[32] = { 0 };

	fake_reset();
	hw.has_rdseed = hw.has_rdrand = false;
	rng_init();
	rng_get(a, sizeof(a));
	rng_get(b, sizeof(b));
	CHECK(memcmp(a, b, 32) != 0);
	CHECK(memcmp(a, zero, 32) != 0);
	CHECK_EQ(rdseed_calls + rdrand_calls, 0);
}

int main(void)
{
	RUN(rng_same_sources_draw_the_same);
	RUN(rng_every_source_reaches_the_key);
	RUN(rng_sane_rdrand_stirs_every_request);
	RUN(rng_rdrand_all_ones_is_dropped);
	RUN(rng_repeating_rdrand_is_dropped);
	RUN(rng_failing_rdrand_is_dropped);
	RUN(rng_rdrand_going_bad_later_stops_the_stirring);
	RUN(rng_without_hardware_still_draws_and_differs);
	TEST_EXIT();
}
