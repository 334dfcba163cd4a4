// SPDX-License-Identifier: MIT
/*
 * Round-robin scheduler. See sched.h for the policy.
 *
 * Locking: sched_lock guards every run queue, the sleep list, each thread's
 * state/next/deadline/wake fields and the per-CPU current pointers. It is
 * taken with interrupts off (the tick takes it too) and is held across the
 * context switch: the thread that comes out of arch_switch_stacks releases it
 * (sched_finish_switch). Lock order: sched_lock is taken after any object or
 * ring lock, never before (ring_wake -> sched_wake runs after cq_lock is dropped).
 *
 * A dead thread cannot free the stack it is running on, so it is left in
 * `reap` and freed by whichever thread runs next on that CPU.
 *
 * The alarm (sched_alarm_arm) is the one piece of timed work the tick hands
 * to a thread: interrupt context cannot post CQEs (ring/ring.h), so the tick
 * only compares the clock with one atomic deadline and wakes the timer
 * queue's kernel thread, which does the work.
 */
#include "arch/arch.h"
#include "arch/x86_64/thread_arch.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "lib/spinlock.h"
#include "mm/kmalloc.h"
#include "mm/kstack.h"
#include "proc/init.h"
#include "sched/sched.h"

struct runq {
	struct thread *head;
	struct thread *tail;
};

struct sched_cpu {
	struct thread *current;
	struct thread idle;
	struct thread *reap;		/* dead thread whose stack is still in use */
	struct runq runq;
	uint32_t slice_used;		/* ticks the current thread has run */
	bool need_resched;
};

static struct spinlock sched_lock = SPINLOCK_INIT_RANK(LOCK_RANK_RUNQ);
static struct sched_cpu sched_cpus[1];	/* TODO(#8): one per CPU */
static struct thread *sleepers;		/* blocked threads with a deadline */
static struct thread *alarm_thread;	/* set by sched_alarm_arm, read by the tick */
static uint64_t alarm_due = UINT64_MAX;	/* atomic: arm stores it, the tick disarms by CAS */

static struct sched_cpu *this_sched(void)
{
	return &sched_cpus[0];
}

static uint64_t sched_lock_irq(void)
{
	uint64_t flags = arch_irq_save();

	spin_lock(&sched_lock);
	return flags;
}

static void sched_unlock_irq(uint64_t flags)
{
	spin_unlock(&sched_lock);
	arch_irq_restore(flags);
}

static void runq_push_locked(struct runq *q, struct thread *t)
{
	assert_held(&sched_lock);
	t->next = NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
}

/* Direct hand-off: the woken peer runs next on this CPU, ahead of the queue. */
static void runq_push_front_locked(struct runq *q, struct thread *t)
{
	assert_held(&sched_lock);
	t->next = q->head;
	q->head = t;
	if (!q->tail)
		q->tail = t;
}

static struct thread *runq_pop_locked(struct runq *q)
{
	struct thread *t = q->head;

	assert_held(&sched_lock);
	if (t) {
		q->head = t->next;
		if (!q->head)
			q->tail = NULL;
		t->next = NULL;
	}
	return t;
}

static void sleepers_remove_locked(struct thread *t)
{
	assert_held(&sched_lock);
	for (struct thread **p = &sleepers; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			t->next = NULL;
			return;
		}
	}
}

void sched_init(void)
{
	struct sched_cpu *sc = this_sched();

	sc->idle.state = THREAD_RUNNABLE;
	sc->current = &sc->idle;
}

struct thread *sched_current(void)
{
	return this_sched()->current;
}

void sched_add(struct thread *t)
{
	uint64_t flags = sched_lock_irq();

	t->state = THREAD_RUNNABLE;
	runq_push_locked(&this_sched()->runq, t);
	sched_unlock_irq(flags);
}

/* Runs in the thread that just got the CPU, with sched_lock held and interrupts off. */
void sched_finish_switch(void)
{
	struct sched_cpu *sc = this_sched();
	struct thread *dead = sc->reap;

	sc->reap = NULL;
	spin_unlock(&sched_lock);
	if (dead) {
		kstack_free(dead->kstack_top);
		(void)kfree(dead);
		init_check_reaped();
	}
}

/*
 * Runs `next` (not the current thread `prev`) on this CPU with a new time
 * slice. Called with sched_lock held and interrupts off; returns in prev,
 * once it runs again, with the lock released and interrupts still off.
 */
