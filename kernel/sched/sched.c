// SPDX-License-Identifier: MIT
/*
 * The per-CPU scheduler: round robin on each CPU's run queue. See sched.h
 * for the policy, sched_cpu.h for the locking, balance.c for which CPU a
 * thread runs on.
 *
 * A CPU's lock is held across its context switch: the thread that comes out
 * of arch_switch_stacks releases it (sched_finish_switch). Lock order:
 * run-queue locks are taken after any object or ring lock, never before
 * (ring_wake -> sched_wake runs after cq_lock is dropped), two of them only
 * in CPU order.
 *
 * A dead thread cannot free the stack it is running on, so it is left in
 * its CPU's `reap` and freed by whichever thread runs next on that CPU.
 *
 * The alarm (sched_alarm_arm) is the one piece of timed work the tick hands
 * to a thread: interrupt context cannot post CQEs (ring/ring.h), so the boot
 * CPU's tick only compares the clock with one atomic deadline and wakes the
 * timer queue's kernel thread, which does the work.
 */
#include "arch/arch.h"
#include "arch/x86_64/ipi.h"
#include "arch/x86_64/thread_arch.h"
#include "lib/kprintf.h"
#include "mm/kmalloc.h"
#include "mm/kstack.h"
#include "proc/init.h"
#include "sched/sched.h"
#include "sched/sched_cpu.h"

struct sched_cpu sched_cpus[MAX_CPUS];
uint32_t sched_ncpus;
static struct thread *alarm_thread;	/* set by sched_alarm_arm, read by the tick */
static uint64_t alarm_due = UINT64_MAX;	/* atomic: arm stores it, the tick disarms by CAS */

/* t, last on another CPU, is sc's now (both locked). */
static void count_arrival_locked(struct sched_cpu *sc, struct thread *t)
{
	assert_held(&sc->lock);
	if (t->cpu != sc->id) {
		__atomic_store_n(&sc->arrivals, sc->arrivals + 1, __ATOMIC_RELAXED);
		t->cpu = sc->id;
	}
}

void runq_add_locked(struct sched_cpu *sc, struct thread *t, bool front)
{
	struct runq *q = &sc->runq;

	assert_held(&sc->lock);
	count_arrival_locked(sc, t);
	if (front) {
		t->next = q->head;
		q->head = t;
		if (!q->tail)
			q->tail = t;
	} else {
		t->next = NULL;
		if (q->tail)
			q->tail->next = t;
		else
			q->head = t;
		q->tail = t;
	}
	__atomic_store_n(&q->len, q->len + 1, __ATOMIC_RELAXED);	/* read unlocked: rq_load */
}

struct thread *runq_pop_locked(struct sched_cpu *sc)
{
	struct runq *q = &sc->runq;
	struct thread *t = q->head;

	assert_held(&sc->lock);
	if (t) {
		q->head = t->next;
		if (!q->head)
			q->tail = NULL;
		t->next = NULL;
		__atomic_store_n(&q->len, q->len - 1, __ATOMIC_RELAXED);
	}
	return t;
}

void rq_kick_locked(struct sched_cpu *sc)
{
	assert_held(&sc->lock);
	if (sc->current != &sc->idle)
		return;		/* it takes the queue at its next switch or tick */
	if (sc == this_sched())
		set_need_resched(true);
	else
		(void)ipi_post(sc->id, IPI_RESCHEDULE);
}

static uint64_t rq_lock_irq(struct sched_cpu *sc)
{
	uint64_t flags = arch_irq_save();

	spin_lock(&sc->lock);
	return flags;
}

static void rq_unlock_irq(struct sched_cpu *sc, uint64_t flags)
{
	spin_unlock(&sc->lock);
	arch_irq_restore(flags);
}

static void sleepers_remove_locked(struct sched_cpu *sc, struct thread *t)
{
	assert_held(&sc->lock);
	for (struct thread **p = &sc->sleepers; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			t->next = NULL;
			return;
		}
	}
}

static void sched_init_cpu(uint32_t id)
{
	struct sched_cpu *sc = &sched_cpus[id];

	spin_init_class_key(&sc->lock, LOCK_RANK_RUNQ, (uint16_t)id);	/* nest in CPU order */
	sc->id = id;
	sc->idle.state = THREAD_RUNNABLE;
	sc->idle.cpu = id;
	sc->current = &sc->idle;
	cpus[id].current = &sc->idle;
	cpus[id].sched = sc;
	__atomic_store_n(&sched_ncpus, id + 1, __ATOMIC_RELEASE);	/* CPUs start in order */
}

void sched_init(void)
{
	sched_init_cpu(0);
}

