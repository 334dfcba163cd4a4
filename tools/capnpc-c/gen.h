/* SPDX-License-Identifier: MIT */
/*
 * Emits the C header for one schema file: see docs/capnpc-c.md for the API
 * it generates.
 */
#ifndef CAPOS_TOOLS_CAPNPC_C_GEN_H
#define CAPOS_TOOLS_CAPNPC_C_GEN_H

#include <stdio.h>

#include "names.h"

/* Writes the header of requested file `file` to out. Returns 0 or -1 (message on stderr). */
int gen_file(FILE *out, const struct names *n, const struct sm_file *file);

#endif
