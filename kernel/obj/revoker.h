/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_KERNEL_OBJ_REVOKER_H
#define CAPOS_KERNEL_OBJ_REVOKER_H

#include "cap/object.h"

struct mem_account;

/*
 * A new Revoker with an empty revoke set (one reference) in *out, charged
 * to `payer` (mm/account.h) until it is freed: 0, QUOTA_EXCEEDED or
 * NO_MEMORY.
 */
__must_check int revoker_create(struct mem_account *payer, struct kobj **out);

#endif
