/* SPDX-License-Identifier: MIT */
/*
 * Threads: the unit the scheduler runs. A process has one or more
 * (proc/thread.c), each with its own ring and IPC peer. Kernel threads (the
 * timer queue's) have no process: they run in the kernel's address space
 * and never enter user mode.
 *
 * Locking: state, run-queue links, cpu and the wait fields are guarded by
 * the run-queue lock of the thread's CPU (sched/sched_cpu.h, taken with
 * interrupts off). `ksp` is written only by
 * the context switch of the thread's own CPU, and so is the area `fpu` points
 * to; the pointer itself is set before the thread first runs and cleared only
 * by the thread itself as it exits. `sibling` is guarded by its process's
 * lock (proc.h). Everything else is set before the thread first runs and not
 * changed afterwards.
 */
#ifndef CAPOS_KERNEL_SCHED_THREAD_H
#define CAPOS_KERNEL_SCHED_THREAD_H

#include "lib/types.h"
#include "ipc/claim.h"
#include "ring/ring.h"

enum thread_state {
	THREAD_RUNNABLE,	/* on a run queue or running */
	THREAD_BLOCKED,		/* waiting for thread_wake or its deadline */
	THREAD_HANDOFF,		/* was blocked; claimed by a waker that runs it next */
	THREAD_DEAD,		/* finished; its stack is freed after the switch away */
};

struct proc;
struct ipc_peer;
struct thread_handle;

/*
 * A thread's PARK (proc/park.c): at most one at a time, on the park
 * table's list for (as, va) while `queued`. Guarded by the park lock.
 */
struct park_wait {
	struct thread *next;		/* next on its park bucket */
	const void *as;			/* the key: address space ... */
	uint64_t va;			/* ... and the word's address in it */
	uint64_t user_data;		/* of the PARK SQE, for its CQE */
	uint64_t deadline;		/* tick at which it times out; 0 = none */
	bool queued;
};

struct thread {
	uint64_t ksp;			/* saved kernel stack pointer while switched out */
	vaddr_t kstack_top;		/* 0 for a CPU's idle thread (boot stack) */
	union {
		uint64_t fs_base;	/* user FS base (TLS) */
		uint32_t fs_base_half[2];	/* as WRMSR takes it: EAX, EDX */
	};
	void *fpu;			/* FPU save area (arch); NULL without a process */
	paddr_t page_root;		/* address space to run in; 0 = the kernel's */
	struct proc *proc;		/* NULL for idle threads */
	enum thread_state state;
	struct thread *next;		/* run-queue or sleep-list link */
	uint32_t cpu;			/* the CPU whose run queue it belongs to (sched_cpu.h) */
	void (*restart_fn)(void);	/* sched_restart while it ran: runs this on its way out */
	uint64_t deadline;		/* tick at which a blocked thread times out; 0 = none */
	bool wake_pending;		/* a wake arrived before the thread blocked */
	bool timed_out;			/* the last block ended by its deadline */
	struct ring ring;		/* the thread's ring (kernel view); set up by proc.c */
	struct ipc_claim_cache claim;	/* its last IPC buffer claim (ipc/claim.h) */
	struct ring_caller caller;	/* whom its cap_enters act for (set with proc) */
	uint32_t tid;			/* id within its process: 0 for the first thread */
	uint32_t ring_slot;		/* which of the process's rings is its own */
	struct ipc_peer *peer;		/* how endpoints reach this thread; one reference */
	struct thread_handle *handle;	/* its join record (one reference); NULL: first thread */
	struct thread *sibling;		/* next thread of its process (proc->threads) */
	uint64_t kmem_bytes;		/* charged to proc->kmem for it (proc/thread.c) */
	struct park_wait park;		/* its pending PARK, if any */
	bool handoff_armed;		/* in a cap_enter whose wakes may be handed off */
	struct thread *handoff;		/* a thread it claimed to run in its place, or NULL */
};

#endif
