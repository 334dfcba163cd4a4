/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_ARCH_X86_64_SYSCALL_H
#define CAPOS_ARCH_X86_64_SYSCALL_H

/* Points the syscall instruction at syscall_entry (entry.S). Per CPU, at boot. */
void syscall_init(void);

#endif
