/* SPDX-License-Identifier: MIT */
/*
 * ProcessHandle objects (schema/capos.capnp): the exit record of one process.
 * It outlives the process for as long as someone holds a reference: the
 * process itself (until it exits) and every ProcessHandle capability.
 * Not transferable (a handle names a child to its parent only).
 */
#ifndef CAPOS_KERNEL_OBJ_PROCESS_HANDLE_H
#define CAPOS_KERNEL_OBJ_PROCESS_HANDLE_H

#include "cap/object.h"
#include "ipc/kcall.h"
#include "lib/spinlock.h"

struct proc;

/*
 * Lock order: lock before the child's cap_table.lock (capUsage reads the
 * table under it, so exit cannot destroy the table meanwhile), before a
 * waiter's IPC peer lock (ipc/kcall.h), and before the scheduler lock
 * (kill restarts the child's thread under it, so exit cannot free the
 * thread meanwhile).
 */
struct proc_handle {
	struct kobj obj;
	struct spinlock lock;		/* guards everything below */
	bool exited;
	bool killed;			/* kill() has restarted the process's thread */
	int64_t exit_code;
	struct kcall_queue waiters;	/* wait() calls pending until the exit */
	struct proc *proc;		/* the process; NULL from its exit on */
};

/*
 * A new exit record with one reference (the process's) for process p
 * (which must outlive it until process_handle_exited). NULL if out of
 * memory.
 */
struct proc_handle *process_handle_create(struct proc *p);
/*
 * Records the exit status, forgets the process and answers every pending
 * wait(). Once per process, as its last thread leaves (every thread has
 * stopped) and before its capability table goes; no lock held.
 */
void process_handle_exited(struct proc_handle *h, int64_t code);

#endif
