// SPDX-License-Identifier: MIT
/*
 * Process lifecycle: allocation, exit and teardown, and cap_enter.
 *
 * Exit order matters: every other thread is stopped first; each thread then
 * leaves (proc/threads.c: its IPC peer dies, it leaves the address space);
 * the last to leave publishes the exit record (waiters may run at once),
 * releases every capability (objects may be destroyed), destroys
 * the address space, and exits; its kernel stack and struct thread are
 * freed by the next thread to run (sched.c). The struct proc goes with it.
 */
#include <capos/errors.h>
#include <capos/syscall.h>

#include "capos.capnp.h"
#include "arch/arch.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/thread_arch.h"
#include "arch/x86_64/x86.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/account.h"
#include "mm/frame.h"
#include "mm/kmalloc.h"
#include "mm/kstack.h"
#include "ipc/fastpath.h"
#include "ipc/peer.h"
#include "obj/process_handle.h"
#include "proc/init.h"
#include "proc/park.h"
#include "obj/virtual_memory.h"
#include "proc/proc.h"
#include "proc/proc_internal.h"
#include "ring/seam.h"
#include "sched/sched.h"

#define RING_BUDGET CAPOS_RING_SQ_ENTRIES	/* SQEs per cap_enter: bounded work */

static uint32_t next_pid = 1;
static uint32_t live_procs;

uint32_t proc_count(void)
{
	return __atomic_load_n(&live_procs, __ATOMIC_RELAXED);
}

uint32_t proc_created_count(void)
{
	return __atomic_load_n(&next_pid, __ATOMIC_RELAXED) - 1;
}

struct proc *proc_current(void)
{
	return sched_current()->proc;
}

struct proc *proc_alloc(const char *name)
{
	struct proc *p = kzalloc(sizeof(*p));
	struct thread *t = kzalloc(sizeof(*t));

	if (!p || !t || arch_thread_fpu_alloc(t) != 0)
		goto err_free;
	p->pid = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
	size_t n = strnlen(name, PROC_NAME_MAX - 1);
	memcpy(p->name, name, n);
	spin_init_class(&p->lock, LOCK_RANK_PROC);
	p->thread = t;
	p->threads = t;
	p->nthreads = 1;
	p->ring_used = 1;	/* slot 0: the first thread's ring */
	p->next_tid = 1;
	t->proc = p;
	t->kstack_top = kstack_alloc();
	if (!t->kstack_top)
		goto err_free;
	p->handle = process_handle_create(p);
	if (!p->handle)
		goto err_stack;
	if (as_create(&p->as, FRAME_OWNER_PROC_BASE + p->pid) != 0)
		goto err_handle;
	if (cap_table_init(&p->caps, CAP_TABLE_QUOTA_DEFAULT) != 0)
		goto err_as;
	t->peer = ipc_peer_create(&t->ring, &p->as, &p->caps);
	if (!t->peer)
		goto err_caps;
	/* Fixed for the thread's life: cap_enter passes it, not a copy built each time. */
	t->caller = (struct ring_caller){ .caps = &p->caps, .as = &p->as, .proc = p,
					  .claim = &t->claim, .peer = t->peer };
	return p;

err_caps:
	cap_table_destroy(&p->caps);
err_as:
	as_destroy(&p->as);
err_handle:
	kobj_put(&p->handle->obj);
err_stack:
	kstack_free(t->kstack_top);
err_free:
	if (t)
		arch_thread_fpu_free(t);
	(void)kfree(t);
	(void)kfree(p);
	return NULL;
}

/*
 * Frees what a process holds apart from its threads, which have all left
 * (their IPC peers are dead). The CPU must not use `as`.
 */
static void proc_release(struct proc *p)
{
	cap_table_destroy(&p->caps);
	if (p->vm) {
		vm_object_detach(p->vm);	/* holders of it get disconnected from now on */
		kobj_put(&p->vm->obj);
	}
	as_destroy(&p->as);
	for (uint32_t i = 0; i < PROC_THREADS_MAX; i++)
		if (p->ring_pa[i])
			frame_release(p->ring_pa[i], 2);
	kobj_put(&p->handle->obj);
	if (p->spawn_payer) {
		mem_account_uncharge_kmem(p->spawn_payer, p->spawn_bytes);
		mem_account_put(p->spawn_payer);
	}
	if (p->ring_bytes)
		mem_account_uncharge_kmem(p->kmem, p->ring_bytes);
	mem_account_put(p->kmem);	/* NULL for a process that never ran: no-op */
}

void proc_free(struct proc *p)
{
	proc_thread_ipc_end(p->thread);
	proc_release(p);
	arch_thread_fpu_free(p->thread);
	kstack_free(p->thread->kstack_top);
	(void)kfree(p->thread);
	(void)kfree(p);
}

void proc_started(struct proc *p)
{
	if (p->pid == 1)
		init_caps_at(true, cap_table_count(&p->caps));
	__atomic_fetch_add(&live_procs, 1, __ATOMIC_RELAXED);
}

