/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_OBJ_THREAD_SPAWNER_H
#define CAPOS_KERNEL_OBJ_THREAD_SPAWNER_H

#include "cap/object.h"

/* The one ThreadSpawner object; the caller borrows it (take a reference to keep it). */
struct kobj *thread_spawner_object(void);

#endif
