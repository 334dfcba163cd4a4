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

#endif