/*
 * The last thread of p has left (proc_thread_leave), running on the
 * kernel's page tables: the process goes, and so does the thread.
 */
_Noreturn void proc_end(struct proc *p)
{
	struct thread *self = sched_current();

	if (p->pid == 1)
		init_caps_at(false, cap_table_count(&p->caps));
	process_handle_exited(p->handle, p->exit_code);	/* before the table goes (capUsage) */
	proc_release(p);
	self->proc = NULL;
	arch_thread_fpu_free(self);	/* no process, no user FPU state */
	if (p->pid == 1)
		init_exiting(p->exit_code);
	(void)kfree(p);
	__atomic_fetch_sub(&live_procs, 1, __ATOMIC_RELAXED);
	sched_exit_current();
}

/*
 * The process ends with `code`: the first caller records it and stops every
 * other thread (proc_stop_threads_locked); then it, like each of them,
 * leaves, and the last to leave publishes the exit and tears the process
 * down (proc_end), so a ProcessHandle.wait completes only once every thread
 * has stopped.
 */
static _Noreturn void proc_exit(struct proc *p, int64_t code)
{
	bool first;

	spin_lock(&p->lock);
	first = !p->exiting;
	if (first) {
		p->exiting = true;
		p->exit_code = code;
		proc_stop_threads_locked(p, sched_current());
	}
	spin_unlock(&p->lock);
	proc_thread_leave(sched_current(), code);
}

/* Out of line and cold: syscall_dispatch, flattened, must not carry the exit path. */
__attribute__((noinline, cold)) void proc_exit_current(int64_t code)
{
	proc_exit(proc_current(), code);
}

__attribute__((noinline, cold)) void proc_thread_exit_current(int64_t value)
{
	struct thread *t = sched_current();

	if (t == t->proc->thread)	/* the first thread's end is the process's */
		proc_exit(t->proc, value);
	proc_thread_leave(t, value);
}

__attribute__((noinline, cold)) void proc_kill_current(const char *reason)
{
	struct proc *p = proc_current();

	klog("proc: killed %u (%s): %s\n", p->pid, p->name, reason);
	proc_exit(p, capos_ProcessHandle_exitFault);
}

/* Where a killed process's first thread restarts (proc_kill): the one teardown. */
static _Noreturn void proc_exit_killed(void)
{
	proc_exit(proc_current(), capos_ProcessHandle_exitKilled);
}

void proc_kill(struct proc *p)
{
	static const char *const was[] = {
		[THREAD_RUNNABLE] = "runnable",
		[THREAD_BLOCKED] = "blocked",
		[THREAD_HANDOFF] = "claimed for a hand-off",
		[THREAD_DEAD] = "dead",
	};
	enum thread_state state = THREAD_DEAD;

	spin_lock(&p->lock);
	if (!p->exiting) {	/* else a thread's exit got there first: it stops them all */
		state = sched_restart(p->thread, proc_exit_killed);
		proc_stop_threads_locked(p, p->thread);
	}
	spin_unlock(&p->lock);
	klog("proc: killed %u (%s) through its handle; it was %s\n", p->pid, p->name, was[state]);
}

uint64_t proc_deadline_of(uint64_t timeout_ns)
{
	if (timeout_ns >= UINT64_MAX / 2)	/* centuries: the same as no timeout */
		return 0;
	uint64_t ns_per_tick = 1000000000ull / arch_tick_hz();
	return arch_ticks() + (timeout_ns + ns_per_tick - 1) / ns_per_tick + 1;
}

static struct thread *ring_thread(struct ring *r)
{
	return (struct thread *)((char *)r - __builtin_offsetof(struct thread, ring));
}

/*
 * The waiting half of cap_enter: until `min` CQEs are ready, the deadline
 * passes, or an early wake-up finds them ready. A peer this cap_enter's
 * submissions claimed (ring_wake) runs in the caller's place when it
 * sleeps (sched_block), or next if it does not.
 */
static int64_t cap_enter_wait(struct thread *t, uint32_t min, uint64_t deadline)
{
	bool busy = false;
	uint32_t ready;

	while (ring_wait_prepare(&t->ring, min, &busy)) {
		uint64_t d = deadline;

		if (__builtin_expect(t->park.queued, 0))	/* off the IPC path */
			d = park_wait_deadline(t, deadline);
		if (!sched_block(d)) {
			ring_wait_finish(&t->ring);	/* timed out: withdraw */
			if (d != deadline && park_expire(t))
				continue;	/* its PARK timed out: that CQE may be enough */
			break;
		}
		if ((ready = ring_cq_ready(&t->ring)) >= min) {
			ring_wait_done(&t->ring);
			return ready;
		}
		ring_wait_finish(&t->ring);	/* an early wake-up token: wait again */
	}
	sched_handoff_release();
	if (busy)
		return CAPOS_ERR_BUSY;
	ready = ring_cq_ready(&t->ring);
	return ready >= min ? (int64_t)ready : CAPOS_ERR_TIMED_OUT;
}

/*
 * After the submissions: cap_enter's result now, or the wait for it. Only
 * an IPC batch (`ipc`, a constant) may have claimed a peer to run.
 */
