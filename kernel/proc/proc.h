/* SPDX-License-Identifier: MIT */
/*
 * Processes: an address space, a capability table and one or more threads
 * (at most PROC_THREADS_MAX), each with its own ring (docs/threads.md). A process is created by proc_spawn from an ELF image and
 * an exact list of grants, and ends by exit(), by a fault, or by a kill;
 * every way, proc_exit releases every capability, frame and object it held
 * (docs/processes.md).
 *
 * Lifetime: the struct proc lives until its last thread leaves. What outlives
 * it (the exit status a ProcessHandle reads) lives in the refcounted
 * struct proc_handle (obj/process_handle.h).
 *
 * Locking: `lock` guards the thread list, nthreads, ring_used, next_tid,
 * exiting and exit_code; lock order: a ProcessHandle's lock, then `lock`,
 * then an IPC peer lock (the window barrier) or the scheduler lock (stopping
 * the threads). The other fields are set before the first thread runs and
 * not changed until the last thread leaves, except `handle`, whose own lock
 * guards it, and ring_pa[], which a spawn sets for a slot it reserved under
 * `lock`.
 */
#ifndef CAPOS_KERNEL_PROC_PROC_H
#define CAPOS_KERNEL_PROC_PROC_H

#include <capos/cap.h>
#include <capos/startup.h>

#include "cap/table.h"
#include "lib/spinlock.h"
#include "lib/types.h"
#include "mm/addrspace.h"
#include "obj/timer_queue.h"
#include "sched/thread.h"

#define PROC_NAME_MAX 32
#define PROC_MAX_GRANTS 64
#define PROC_THREADS_MAX 16	/* threads per process, the first included */

struct proc_handle;
struct ipc_peer;

struct mem_account;
struct vm_object;

struct proc {
	uint32_t pid;
	char name[PROC_NAME_MAX];
	struct addrspace as;
	struct cap_table caps;
	struct thread *thread;		/* the first thread (id 0); its end ends the process */
	struct spinlock lock;		/* see Locking above */
	struct thread *threads;		/* every thread not yet left, through t->sibling */
	uint32_t nthreads;		/* threads counted against PROC_THREADS_MAX */
	uint32_t ring_used;		/* bit i: ring slot i belongs to a thread */
	uint32_t next_tid;		/* the next thread id to give out */
	bool exiting;			/* the process is ending: no new threads */
	int64_t exit_code;		/* set with exiting: init_exiting reports it */
	paddr_t ring_pa[PROC_THREADS_MAX];	/* slot i's ring frames (order 2), or 0;
						 * kept until the process ends */
	uint64_t ring_bytes;		/* charged to kmem for rings of slots 1.. */
	struct proc_handle *handle;	/* exit status for ProcessHandles; one reference */
	struct vm_object *vm;		/* its VirtualMemory, one reference; NULL if not granted */
	/*
	 * Pays for the kernel memory it makes the kernel hold (mm/account.h):
	 * its own account if it has one, else its spawner's payer. One
	 * reference; never NULL once spawned.
	 */
	struct mem_account *kmem;
	/*
	 * Paid for the process itself (image, page tables, stacks, ring,
	 * kernel structures): spawn_bytes, by its spawner's payer (init: by
	 * its own account). One reference; given back when it is released.
	 */
	struct mem_account *spawn_payer;
	uint64_t spawn_bytes;
};

/* One capability handed to a new process, under the name it will see. */
struct proc_grant {
	const char *name;
	struct kobj *obj;		/* the spawner keeps its own reference; NULL: the
					 * child's own VirtualMemory, with vm_quota pages */
	uint32_t rights;
	uint64_t vm_quota;
};

/* One program argument: len bytes at str, none of them NUL (proc_args_check). */
struct proc_arg {
	const char *str;
	uint32_t len;
};

/* The arguments a new process finds on its CapSet page (include/capos/startup.h). */
struct proc_args {
	uint32_t argc;
	struct proc_arg arg[CAPOS_ARGS_MAX];
};

/*
 * Whether args fit the CapSet page: 0, or CAPOS_ERR_INVALID_ARGUMENT for more
 * than CAPOS_ARGS_MAX of them, more than CAPOS_ARGS_BYTES with their NULs, or
 * an argument holding a NUL. Bounded by CAPOS_ARGS_MAX * CAPOS_ARGS_BYTES.
 */
int proc_args_check(const struct proc_args *args);

