/* SPDX-License-Identifier: MIT */
/*
 * Direct access to the user memory of the address space the CPU is in
 * (usercopy.S). Faster than the page walk of as_copy_in/out by an order of
 * magnitude, and used by them whenever the address space is the current
 * one. The caller must have checked that every user address is in the user
 * half (the range may not reach the kernel half): an unmapped or read-only
 * page then ends the copy with CAPOS_ERR_BAD_ADDRESS through the exception
 * table (extable.c), never a kernel fault. A copy that fails may have
 * written part of the destination.
 */
#ifndef CAPOS_KERNEL_ARCH_X86_64_UACCESS_H
#define CAPOS_KERNEL_ARCH_X86_64_UACCESS_H

#include "lib/types.h"

struct trap_frame;

/* Set once at boot when CR4.SMAP is on (stac/clac exist and are needed). */
extern uint8_t uaccess_smap;

__must_check int uaccess_copy(void *dst, const void *src, size_t n);
/* Every page of [addr, end) is writable; end > addr. */
__must_check int uaccess_probe_write(uint64_t addr, uint64_t end);

/* True if rip is one of the uaccess instructions that touch user memory. */
bool uaccess_is_user_access(uint64_t rip);

/* A page fault at a uaccess instruction on a user address: resume at its fixup. */
bool uaccess_fixup(struct trap_frame *tf, uint64_t fault_addr);

#endif