static inline __attribute__((always_inline)) int64_t cap_enter_complete(struct thread *t,
									 uint32_t min,
									 uint64_t timeout_ns,
									 bool ipc)
{
	/* A claimed peer goes on to the wait, whose first check is this one. */
	if (ipc && t->handoff && timeout_ns)
		return cap_enter_wait(t, min, proc_deadline_of(timeout_ns));
	uint32_t ready = ring_cq_ready(&t->ring);

	if (ready >= min || timeout_ns == 0) {	/* also the null cap_enter */
		if (ipc)
			sched_handoff_release();
		return ready >= min ? (int64_t)ready : CAPOS_ERR_TIMED_OUT;
	}
	return cap_enter_wait(t, min, proc_deadline_of(timeout_ns));
}

/*
 * cap_enter with an IPC batch in the SQ: the fast path (or, if it declines,
 * the general one) and the wait. While it submits, a peer it wakes is
 * claimed to run in its place (ring_wake). syscall_dispatch flattens it
 * into its own frame.
 */
static int64_t cap_enter_ipc(struct thread *t, const struct ring_caller *c, uint32_t n,
			     uint32_t min, uint64_t timeout_ns)
{
	t->handoff_armed = true;
	int done = ipc_fastpath(&t->ring, c, n);
	if (!done)
		done = ring_consume(&t->ring, c, RING_BUDGET);
	t->handoff_armed = false;
	if (done < 0) {
		sched_handoff_release();
		return done;
	}
	return cap_enter_complete(t, min, timeout_ns, true);
}

/*
 * The end of a cap_enter in which an UNPARK claimed the thread it woke
 * (proc/park.c): it runs in the caller's place if the caller waits, else
 * next. Out of line, like cap_enter_park, so that syscall_dispatch's
 * flattened frame (the IPC path's registers) does not grow with it.
 */
static int64_t __attribute__((noinline)) cap_enter_claimed(struct thread *t, int got,
							   uint32_t min, uint64_t timeout_ns)
{
	if (got < 0) {
		sched_handoff_release();
		return got;
	}
	return cap_enter_complete(t, min, timeout_ns, true);
}

/*
 * cap_enter with a park batch in the SQ: the park fast path (or, if it
 * declines, the general one) and the wait. Out of line and flattened on
 * its own: inlined into syscall_dispatch, its code cost the IPC round trip
 * about 60 instructions a side in register spills.
 */
static int64_t __attribute__((noinline, flatten)) cap_enter_park(struct thread *t,
								  const struct ring_caller *c,
								  uint32_t n, uint32_t min,
								  uint64_t timeout_ns)
{
	int done = park_fastpath(&t->ring, c, n);

	if (!done)
		done = ring_consume(&t->ring, c, RING_BUDGET);
	if (done < 0) {
		sched_handoff_release();
		return done;
	}
	return cap_enter_complete(t, min, timeout_ns, true);
}

int64_t proc_cap_enter(uint64_t min_complete, uint64_t timeout_ns, uint64_t flags)
{
	struct thread *t = sched_current();
	const struct ring_caller *caller = &t->caller;

	if (flags & ~(uint64_t)CAPOS_ENTER_F_VALID_MASK)
		return CAPOS_ERR_INVALID_FLAGS;
	if (min_complete > CAPOS_RING_CQ_ENTRIES)
		return CAPOS_ERR_INVALID_ARGUMENT;
	uint8_t op = CAPOS_OP_NOP;
	uint32_t ready = ring_fast_peek(&t->ring, &op);	/* picks the path, no more */
	uint32_t n = ipc_fastpath_shape(ready, op);
	if (n)
		return cap_enter_ipc(t, caller, n, min_complete, timeout_ns);
	if (__builtin_expect(t->park.queued, 0))
		(void)park_expire(t);	/* a PARK's timeout is served here too (proc/park.c) */
	n = park_fastpath_shape(ready, op);
	if (n)
		return cap_enter_park(t, caller, n, min_complete, timeout_ns);
	int got = ring_consume(&t->ring, caller, RING_BUDGET);
	if (__builtin_expect(t->handoff != NULL, 0))	/* an UNPARK claimed the thread it woke */
		return cap_enter_claimed(t, got, min_complete, timeout_ns);
	if (got < 0)
		return got;
	return cap_enter_complete(t, min_complete, timeout_ns, false);
}

/*
 * Called with what keeps r's thread alive held (its IPC peer lock, or its
 * own context). In an IPC cap_enter, the waiter is claimed to run in the
 * caller's place when the caller blocks (docs/ipc.md "Fast path");
 * otherwise it is woken to run next.
 */
void ring_wake(struct ring *r)
{
	struct thread *waiter = ring_thread(r), *self = sched_current();

	if (self->handoff_armed && !self->handoff && waiter != self &&
	    sched_claim_blocked(waiter)) {
		self->handoff = waiter;
		return;
	}
	sched_wake_handoff(waiter);	/* a completion arrived: its owner runs next */
}
