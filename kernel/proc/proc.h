/* SPDX-License-Identifier: MIT */
/*
 * Processes: an address space, a capability table and (in M3) one thread
 * with one ring. A process is created by proc_spawn from an ELF image and
 * an exact list of grants, and ends by exit(), by a fault, or by a kill;
 * every way, proc_exit releases every capability, frame and object it held
 * (docs/processes.md).
 *
 * Lifetime: the struct proc lives until its thread is reaped. What outlives
 * it (the exit status a ProcessHandle reads) lives in the refcounted
 * struct proc_handle (obj/process_handle.h).
 *
 * Locking: a process's fields are set before its thread first runs and then
 * touched only by that thread, except `handle`, whose own lock guards it,
 * and `sleeps`, which the timer queue's lock guards.
 */
#ifndef CAPOS_KERNEL_PROC_PROC_H
#define CAPOS_KERNEL_PROC_PROC_H

#include <capos/cap.h>
#include <capos/startup.h>

#include "cap/table.h"
#include "lib/types.h"
#include "mm/addrspace.h"
#include "obj/timer_queue.h"
#include "sched/thread.h"

#define PROC_NAME_MAX 32
#define PROC_MAX_GRANTS 64

struct proc_handle;
struct ipc_peer;

struct mem_account;
struct vm_object;

struct proc {
	uint32_t pid;
	char name[PROC_NAME_MAX];
	struct addrspace as;
	struct cap_table caps;
	struct thread *thread;
	paddr_t ring_pa;		/* the ring's frames (one order-2 block) */
	struct proc_handle *handle;	/* exit status for ProcessHandles; one reference */
	struct ipc_peer *peer;		/* how endpoints reach this process; one reference */
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

/* cap_enter for the current thread (syscall.h has the contract). */
int64_t proc_cap_enter(uint64_t min_complete, uint64_t timeout_ns, uint64_t flags);

/* Ends the current process with `code`. Does not return. */
_Noreturn void proc_exit_current(int64_t code);

/* Ends the current process for a fault or broken rule, logging `reason`. Does not return. */
_Noreturn void proc_kill_current(const char *reason);

/*
 * Ends process p, not the current one (ProcessHandle.kill): its thread
 * runs no more user code and, the next time it is scheduled, exits with
 * capos_ProcessHandle_exitKilled through proc_exit, the one teardown
 * (sched_restart). Caller holds p's handle lock and has seen that p has
 * not exited (so its thread exists). Once per process.
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
