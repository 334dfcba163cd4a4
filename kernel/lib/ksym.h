/* SPDX-License-Identifier: MIT */
/*
 * Kernel symbol lookup for backtraces. The table is generated from the linked
 * kernel by scripts/ksyms.sh and linked in a second pass (see kernel/rules.mk).
 */
#ifndef CAPOS_KERNEL_LIB_KSYM_H
#define CAPOS_KERNEL_LIB_KSYM_H

#include <stdbool.h>
#include <stdint.h>

/* Finds the function containing addr; false if addr is outside kernel text. */
bool ksym_lookup(uint64_t addr, const char **name, uint64_t *offset);

#endif
