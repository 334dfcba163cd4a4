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
struct shared_pages;

struct vm_object {
	struct kobj obj;
	struct spinlock lock;	/* guards proc */
	struct proc *proc;	/* NULL once the process has exited */
};

/* The VirtualMemory of `p`, one reference (the process's); NULL if out of memory. */
struct vm_object *vm_object_create(struct proc *p);

/* At exit, before the address space goes: later calls raise disconnected. */
void vm_object_detach(struct vm_object *vo);

/*
 * MemoryObject.map (obj/memory_object.c): maps sp into the address space
 * of `vm` if it is a VirtualMemory (as_vm_map_shared), under its lock so
 * the process cannot exit meanwhile. Returns as_vm_map_shared's codes,
 * CAPOS_ERR_WRONG_INTERFACE if vm is another object (whatever interface id
 * it claims) and CAPOS_ERR_DISCONNECTED if its process has exited.
 */
int vm_object_map_shared(struct kobj *vm, struct shared_pages *sp, uint64_t hint, uint32_t prot,
			 uint32_t max_prot, uint64_t *addr);

#endif
