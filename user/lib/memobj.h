/* SPDX-License-Identifier: MIT */
/*
 * MemoryObject and MemoryObjectFactory from user code (schema/capos.capnp):
 * shared memory. A process granted the factory (init holds it as "memory",
 * the manifest grants it as memoryObjectFactory) creates objects paid from
 * its own VirtualMemory quota; any holder of an object maps all of it into
 * an address space it holds a VirtualMemory for (usually its own, rt.vm).
 * Errors as vm.h: invalidArgument CAPOS_ERR_INVALID_ARGUMENT, overloaded
 * CAPOS_ERR_QUOTA_EXCEEDED, disconnected CAPOS_ERR_DISCONNECTED. Static
 * buffers of their own (not the heap's nor client.h's): one call at a time.
 */
#ifndef CAPOS_USER_MEMOBJ_H
#define CAPOS_USER_MEMOBJ_H

#include <stdint.h>

#include <capos/cap.h>

/* MemoryObjectFactory.create: *obj, a new object of size bytes (page multiple, <= 64 MiB). */
int memobj_create(capos_cap_t factory, uint64_t size, capos_cap_t *obj);

/*
 * MemoryObject.map: all of obj into the address space of VirtualMemory vm
 * (sent as a copy) at hint (page aligned, 0 for none) or where it fits, with
 * prot (VM_PROT_READ, | VM_PROT_WRITE); *addr is where.
 */
int memobj_map(capos_cap_t obj, capos_cap_t vm, uint64_t hint, uint32_t prot, uint64_t *addr);

/*
 * memobj_map with any transfer descriptors (copies of caps[0..n)) and any
 * vm index: for tests of what the kernel refuses.
 */
int memobj_map_raw(capos_cap_t obj, uint16_t vm_index, const capos_cap_t *caps, uint8_t n,
		   uint64_t hint, uint32_t prot, uint64_t *addr);

/* MemoryObject.size, in bytes. */
int memobj_size(capos_cap_t obj, uint64_t *size);

/* MemoryObject.readOnly: *ro, a facet of the same pages whose maps are never writable. */
int memobj_read_only(capos_cap_t obj, capos_cap_t *ro);

#endif
