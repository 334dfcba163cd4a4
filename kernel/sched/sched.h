/* SPDX-License-Identifier: MIT */
/*
 * The scheduler: preemptive round robin over runnable threads, one run queue
 * per CPU (sched_cpu.h; which CPU a thread runs on: balance.c). A thread runs
 * until it blocks, exits, or the tick finds its time slice used up while it
 * is in user mode; the kernel itself is not preempted (it yields at return
 * to user mode). Every CPU schedules; another CPU is told to look at its
 * queue with a reschedule IPI.
 */
#ifndef CAPOS_KERNEL_SCHED_SCHED_H
#define CAPOS_KERNEL_SCHED_SCHED_H

#include "arch/x86_64/percpu.h"
#include "sched/thread.h"

#define SCHED_SLICE_TICKS 2	/* 20 ms at 100 Hz */

/* Makes the calling boot context the boot CPU's idle thread. */
void sched_init(void);
/* On an AP once it is set up: makes it schedule, as its idle thread. Does not return. */
_Noreturn void sched_ap_start(void);
/* The reschedule IPI's work (interrupt context): look at the queue at the next chance. */
void sched_resched_ipi(void);
/* Prints each CPU's count of switches to user threads (the proof that every CPU ran them). */
void sched_print_cpus(void);
/* Makes a new thread runnable. */
void sched_add(struct thread *t);
/* The thread running on this CPU: the caller's own (the same wherever it runs). */
static inline struct thread *sched_current(void)
{
	struct thread *t;

	__asm__("movq %%gs:%c1, %0" : "=r"(t) : "i"(CPU_OFF_CURRENT));
	return t;
}
/*
 * Blocks the current thread until thread_wake or the tick `deadline` (0: no
 * deadline). Returns true if woken, false if timed out. Must not hold locks.
 * A thread the caller claimed (sched_claim_blocked) runs in its place.
 */
bool sched_block(uint64_t deadline);
/*
 * Direct hand-off without a lost thread (the IPC fast path's switch to its
 * peer). A waker that holds what keeps a blocked thread alive (its IPC peer
 * lock) may claim it with sched_claim_blocked(): true if it was blocked, and
 * then nothing else runs it, so it cannot exit, until the claimer's
 * sched_block() runs it in the claimer's place, or sched_handoff_release()
 * queues it to run next. The claimer keeps it in its thread's `handoff`.
 * Any context that may take a run-queue lock.
 */
bool sched_claim_blocked(struct thread *t);
void sched_handoff_release(void);
/* Wakes a blocked thread (or records the wake if it has not blocked yet). Any context. */
void sched_wake(struct thread *t);
/*
 * Like sched_wake, but `t` runs next on this CPU, ahead of the run queue: an
 * IPC peer that was just handed a message (direct hand-off).
 */
void sched_wake_handoff(struct thread *t);
/* Gives up the CPU if another thread is runnable. */
void sched_yield(void);
/* Ends the current thread; its stack is freed by the next thread. Does not return. */
_Noreturn void sched_exit_current(void);
/*
 * Makes thread t run fn (which must not return) the next time it runs,
 * from the top of its kernel stack, abandoning whatever it was doing in
 * the kernel: how a process is killed (proc_kill). That loses nothing: a
 * thread switched out in the kernel holds no lock, and its stack holds
 * nothing that anything else points to (it is in sched_block or
 * sched_yield, or has not run yet; no call handler blocks, ipc/kcall.h).
 * A blocked thread is woken (and leaves the sleep list); a runnable one
 * runs fn when its turn comes; a claimed one (THREAD_HANDOFF) is left to
 * its claimer, which runs it as it would have; one running on another CPU
 * is sent a reschedule IPI and runs fn at its next block, yield or return
 * to user mode. t must not be the calling thread. Returns the state t was in.
 * Any context that may take a run-queue lock.
 */
enum thread_state sched_restart(struct thread *t, void (*fn)(void));
/* Called from the timer interrupt: timeouts, the alarm and time-slice accounting. */
void sched_tick(void);
/*
 * Starts a kernel thread that runs fn (which never returns) in the kernel's
 * address space with interrupts on; it blocks and wakes like any thread.
 * Returns it, or NULL when out of memory. Thread context.
 */
struct thread *sched_kthread_create(void (*fn)(void));
/*
 * The alarm: the tick wakes `t` (a kernel thread that waits in
 * sched_block(0)) once the monotonic clock (arch_now_ns) reaches due_ns,
 * ahead of the run queue, and asks the running thread to yield, so `t` runs
 * within the tick that finds the time has come. The tick then disarms it
 * (UINT64_MAX: never); the thread arms it again, so it is woken at most once
 * per tick. One alarm in the system: the timer queue's (obj/timer_queue.c).
 * Any context; takes no lock.
 */
void sched_alarm_arm(struct thread *t, uint64_t due_ns);
/* True when the current thread should yield at its next return to user mode. */
static inline bool sched_should_yield(void)
{
	uint32_t on;

	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(on) : "i"(CPU_OFF_NEED_RESCHED));
	return on;
}
/* Runs forever as the idle thread: runs threads when there are any, else hlt; calls on_wake after each wake-up. */
_Noreturn void sched_idle_loop(void (*on_wake)(void));

#endif
