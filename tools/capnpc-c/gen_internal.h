/* SPDX-License-Identifier: MIT */
/*
 * Private to capnpc-c's generator: the emitter state and the helpers shared
 * by gen.c (file layout, enums, interfaces), gen_struct.c (struct accessors)
 * and gen_const.c (constants and pointer defaults).
 */
#ifndef CAPOS_TOOLS_CAPNPC_C_GEN_INTERNAL_H
#define CAPOS_TOOLS_CAPNPC_C_GEN_INTERNAL_H

#include "gen.h"

struct gen {
	FILE *out;
	const struct names *n;
	const struct sm_schema *s;
	uint64_t file;		/* id of the file being generated */
	int err;		/* -1 once anything could not be generated */
};

/* Per sm_which: C type, runtime accessor suffix (capnp_get_<x>), list element encoding. */
extern const char *const gen_ctype[];
extern const char *const gen_acc[];
extern const char *const gen_elem[];

bool gen_is_float(enum sm_which w);
/* C name of node id; records an error (and returns a placeholder) when unnamed. */
const char *gen_name(struct gen *g, uint64_t id);
/* A primitive value, given as its stored bits, as a C literal of its type. */
void gen_literal(struct gen *g, enum sm_which w, uint64_t v);
/* A C string literal for p[0..n) (octal escapes for anything unusual). */
void gen_c_string(struct gen *g, const uint8_t *p, uint32_t n);
/* NAME_words[] and NAME_seg: a copy of what src points to, as a constant segment. */
void gen_words(struct gen *g, const char *name, struct capnp_ptr src);

void gen_struct_head(struct gen *g, const struct sm_node *node);
void gen_struct(struct gen *g, const struct sm_node *node);
void gen_const(struct gen *g, const struct sm_node *node);
/* Descriptors (gen_desc.c): the types once per header, forward declarations, tables. */
void gen_desc_types(struct gen *g);
void gen_desc_forward(struct gen *g, const struct sm_node *node);
void gen_desc_enum(struct gen *g, const struct sm_node *node);
void gen_desc_struct(struct gen *g, const struct sm_node *node);
/* Server skeleton of an interface (gen_server.c): handler table and dispatch. */
void gen_server(struct gen *g, const struct sm_node *node);
/* Client stubs of an interface (gen_client.c): one typed I_m_call() per method. */
void gen_client(struct gen *g, const struct sm_node *node);
/* Does any type used by the file being generated belong to file `file`? */
bool gen_file_used(struct gen *g, uint64_t file);

#endif
