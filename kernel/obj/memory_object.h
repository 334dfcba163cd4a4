/* SPDX-License-Identifier: MIT */
/*
 * MemoryObjectFactory and MemoryObject (schema/capos.capnp): shared memory.
 * A MemoryObject capability names a facet (full rights, or read-only) of a
 * set of pages (mm/shared_pages.h); the facet holds one reference to the
 * pages, and so does every mapping of them (mm/vm_map.h backed regions).
 * The factory is stateless: create charges the caller's own VirtualMemory
 * account. No lock of its own; MemoryObject.map takes the target
 * VirtualMemory's locks (obj/virtual_memory.h).
 */
#ifndef CAPOS_KERNEL_OBJ_MEMORY_OBJECT_H
#define CAPOS_KERNEL_OBJ_MEMORY_OBJECT_H

#include "cap/object.h"

/* The one MemoryObjectFactory (init holds it as "memory"). */
struct kobj *memory_object_factory(void);

#endif
