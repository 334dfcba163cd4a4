/* SPDX-License-Identifier: MIT */
/*
 * C names for schema nodes. A node's C name is its file's prefix, then the
 * schema names of its enclosing scopes and itself, joined by '_':
 * print.capnp's Shapes.outer.inner is print_Shapes_outer_inner. The file
 * prefix is the file name without directories and ".capnp", every character
 * other than [A-Za-z0-9_] turned into '_' (c++.capnp gives c__). Method
 * parameter and result structs, which have no scope, are named
 * <Interface>_<method>_Params / _Results (capos_Console_write_Params).
 */
#ifndef CAPOS_TOOLS_CAPNPC_C_NAMES_H
#define CAPOS_TOOLS_CAPNPC_C_NAMES_H

#include "schema.h"

struct names {
	const struct sm_schema *s;
	char **name;			/* by node index; NULL for unnamed nodes */
	uint64_t *file;			/* by node index: id of the file it belongs to */
};

void names_build(struct names *n, const struct sm_schema *s);
void names_free(struct names *n);
/* The C name of node `id`, or NULL. */
const char *names_of(const struct names *n, uint64_t id);
/* The file node `id` belongs to (0 if unknown). */
uint64_t names_file_of(const struct names *n, uint64_t id);
/* The C prefix of a file name (heap string). */
char *names_prefix(const char *filename);

#endif