void sched_ap_start(void)
{
	sched_init_cpu(this_cpu()->id);
	sched_idle_loop(NULL);
}

void sched_add(struct thread *t)
{
	struct sched_cpu *sc = balance_new_target();
	uint64_t flags = rq_lock_irq(sc);

	t->state = THREAD_RUNNABLE;
	runq_add_locked(sc, t, false);
	rq_kick_locked(sc);
	rq_unlock_irq(sc, flags);
}

/* Frees a dead thread once its stack is no longer in use. Out of line: rare. */
static __attribute__((noinline, cold)) void reap(struct thread *dead)
{
	kstack_free(dead->kstack_top);
	(void)kfree(dead);
	init_check_reaped();
}

/* Runs in the thread that just got the CPU, with its lock held and interrupts off. */
void sched_finish_switch(void)
{
	struct sched_cpu *sc = this_sched();
	struct thread *dead = sc->reap;

	sc->reap = NULL;
	spin_unlock(&sc->lock);
	if (__builtin_expect(dead != NULL, 0))
		reap(dead);
}

/*
 * Runs `next` (not the current thread `prev`) on this CPU with a new time
 * slice. Called with sc's lock held and interrupts off; returns in prev,
 * once it runs again (perhaps on another CPU), with the lock it switched
 * under released and interrupts still off.
 */
static void switch_to_locked(struct sched_cpu *sc, struct thread *prev, struct thread *next)
{
	assert_held(&sc->lock);
	sc->slice_used = 0;
	set_need_resched(next->restart_fn != NULL);	/* see sched_restart */
	sc->current = next;
	this_cpu()->current = next;
	if (next->proc)
		__atomic_store_n(&sc->user_runs, sc->user_runs + 1, __ATOMIC_RELAXED);
	arch_thread_switch_fpu(prev, next);
	arch_thread_activate(next);
	lockdep_assert_switch(&sc->lock);
	arch_switch_stacks(&prev->ksp, next->ksp);
	sched_finish_switch();
}

/*
 * Picks the next thread and switches to it. Called with sc's lock held and
 * interrupts off; returns (in the original thread, once it runs again) with
 * the lock released and interrupts still off.
 */
static void switch_locked(struct sched_cpu *sc)
{
	struct thread *prev = sc->current;
	struct thread *next;

	assert_held(&sc->lock);
	next = runq_pop_locked(sc);
	if (!next)
		next = prev->state == THREAD_RUNNABLE ? prev : &sc->idle;
	if (prev->state == THREAD_RUNNABLE && prev != &sc->idle && prev != next)
		runq_add_locked(sc, prev, false);
	if (prev->state == THREAD_DEAD)
		sc->reap = prev;
	if (next == prev) {
		sc->slice_used = 0;
		set_need_resched(prev->restart_fn != NULL);
		spin_unlock(&sc->lock);
		return;
	}
	switch_to_locked(sc, prev, next);
}

/* The current thread was sched_restart-ed while it ran: it leaves for fn now. */
static _Noreturn void run_restart(struct thread *t)
{
	void (*fn)(void) = t->restart_fn;

	t->restart_fn = NULL;
	sched_handoff_release();
	arch_irq_enable();
	fn();
	panic("sched: a restart function returned");
}

void sched_yield(void)
{
	struct thread *t = sched_current();
	uint64_t flags;

	if (__atomic_load_n(&t->restart_fn, __ATOMIC_RELAXED))
		run_restart(t);
	flags = rq_lock_irq(this_sched());
	switch_locked(this_sched());
	arch_irq_restore(flags);
	if (__atomic_load_n(&t->restart_fn, __ATOMIC_RELAXED))
		run_restart(t);	/* restarted while it waited in the queue's running slot */
}

/* Puts the current thread t to sleep on sc, with the lock held; it runs again once woken. */
static void sleep_locked(struct sched_cpu *sc, struct thread *t, uint64_t deadline)
{
	assert_held(&sc->lock);
	t->timed_out = false;
	__atomic_store_n(&t->state, THREAD_BLOCKED, __ATOMIC_RELAXED);	/* see wake_locked */
	t->deadline = deadline;
	if (deadline) {
		t->next = sc->sleepers;
		sc->sleepers = t;
	}
}

/*
 * sched_block with this CPU's lock taken by rq_lock_irq(), which returned
 * `flags`. Not inlined (nor are the other paths of a block or wake): inlined
 * into syscall_dispatch they cost the IPC round trip ~100 instructions of
 * register spills.
 */
