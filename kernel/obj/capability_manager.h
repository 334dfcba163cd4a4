/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_OBJ_CAPABILITY_MANAGER_H
#define CAPOS_KERNEL_OBJ_CAPABILITY_MANAGER_H

#include "cap/object.h"

/* The one CapabilityManager object (borrowed; take a reference to keep it). */
struct kobj *capability_manager_object(void);

#endif
