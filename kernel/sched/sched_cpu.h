/* SPDX-License-Identifier: MIT */
/*
 * The scheduler's per-CPU state, shared by sched.c (block, wake, switch)
 * and balance.c (where a thread runs: placement, stealing, pushing).
 * Not for use outside kernel/sched.
 *
 * Locking (docs/locking.md, docs/smp.md "Scheduler"): each CPU's run queue
 * has its own lock, `sched_cpu.lock`, taken with interrupts off. A thread's
 * scheduling fields (state, next, deadline, wake_pending, timed_out, cpu,
 * restart_fn) are guarded by the lock of the CPU it belongs to, `t->cpu`,
 * which changes only with that lock held (and the new CPU's too). Holding a
 * CPU's lock also means no context switch is half done on it: the lock is
 * held across the stack switch and released by the thread that comes out
 * (sched_finish_switch). So a thread that is BLOCKED or queued under a held
 * lock is off every CPU and its stack is free: it may be moved to another
 * CPU. Two run-queue locks nest only in CPU-index order (rq_lock_two).
 */
#ifndef CAPOS_KERNEL_SCHED_SCHED_CPU_H
#define CAPOS_KERNEL_SCHED_SCHED_CPU_H

#include "arch/x86_64/percpu.h"
#include "lib/lockdep.h"
#include "lib/spinlock.h"
#include "sched/thread.h"

struct runq {
	struct thread *head;
	struct thread *tail;
	uint32_t len;
};

struct sched_cpu {
	struct spinlock lock;		/* guards the fields below, except the atomics */
	uint32_t id;			/* index in cpus[] and sched_cpus[] */
	struct thread *current;		/* as this CPU's struct cpu has it, for other CPUs */
	struct thread *reap;		/* dead thread whose stack is still in use */
	struct thread *sleepers;	/* blocked threads of this CPU with a deadline */
	struct runq runq;
	uint32_t slice_used;		/* ticks the current thread has run */
	uint64_t user_runs;		/* atomic: switches to a user thread (the proof) */
	uint64_t arrivals;		/* atomic: threads it took over from another CPU */
	struct thread idle;
} __attribute__((aligned(64)));

extern struct sched_cpu sched_cpus[MAX_CPUS];
extern uint32_t sched_ncpus;		/* atomic: CPUs that schedule, 0..sched_ncpus-1 */

static inline struct sched_cpu *this_sched(void)
{
	struct sched_cpu *sc;

	/* volatile: a thread that blocked may come back on another CPU. */
	__asm__ volatile("movq %%gs:%c1, %0" : "=r"(sc) : "i"(CPU_OFF_SCHED));
	return sc;
}

static inline void set_need_resched(bool on)
{
	__asm__ volatile("movl %0, %%gs:%c1" : : "r"((uint32_t)on), "i"(CPU_OFF_NEED_RESCHED));
}

static inline uint32_t sched_cpu_count(void)
{
	return __atomic_load_n(&sched_ncpus, __ATOMIC_ACQUIRE);
}

static inline bool rq_is_idle(const struct sched_cpu *sc)
{
	return __atomic_load_n(&sc->current, __ATOMIC_RELAXED) == &sc->idle;
}

/* Its work: queued threads, plus one if a thread (not idle) runs. Read unlocked: a hint. */
static inline uint32_t rq_load(const struct sched_cpu *sc)
{
	return __atomic_load_n(&sc->runq.len, __ATOMIC_RELAXED) + !rq_is_idle(sc);
}


/* Locks a and b (the same CPU is locked once) in CPU-index order. */
static inline void rq_lock_two(struct sched_cpu *a, struct sched_cpu *b)
{
	if (a == b) {
		spin_lock(&a->lock);
	} else if (a->id < b->id) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

static inline void rq_unlock_two(struct sched_cpu *a, struct sched_cpu *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

/*
 * Locks the CPU t belongs to, and `also` with it (in order; NULL: none).
 * Returns t's CPU, which stays t's while its lock is held. Interrupts off.
 */
static inline struct sched_cpu *rq_lock_thread(struct thread *t, struct sched_cpu *also)
{
	for (;;) {
		struct sched_cpu *home = &sched_cpus[__atomic_load_n(&t->cpu, __ATOMIC_RELAXED)];

		rq_lock_two(home, also ? also : home);
		if (__atomic_load_n(&t->cpu, __ATOMIC_RELAXED) == home->id)
			return home;
		rq_unlock_two(home, also ? also : home);	/* it moved meanwhile */
	}
}

/* Puts runnable t on sc's queue, at the back or (the next to run) at the front. */
void runq_add_locked(struct sched_cpu *sc, struct thread *t, bool front);
/* Takes the first thread off sc's queue, or NULL. */
struct thread *runq_pop_locked(struct sched_cpu *sc);
/* Tells sc to look at its queue now if it idles (an IPI unless it is this CPU). */
void rq_kick_locked(struct sched_cpu *sc);

/* balance.c: the CPU a thread woken from `home` should run on (unlocked reads; a hint). */
struct sched_cpu *balance_wake_target(struct sched_cpu *home);
/* The CPU a new thread should start on. */
struct sched_cpu *balance_new_target(void);
/* On an idle CPU, interrupts off: moves one queued thread from a busy CPU here. */
bool balance_steal(struct sched_cpu *sc);
/* From the tick, no lock held: moves one queued thread to a CPU with less work. */
void balance_push(struct sched_cpu *sc);

#endif
