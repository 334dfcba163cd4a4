// SPDX-License-Identifier: MIT
/*
 * Where threads run (docs/smp.md "Scheduler"). Three rules, each bounded
 * by the number of CPUs and each moving at most one thread:
 *   placement   a new thread starts on the CPU with the least work; a woken
 *               one goes back to its own CPU unless that CPU is busy and
 *               another idles (an IPC peer handed a message runs next on
 *               the waker's CPU instead: sched_wake_handoff);
 *   stealing    an idle CPU takes the first queued thread of a busy CPU,
 *               when it wakes up (a kick or its tick);
 *   pushing     a CPU whose tick finds it two threads ahead of the least
 *               loaded CPU gives that CPU its next queued thread.
 * The choices read other CPUs' `load` without their locks: a stale read
 * costs one poor choice, never correctness, since the move itself is made
 * under both CPUs' locks.
 */
#include "arch/arch.h"
#include "sched/sched_cpu.h"

/* The online CPU with the least work, preferring `first` on a tie. */
static struct sched_cpu *least_loaded(struct sched_cpu *first)
{
	struct sched_cpu *best = first;
	uint32_t n = sched_cpu_count(), best_load = rq_load(first);

	for (uint32_t i = 0; i < n && best_load; i++) {
		uint32_t load = rq_load(&sched_cpus[i]);

		if (load < best_load) {
			best = &sched_cpus[i];
			best_load = load;
		}
	}
	return best;
}

struct sched_cpu *balance_wake_target(struct sched_cpu *home)
{
	if (rq_load(home) == 0)
		return home;	/* its caches are there, and it idles */
	struct sched_cpu *other = least_loaded(home);

	return rq_load(other) == 0 ? other : home;
}

struct sched_cpu *balance_new_target(void)
{
	return least_loaded(this_sched());
}

/* Moves victim's first queued thread to sc; both locked. False if none. */
static bool move_one_locked(struct sched_cpu *victim, struct sched_cpu *sc)
{
	struct thread *t = runq_pop_locked(victim);

	if (!t)
		return false;
	runq_add_locked(sc, t, false);	/* off every CPU: queued under victim's lock */
	return true;
}

bool balance_steal(struct sched_cpu *sc)
{
	uint32_t n = sched_cpu_count();

	for (uint32_t k = 1; k < n; k++) {
		struct sched_cpu *victim = &sched_cpus[(sc->id + k) % n];
		bool moved;

		/* An idle CPU with a queue was kicked and runs it itself. */
		if (rq_is_idle(victim) || rq_load(victim) < 2)
			continue;
		rq_lock_two(sc, victim);
		moved = !victim->runq.len ? false : move_one_locked(victim, sc);
		rq_unlock_two(sc, victim);
		if (moved)
			return true;
	}
	return false;
}

void balance_push(struct sched_cpu *sc)
{
	struct sched_cpu *to;
	bool moved;

	if (rq_load(sc) < 2)
		return;		/* nothing queued */
	to = least_loaded(sc);
	if (rq_load(to) + 2 > rq_load(sc))
		return;
	rq_lock_two(sc, to);
	moved = sc->runq.len && rq_load(to) + 2 <= rq_load(sc) && move_one_locked(sc, to);
	if (moved)
		rq_kick_locked(to);
	rq_unlock_two(sc, to);
}
