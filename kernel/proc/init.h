/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_PROC_INIT_H
#define CAPOS_KERNEL_PROC_INIT_H

#include "boot/bootinfo.h"

/* Spawns init from the boot package with Console, BootPackage and ProcessSpawner. Panics on failure. */
void init_start(const struct boot_info *bi);

#endif
