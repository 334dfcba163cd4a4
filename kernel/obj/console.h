/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_OBJ_CONSOLE_H
#define CAPOS_KERNEL_OBJ_CONSOLE_H

#include "cap/object.h"

/* The one Console object; the caller borrows it (take a reference to keep it). */
struct kobj *console_object(void);

#endif
