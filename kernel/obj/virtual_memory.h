/* SPDX-License-Identifier: MIT */
/*
 * VirtualMemory objects (schema/capos.capnp): one process's address space as
 * a capability. The process holds one reference while it lives and drops it
 * at exit, after vm_object_detach; holders that outlive it get disconnected.
 *
 * Lock order: vm_object.lock, then the process's addrspace lock (the
 * operation), then its IPC peer lock (the barrier before an unmap frees
 * frames). Held across an operation, so exit (detach) waits for it.
 */
#ifndef CAPOS_KERNEL_OBJ_VIRTUAL_MEMORY_H
#define CAPOS_KERNEL_OBJ_VIRTUAL_MEMORY_H

#include "cap/object.h"
#include "lib/spinlock.h"

struct proc;

struct vm_object {
	struct kobj obj;
	struct spinlock lock;	/* guards proc */
	struct proc *proc;	/* NULL once the process has exited */
};

/* The VirtualMemory of `p`, one reference (the process's); NULL if out of memory. */
struct vm_object *vm_object_create(struct proc *p);

/* At exit, before the address space goes: later calls raise disconnected. */
void vm_object_detach(struct vm_object *vo);

#endif
