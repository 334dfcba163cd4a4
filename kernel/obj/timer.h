/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_OBJ_TIMER_H
#define CAPOS_KERNEL_OBJ_TIMER_H

#include "cap/object.h"

/* Builds the sleep answer and starts the timer queue. Boot, before the first process. */
void timer_object_init(void);

/* The one Timer object; the caller borrows it (take a reference to keep it). */
struct kobj *timer_object(void);

#endif
