/* SPDX-License-Identifier: MIT */
/*
 * Kernel command line lookup: space-separated "key=value" words (or bare
 * "key", which reads as an empty value). Pure; tested on the host.
 */
#ifndef CAPOS_KERNEL_LIB_CMDLINE_H
#define CAPOS_KERNEL_LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies the value of `key` into buf (NUL-terminated, truncated to size); false if absent. */
bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);
/* Reads a decimal value of `key`; returns `fallback` when absent or not a number. */
uint64_t cmdline_get_u64(const char *cmdline, const char *key, uint64_t fallback);

#endif
