/* SPDX-License-Identifier: MIT */
/*
 * VirtualMemory from user code (schema/capos.capnp): a process's own is in
 * its CapSet as "vm" (rt.vm). These calls use their own small static
 * buffers, not the client.h ones or the heap, because the heap itself grows
 * through vm_map (rt.c). A CapException becomes the nearest error code:
 * invalidArgument CAPOS_ERR_INVALID_ARGUMENT, overloaded
 * CAPOS_ERR_QUOTA_EXCEEDED, disconnected CAPOS_ERR_DISCONNECTED, any other
 * CAPOS_ERR_APPLICATION_EXCEPTION.
 */
#ifndef CAPOS_USER_VM_H
#define CAPOS_USER_VM_H

#include <stdint.h>

#include <capos/cap.h>

#define VM_PROT_READ 1u
#define VM_PROT_WRITE 2u
#define VM_PROT_EXEC 4u
#define VM_PAGE 4096u

int vm_map(capos_cap_t vm, uint64_t hint, uint64_t size, uint32_t prot, uint64_t *addr);
int vm_unmap(capos_cap_t vm, uint64_t addr, uint64_t size);
int vm_protect(capos_cap_t vm, uint64_t addr, uint64_t size, uint32_t prot);
int vm_usage(capos_cap_t vm, uint64_t *quota_pages, uint64_t *used_pages);

/*
 * The error code for a CapException of `written` bytes at msg (at most 384
 * bytes: the reason is cut to 256), as above; memobj.c shares it.
 */
int vm_exception_code(const void *msg, uint32_t written);

#endif
