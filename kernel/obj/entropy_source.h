/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_OBJ_ENTROPY_SOURCE_H
#define CAPOS_KERNEL_OBJ_ENTROPY_SOURCE_H

#include "cap/object.h"

/* The one EntropySource object; the caller borrows it (take a reference to keep it). */
struct kobj *entropy_source_object(void);

#endif