static void switch_to_locked(struct sched_cpu *sc, struct thread *prev, struct thread *next)
{
	assert_held(&sched_lock);
	sc->slice_used = 0;
	sc->need_resched = false;
	sc->current = next;
	arch_thread_switch_fpu(prev, next);
	arch_thread_activate(next);
	lockdep_assert_switch(&sched_lock);
	arch_switch_stacks(&prev->ksp, next->ksp);
	sched_finish_switch();
}

/*
 * Picks the next thread and switches to it. Called with sched_lock held and
 * interrupts off; returns (in the original thread, once it runs again) with the
 * lock released and interrupts still off.
 */
static void switch_locked(void)
{
	struct sched_cpu *sc = this_sched();
	struct thread *prev = sc->current;
	struct thread *next;

	assert_held(&sched_lock);
	next = runq_pop_locked(&sc->runq);
	if (!next)
		next = prev->state == THREAD_RUNNABLE ? prev : &sc->idle;
	if (prev->state == THREAD_RUNNABLE && prev != &sc->idle && prev != next)
		runq_push_locked(&sc->runq, prev);
	if (prev->state == THREAD_DEAD)
		sc->reap = prev;
	if (next == prev) {
		sc->slice_used = 0;
		sc->need_resched = false;
		spin_unlock(&sched_lock);
		return;
	}
	switch_to_locked(sc, prev, next);
}

void sched_yield(void)
{
	uint64_t flags = sched_lock_irq();

	switch_locked();
	arch_irq_restore(flags);
}

/* sched_block with sched_lock taken by sched_lock_irq(), which returned `flags`. */
static bool block_locked(uint64_t deadline, uint64_t flags)
{
	struct thread *t = this_sched()->current;
	bool woken = true;

	assert_held(&sched_lock);
	t->timed_out = false;
	if (t->wake_pending) {
		t->wake_pending = false;
		spin_unlock(&sched_lock);
	} else {
		__atomic_store_n(&t->state, THREAD_BLOCKED, __ATOMIC_RELAXED);	/* see wake_locked */
		t->deadline = deadline;
		if (deadline) {
			t->next = sleepers;
			sleepers = t;
		}
		switch_locked();
		woken = !t->timed_out;
	}
	arch_irq_restore(flags);
	return woken;
}

/* A blocked thread becomes runnable (the caller puts it on a run queue or runs it). */
static void unblock_locked(struct thread *t, bool timed_out)
{
	assert_held(&sched_lock);
	if (t->deadline)
		sleepers_remove_locked(t);
	t->deadline = 0;
	t->timed_out = timed_out;
	t->wake_pending = false;
	__atomic_store_n(&t->state, THREAD_RUNNABLE, __ATOMIC_RELAXED);
}

