/* SPDX-License-Identifier: MIT */
/* Offsets into struct trap_frame used by entry.S; trap.h checks them. */
#ifndef CAPOS_ARCH_X86_64_TRAP_OFFSETS_H
#define CAPOS_ARCH_X86_64_TRAP_OFFSETS_H

#define TF_RBP		64
#define TF_SWAPPED	120
#define TF_RIP		144
#define TF_CS		152

/* trap_frame.vector of a system call (above every hardware vector). */
#define SYSCALL_VECTOR	256

#endif
