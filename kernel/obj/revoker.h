/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_OBJ_REVOKER_H
#define CAPOS_KERNEL_OBJ_REVOKER_H

#include "cap/object.h"

/* A new Revoker with an empty revoke set (one reference), or NULL if out of memory. */
struct kobj *revoker_create(void);

#endif