static __attribute__((noinline)) bool block_locked(struct sched_cpu *sc, uint64_t deadline, uint64_t flags)
{
	struct thread *t = sc->current;
	bool woken = true;

	assert_held(&sc->lock);
	if (t->restart_fn) {
		spin_unlock(&sc->lock);
		run_restart(t);
	}
	t->timed_out = false;
	if (t->wake_pending) {
		t->wake_pending = false;
		spin_unlock(&sc->lock);
	} else {
		sleep_locked(sc, t, deadline);
		switch_locked(sc);
		woken = !t->timed_out;
	}
	arch_irq_restore(flags);
	return woken;
}

/* A blocked thread of home becomes runnable (the caller queues it or runs it). */
static void unblock_locked(struct sched_cpu *home, struct thread *t, bool timed_out)
{
	assert_held(&home->lock);
	if (t->deadline)
		sleepers_remove_locked(home, t);
	t->deadline = 0;
	t->timed_out = timed_out;
	t->wake_pending = false;
	__atomic_store_n(&t->state, THREAD_RUNNABLE, __ATOMIC_RELAXED);
}

/* BLOCKED -> RUNNABLE (true), or the wake is recorded for later (false). */
static bool wake_locked(struct sched_cpu *home, struct thread *t, bool timed_out)
{
	enum thread_state blocked = THREAD_BLOCKED;

	assert_held(&home->lock);
	/* A CAS: sched_claim_blocked may take a blocked thread without a lock. */
	if (!__atomic_compare_exchange_n(&t->state, &blocked, THREAD_RUNNABLE, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
		if (!timed_out)
			t->wake_pending = true;	/* running, or claimed (it runs soon) */
		return false;
	}
	unblock_locked(home, t, timed_out);
	return true;
}

/* Wakes t onto `target` (a hint: any CPU will do), at the front if it is to run next. */
static __attribute__((noinline)) void wake_onto(struct thread *t, struct sched_cpu *target, bool front)
{
	uint64_t flags = arch_irq_save();
	struct sched_cpu *home = rq_lock_thread(t, target);

	if (wake_locked(home, t, false)) {
		runq_add_locked(target, t, front);
		rq_kick_locked(target);
	}
	rq_unlock_two(home, target);
	arch_irq_restore(flags);
}

void sched_wake(struct thread *t)
{
	struct sched_cpu *home = &sched_cpus[__atomic_load_n(&t->cpu, __ATOMIC_RELAXED)];

	wake_onto(t, balance_wake_target(home), false);
}

void sched_wake_handoff(struct thread *t)
{
	wake_onto(t, this_sched(), true);
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
	return block_locked(this_sched(), deadline, rq_lock_irq(this_sched()));
}

bool sched_claim_blocked(struct thread *t)
{
	enum thread_state blocked = THREAD_BLOCKED;

	/* The one move out of BLOCKED without a lock; wake_locked's is a CAS too. */
	return __atomic_compare_exchange_n(&t->state, &blocked, THREAD_HANDOFF, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * Takes `next`, which the current thread claimed, off its CPU (whose lock
 * we take: its switch away from it is then complete) onto this one, locked
 * and runnable. Returns this CPU, its lock held.
 */
static struct sched_cpu *take_claimed(struct thread *next)
{
	struct sched_cpu *sc = this_sched();
	struct sched_cpu *home = sc;

	/*
	 * A claimed thread is in no queue and runs nowhere, so its cpu cannot
	 * change; one that last ran here is off this CPU (we run): one lock.
	 */
	if (__builtin_expect(__atomic_load_n(&next->cpu, __ATOMIC_RELAXED) == sc->id, 1))
		spin_lock(&sc->lock);
	else
		home = rq_lock_thread(next, sc);

	unblock_locked(home, next, false);	/* ours since sched_claim_blocked: runnable now */
	if (home != sc) {
		count_arrival_locked(sc, next);
		spin_unlock(&home->lock);
	}
	return sc;
}

/* Runs `next`, which the current thread claimed, in its place, as it blocks. */
static __attribute__((noinline)) bool handoff_block(struct thread *next, uint64_t deadline)
{
	uint64_t flags = arch_irq_save();
	struct sched_cpu *sc = take_claimed(next);
	struct thread *t = sc->current;

	if (t->wake_pending || t->restart_fn) {
		/* t is not to sleep after all: next runs first when t gives up the CPU. */
		runq_add_locked(sc, next, true);
		return block_locked(sc, deadline, flags);
	}
	sleep_locked(sc, t, deadline);
	switch_to_locked(sc, t, next);
	arch_irq_restore(flags);
	return !t->timed_out;
}

__attribute__((noinline)) void sched_handoff_release(void)
{
	struct thread *next = sched_current()->handoff;

	if (next) {
		uint64_t flags = arch_irq_save();
		struct sched_cpu *sc;

		sched_current()->handoff = NULL;
		sc = take_claimed(next);
		runq_add_locked(sc, next, true);	/* it runs next */
		rq_unlock_irq(sc, flags);
	}
}

void sched_exit_current(void)
{
	struct sched_cpu *sc;
	struct thread *t;

	arch_irq_save();
	sc = this_sched();
	spin_lock(&sc->lock);
	t = sc->current;
	assert(t->deadline == 0);	/* not on the sleep list, which would outlive it */
	t->state = THREAD_DEAD;
	switch_locked(sc);
	panic("sched: a dead thread was scheduled again");
}

enum thread_state sched_restart(struct thread *t, void (*fn)(void))
{
	uint64_t flags = arch_irq_save();
	struct sched_cpu *home = rq_lock_thread(t, NULL);
	enum thread_state was = __atomic_load_n(&t->state, __ATOMIC_RELAXED);

	assert(t != sched_current() && was != THREAD_DEAD);
	if (home->current == t) {
		/*
		 * It runs on another CPU: it takes fn at its next block, yield or
		 * return to user mode (need_resched, set by the IPI or, if it
		 * switches first, by switch_to_locked).
		 */
		if (!t->restart_fn)
			t->restart_fn = fn;
		(void)ipi_post(home->id, IPI_RESCHEDULE);
	} else {
		assert(!t->handoff);	/* a claim ends before its claimer is switched out */
		arch_thread_restart(t, fn);
		/*
		 * BLOCKED: runnable now. HANDOFF (a claimer may have moved it there
		 * since the load above: wake_locked's compare-and-swap decides) and
		 * RUNNABLE: it runs fn when switched to; the wake_pending this
		 * leaves is never read, since fn never blocks before the thread dies.
		 */
		if (wake_locked(home, t, false)) {
			runq_add_locked(home, t, false);
			rq_kick_locked(home);
		}
	}
	spin_unlock(&home->lock);
	arch_irq_restore(flags);
	return was;
}

void sched_resched_ipi(void)
{
	set_need_resched(true);
}

/*
 * The alarm's half of the boot CPU's tick: if its time has come, disarm it
 * (a CAS, so that an arm racing with us is not lost: it is seen next tick),
 * wake its thread to run next here and make the running thread yield to it.
 */
static void alarm_check(struct sched_cpu *sc)
{
	uint64_t due = __atomic_load_n(&alarm_due, __ATOMIC_ACQUIRE);
	struct thread *t = __atomic_load_n(&alarm_thread, __ATOMIC_ACQUIRE);

	if (!t || due == UINT64_MAX || arch_now_ns() < due)
		return;
	if (!__atomic_compare_exchange_n(&alarm_due, &due, UINT64_MAX, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		return;
	wake_onto(t, sc, true);
	set_need_resched(true);
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

	spin_lock(&sc->lock);
	for (struct thread *t = sc->sleepers, *next; t; t = next) {
		next = t->next;
		if (t->deadline <= now && wake_locked(sc, t, true))
			runq_add_locked(sc, t, false);
	}
	if (sc->current != &sc->idle && ++sc->slice_used >= SCHED_SLICE_TICKS && sc->runq.head)
		set_need_resched(true);
	if (sc->current == &sc->idle && sc->runq.head)
		set_need_resched(true);
	spin_unlock(&sc->lock);
	if (sc->id == 0)
		alarm_check(sc);
	balance_push(sc);
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

void sched_idle_loop(void (*on_wake)(void))
{
	struct sched_cpu *sc = this_sched();

	for (;;) {
		arch_irq_save();
		if (!__atomic_load_n(&sc->runq.len, __ATOMIC_RELAXED))
			(void)balance_steal(sc);
		if (__atomic_load_n(&sc->runq.len, __ATOMIC_RELAXED))
			sched_yield();	/* back here once the queue is empty */
		else
			arch_idle();	/* sti; hlt: a kick's IPI after the check ends the hlt */
		if (on_wake)
			on_wake();
	}
}

void sched_print_cpus(void)
{
	uint32_t n = sched_cpu_count();

	for (uint32_t i = 0; i < n; i++)
		kprintf("sched: cpu %u ran user threads %llu times, took %llu threads from other CPUs\n",
			i, (unsigned long long)__atomic_load_n(&sched_cpus[i].user_runs, __ATOMIC_RELAXED),
			(unsigned long long)__atomic_load_n(&sched_cpus[i].arrivals, __ATOMIC_RELAXED));
}
