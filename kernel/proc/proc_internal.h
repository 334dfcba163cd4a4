/* SPDX-License-Identifier: MIT */
/* Shared between proc.c (lifecycle) and spawn.c (construction). */
#ifndef CAPOS_KERNEL_PROC_PROC_INTERNAL_H
#define CAPOS_KERNEL_PROC_PROC_INTERNAL_H

#include "proc/proc.h"

/* A process with an empty address space, table, thread, stack and exit record; NULL if out of memory. */
struct proc *proc_alloc(const char *name);
/* Undoes proc_alloc and whatever spawn built, for a process that never ran. */
void proc_free(struct proc *p);
/* Counts the process as alive; called just before its thread becomes runnable. */
void proc_started(struct proc *p);

/* Ends t's IPC: the fast path forgets its ring, its peer dies and is put. */
void proc_thread_ipc_end(struct thread *t);
/*
 * Makes every thread of p but `skip` leave as it is next scheduled, with
 * join value capos_ThreadHandle_exitKilled (sched_restart): none runs user
 * code again. Caller holds p->lock; `skip` is the current thread or one it
 * restarted itself.
 */
void proc_stop_threads_locked(struct proc *p, struct thread *skip);
/*
 * The current thread t leaves p for good with join value `value`: its IPC
 * ends, its handle gets the value, it leaves the address space and the
 * thread list; the last to leave ends the process (proc_end). Does not
 * return.
 */
_Noreturn void proc_thread_leave(struct thread *t, int64_t value);
/* Tears down p once its last thread has left; that thread exits. */
_Noreturn void proc_end(struct proc *p);

#endif
