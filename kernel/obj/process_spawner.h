/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_OBJ_PROCESS_SPAWNER_H
#define CAPOS_KERNEL_OBJ_PROCESS_SPAWNER_H

#include "cap/object.h"

/* The one ProcessSpawner object (borrowed; take a reference to keep it). */
struct kobj *process_spawner_object(void);

#endif
