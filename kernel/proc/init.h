/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_PROC_INIT_H
#define CAPOS_KERNEL_PROC_INIT_H

#include "boot/bootinfo.h"
#include "lib/types.h"

/* Spawns init from the boot package with the capabilities init.c lists. Panics on failure. */
void init_start(const struct boot_info *bi);
/* Init's capability slots in use as it starts (`start`) and as it exits, for the verdict line. */
void init_caps_at(bool start, uint32_t used);
/* Called as the first process exits. */
void init_exiting(int64_t code);
/* Called as a process's thread starts to leave (before its process may end). */
void init_thread_leaving(void);
/*
 * Called after a dead thread was freed; ends a test=init run once init is
 * gone and no thread is still on its way out on any CPU.
 */
void init_check_reaped(void);

#endif