static void wake_locked(struct thread *t, bool timed_out, bool handoff)
{
	enum thread_state blocked = THREAD_BLOCKED;

	assert_held(&sched_lock);
	/* A CAS: sched_claim_blocked may take a blocked thread without sched_lock. */
	if (!__atomic_compare_exchange_n(&t->state, &blocked, THREAD_RUNNABLE, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
		if (!timed_out)
			t->wake_pending = true;	/* running, or claimed (it runs soon) */
		return;
	}
	unblock_locked(t, timed_out);
	if (handoff)
		runq_push_front_locked(&this_sched()->runq, t);
	else
		runq_push_locked(&this_sched()->runq, t);
}

void sched_wake(struct thread *t)
{
	uint64_t flags = sched_lock_irq();

	wake_locked(t, false, false);
	sched_unlock_irq(flags);
}

void sched_wake_handoff(struct thread *t)
{
	uint64_t flags = sched_lock_irq();

	wake_locked(t, false, true);
	sched_unlock_irq(flags);
}

static bool handoff_block(struct thread *next, uint64_t deadline);

bool sched_block(uint64_t deadline)
{
	struct thread *t = sched_current(), *next = t->handoff;

	lockdep_assert_may_block(&t->ring.consuming);
	if (next) {
		t->handoff = NULL;
		return handoff_block(next, deadline);
	}
	return block_locked(deadline, sched_lock_irq());
}

bool sched_claim_blocked(struct thread *t)
{
	enum thread_state blocked = THREAD_BLOCKED;

	/* The one move out of BLOCKED without sched_lock; wake_locked's is a CAS too. */
	return __atomic_compare_exchange_n(&t->state, &blocked, THREAD_HANDOFF, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Runs `next`, which the current thread claimed, in its place, as it blocks. */
static bool handoff_block(struct thread *next, uint64_t deadline)
{
	uint64_t flags = sched_lock_irq();
	struct sched_cpu *sc = this_sched();
	struct thread *t = sc->current;

	unblock_locked(next, false);	/* ours since sched_claim_blocked: runnable now */
	if (t->wake_pending) {
		/* t is not to sleep after all: next runs first when t gives up the CPU. */
		runq_push_front_locked(&sc->runq, next);
		return block_locked(deadline, flags);
	}
	t->timed_out = false;
	__atomic_store_n(&t->state, THREAD_BLOCKED, __ATOMIC_RELAXED);
	t->deadline = deadline;
	if (deadline) {
		t->next = sleepers;
		sleepers = t;
	}
	switch_to_locked(sc, t, next);
	arch_irq_restore(flags);
	return !t->timed_out;
}

void sched_handoff_release(void)
{
	struct thread *next = sched_current()->handoff;

	if (next) {
		uint64_t flags = sched_lock_irq();

		sched_current()->handoff = NULL;
		unblock_locked(next, false);
		runq_push_front_locked(&this_sched()->runq, next);	/* it runs next */
		sched_unlock_irq(flags);
	}
}

void sched_exit_current(void)
{
	struct thread *t;

	arch_irq_save();
	spin_lock(&sched_lock);
	t = this_sched()->current;
	assert(t->deadline == 0);	/* not on the sleep list, which would outlive it */
	t->state = THREAD_DEAD;
	switch_locked();
	panic("sched: a dead thread was scheduled again");
}

enum thread_state sched_restart(struct thread *t, void (*fn)(void))
{
	uint64_t flags = sched_lock_irq();
	enum thread_state was = __atomic_load_n(&t->state, __ATOMIC_RELAXED);

	/* TODO(#15): a thread running on another CPU needs an IPI and a check on its way out. */
	assert(t != this_sched()->current && was != THREAD_DEAD);
	assert(!t->handoff);	/* a claim ends before its claimer is switched out */
	arch_thread_restart(t, fn);
	/*
	 * BLOCKED: runnable now. HANDOFF (a claimer may have moved it there
	 * since the load above: wake_locked's compare-and-swap decides) and
	 * RUNNABLE: it runs fn when switched to; the wake_pending this leaves
	 * is never read, since fn never blocks before the thread dies.
	 */
	wake_locked(t, false, false);
	sched_unlock_irq(flags);
	return was;
}

/*
 * The alarm's half of the tick: if its time has come, disarm it (a CAS, so
 * that an arm racing with us is not lost: it is seen next tick), wake its
 * thread to run next and make the running thread yield to it.
 */
static void alarm_check_locked(struct sched_cpu *sc)
{
	uint64_t due = __atomic_load_n(&alarm_due, __ATOMIC_ACQUIRE);
	struct thread *t = __atomic_load_n(&alarm_thread, __ATOMIC_ACQUIRE);

	assert_held(&sched_lock);
	if (!t || due == UINT64_MAX || arch_now_ns() < due)
		return;
	if (!__atomic_compare_exchange_n(&alarm_due, &due, UINT64_MAX, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		return;
	wake_locked(t, false, true);
	sc->need_resched = true;
}

void sched_alarm_arm(struct thread *t, uint64_t due_ns)
{
	__atomic_store_n(&alarm_thread, t, __ATOMIC_RELEASE);
	__atomic_store_n(&alarm_due, due_ns, __ATOMIC_RELEASE);
}

void sched_tick(void)
{
	struct sched_cpu *sc = this_sched();
	uint64_t now = arch_ticks();

	spin_lock(&sched_lock);
	for (struct thread *t = sleepers, *next; t; t = next) {
		next = t->next;
		if (t->deadline <= now)
			wake_locked(t, true, false);
	}
	alarm_check_locked(sc);
	if (sc->current != &sc->idle && ++sc->slice_used >= SCHED_SLICE_TICKS && sc->runq.head)
		sc->need_resched = true;
	if (sc->current == &sc->idle && sc->runq.head)
		sc->need_resched = true;
	spin_unlock(&sched_lock);
}

struct thread *sched_kthread_create(void (*fn)(void))
{
	struct thread *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->kstack_top = kstack_alloc();
	if (!t->kstack_top) {
		(void)kfree(t);
		return NULL;
	}
	arch_thread_restart(t, fn);	/* its first switch-in runs fn, interrupts on */
	sched_add(t);
	return t;
}

bool sched_should_yield(void)
{
	return this_sched()->need_resched;
}

void sched_idle_loop(void (*on_wake)(void))
{
	struct sched_cpu *sc = this_sched();

	for (;;) {
		arch_irq_save();
		if (sc->runq.head)
			sched_yield();
		arch_idle();	/* sti; hlt: no wake-up is lost between the check and hlt */
		if (on_wake)
			on_wake();
	}
}
