/* SPDX-License-Identifier: MIT */
/* Reading a whole stream into memory, for the host tools. */
#ifndef CAPOS_TOOLS_LIB_SLURP_H
#define CAPOS_TOOLS_LIB_SLURP_H

#include <stddef.h>
#include <stdio.h>

/*
 * Reads f to its end into a malloc'd buffer (malloc alignment, so a Cap'n
 * Proto message can be read in place) and sets *len. Exits with status 2 and
 * a message naming `prog` when memory runs out.
 */
void *slurp(FILE *f, size_t *len, const char *prog);

#endif
