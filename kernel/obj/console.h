/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_OBJ_CONSOLE_H
#define CAPOS_KERNEL_OBJ_CONSOLE_H

#include "cap/object.h"

/* The one Console object; the caller borrows it (take a reference to keep it). */
struct kobj *console_object(void);

/* From now on the kernel log stamps every line init writes with its cycle count (benchmarks). */
void console_stamp_init_lines(void);

#endif