/*
 * Creates a process from an ELF image with exactly `grants` in its table (in
 * that order, listed in its CapSet page) and `args` (NULL: none; else
 * proc_args_check must pass) as its arguments, and makes it runnable. A grant of
 * its own VirtualMemory (at most one) takes its quota from `parent`'s
 * account (QUOTA_EXCEEDED if that is short; NULL gives nothing). The kernel
 * memory the process takes, starting with its own image, tables and stacks,
 * is charged to its own account if it has one, else to `payer` (the
 * spawner's: struct proc.kmem); QUOTA_EXCEEDED if that is short. On success
 * returns 0 and, if `handle` is non-NULL, a new reference to its exit record.
 * Fails with a CAPOS_ERR_* code, leaving nothing behind.
 */
__must_check int proc_spawn(const char *name, const void *elf, size_t elf_len,
			    const struct proc_grant *grants, size_t ngrants,
			    const struct proc_args *args, struct mem_account *parent, struct mem_account *payer,
			    struct proc_handle **handle);

/*
 * Whether elf[0..elf_len) is an image proc_spawn can load: 0, or the
 * ELF64_ERR_* of the first check it fails (elf64_strerror names it). No side
 * effects: callers check it before they act (decode, then invoke).
 */
int proc_image_check(const void *elf, size_t elf_len);

/* The process running on this CPU (NULL in the idle thread). */
struct proc *proc_current(void);

/* A relative timeout as an absolute tick deadline (rounding up; 0 = none). */
uint64_t proc_deadline_of(uint64_t timeout_ns);

/* cap_enter for the current thread (syscall.h has the contract). */
int64_t proc_cap_enter(uint64_t min_complete, uint64_t timeout_ns, uint64_t flags);

/* Ends the current process with `code`. Does not return. */
_Noreturn void proc_exit_current(int64_t code);

/*
 * Ends the current thread with join value `value` (exit with scope CAPOS_EXIT_THREAD);
 * from the first thread, ends the process as proc_exit_current. Does not
 * return.
 */
_Noreturn void proc_thread_exit_current(int64_t value);

/* What a new thread starts with (ThreadSpawner.spawn; the handler checked them). */
struct thread_start {
	uint64_t entry;		/* user rip */
	uint64_t stack;		/* user rsp, 16-byte aligned */
	uint64_t arg;		/* rdx */
	uint64_t tp;		/* FS base */
};

struct thread_handle;

/*
 * Starts a thread of p (the caller's own process) as `st` says, with its own
 * ring, kernel stack and FPU state, charged to p->kmem. Returns 0 with a new
 * reference to its join record in *handle and its id in *tid, or
 * CAPOS_ERR_QUOTA_EXCEEDED (PROC_THREADS_MAX, or the kernel-memory quota),
 * CAPOS_ERR_NO_MEMORY, or CAPOS_ERR_DISCONNECTED (p is exiting), leaving
 * nothing behind. Thread context, no lock held.
 */
__must_check int proc_thread_spawn(struct proc *p, const struct thread_start *st,
				   struct thread_handle **handle, uint32_t *tid);

/*
 * The window barrier (obj/virtual_memory.c): returns once no IPC delivery
 * that began before the call is still writing into p's memory, by taking
 * and dropping each thread's IPC peer lock. No lock held.
 */
void proc_ipc_barrier(struct proc *p);

/* Ends the current process for a fault or broken rule, logging `reason`. Does not return. */
_Noreturn void proc_kill_current(const char *reason);

/*
 * Ends process p, not the current one (ProcessHandle.kill): none of its
 * threads runs more user code; the first exits with
 * capos_ProcessHandle_exitKilled through proc_exit, the one teardown, the
 * others leave as they are next scheduled (sched_restart). Caller holds p's
 * handle lock and has seen that p has not exited (so its first thread
 * exists). Once per process.
 */
void proc_kill(struct proc *p);

/*
 * Wakes the thread waiting in cap_enter on ring r (registered with
 * ring_wait_prepare): ring_post() calls it after it dropped cq_lock, at
 * most once per registration, possibly before the waiter went to sleep (so
 * it leaves a token that makes the coming sleep return at once), possibly
 * from another CPU. The caller holds what keeps r's thread alive (its IPC
 * peer lock, or its own context). In an IPC cap_enter the waiter is claimed
 * to run in the caller's place (docs/ipc.md "Fast path"). Never blocks;
 * takes the scheduler lock.
 */
void ring_wake(struct ring *r);

/* Processes alive now (for leak checks). */
uint32_t proc_count(void);

/* Processes created since boot, init included (a pid is given out once each). */
uint32_t proc_created_count(void);

#endif
