/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_OBJ_BOOT_PACKAGE_H
#define CAPOS_KERNEL_OBJ_BOOT_PACKAGE_H

#include "cap/object.h"

/* The one BootPackage object (borrowed; take a reference to keep it). */
struct kobj *boot_package_object(void);

#endif
