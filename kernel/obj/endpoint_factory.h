/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_OBJ_ENDPOINT_FACTORY_H
#define CAPOS_KERNEL_OBJ_ENDPOINT_FACTORY_H

#include "cap/object.h"

/* The one EndpointFactory object (borrowed; take a reference to keep it). */
struct kobj *endpoint_factory_object(void);

#endif
