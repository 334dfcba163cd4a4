// SPDX-License-Identifier: MIT
/*
 * The header generator of capnpc-c. For one file it writes, in order: the
 * includes (runtime and imported files' headers), every struct's reader and
 * builder wrapper types (so later functions may use any of them), enums,
 * constants, then per struct its sizes, union discriminant enum and inline
 * accessors, and per interface its id, method ordinals and server skeleton
 * (gen_server.c). Everything is `static inline` or `static const`, so a
 * header is all a user needs.
 * Float accessors and constants sit under `#ifndef CAPNP_NO_FLOAT` so that
 * kernel code (-mgeneral-regs-only) can define it and include the header.
 */
#include "gen_internal.h"

#include <ctype.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *const gen_ctype[] = {
	[SM_VOID] = "void", [SM_BOOL] = "bool", [SM_INT8] = "int8_t", [SM_INT16] = "int16_t",
	[SM_INT32] = "int32_t", [SM_INT64] = "int64_t", [SM_UINT8] = "uint8_t",
	[SM_UINT16] = "uint16_t", [SM_UINT32] = "uint32_t", [SM_UINT64] = "uint64_t",
	[SM_FLOAT32] = "float", [SM_FLOAT64] = "double", [SM_ENUM] = "uint16_t",
};

const char *const gen_acc[] = {
	[SM_BOOL] = "bool", [SM_INT8] = "i8", [SM_INT16] = "i16", [SM_INT32] = "i32",
	[SM_INT64] = "i64", [SM_UINT8] = "u8", [SM_UINT16] = "u16", [SM_UINT32] = "u32",
	[SM_UINT64] = "u64", [SM_FLOAT32] = "f32", [SM_FLOAT64] = "f64", [SM_ENUM] = "u16",
};

const char *const gen_elem[] = {
	[SM_VOID] = "CAPNP_ELEM_VOID", [SM_BOOL] = "CAPNP_ELEM_BIT",
	[SM_INT8] = "CAPNP_ELEM_BYTE", [SM_UINT8] = "CAPNP_ELEM_BYTE",
	[SM_INT16] = "CAPNP_ELEM_TWO", [SM_UINT16] = "CAPNP_ELEM_TWO",
	[SM_ENUM] = "CAPNP_ELEM_TWO", [SM_INT32] = "CAPNP_ELEM_FOUR",
	[SM_UINT32] = "CAPNP_ELEM_FOUR", [SM_FLOAT32] = "CAPNP_ELEM_FOUR",
	[SM_INT64] = "CAPNP_ELEM_EIGHT", [SM_UINT64] = "CAPNP_ELEM_EIGHT",
	[SM_FLOAT64] = "CAPNP_ELEM_EIGHT", [SM_TEXT] = "CAPNP_ELEM_POINTER",
	[SM_DATA] = "CAPNP_ELEM_POINTER", [SM_LIST] = "CAPNP_ELEM_POINTER",
	[SM_STRUCT] = "CAPNP_ELEM_COMPOSITE", [SM_INTERFACE] = "CAPNP_ELEM_POINTER",
	[SM_ANY_POINTER] = "CAPNP_ELEM_POINTER",
};

bool gen_is_float(enum sm_which w)
{
	return w == SM_FLOAT32 || w == SM_FLOAT64;
}

const char *gen_name(struct gen *g, uint64_t id)
{
	const char *name = names_of(g->n, id);

	if (!name) {
		fprintf(stderr, "capnpc-c: no name for node @0x%016" PRIx64 "\n", id);
		g->err = -1;
		return "capnpc_c_unnamed";
	}
	return name;
}

/* A primitive value (bits as stored) as a C literal of its type; floats as their bits. */
void gen_literal(struct gen *g, enum sm_which w, uint64_t v)
{
	static const char *const min[] = { [SM_INT8] = "INT8_MIN", [SM_INT16] = "INT16_MIN",
					   [SM_INT32] = "INT32_MIN", [SM_INT64] = "INT64_MIN" };
	unsigned bits = sm_type_bits(w);
	int64_t sv;

	if (w == SM_BOOL) {
		fputs(v & 1 ? "true" : "false", g->out);
		return;
	}
	if (w == SM_FLOAT32) {
		fprintf(g->out, "0x%" PRIx32 "u", (uint32_t)v);
		return;
	}
	if (w == SM_FLOAT64) {
		fprintf(g->out, "0x%" PRIx64 "ull", v);
		return;
	}
	if (w == SM_UINT32 || w == SM_UINT64) {
		fprintf(g->out, "%" PRIu64 "%s", v, w == SM_UINT32 ? "u" : "ull");
		return;
	}
	if (w == SM_UINT8 || w == SM_UINT16 || w == SM_ENUM) {
		fprintf(g->out, "%" PRIu64, v);
		return;
	}
	sv = (int64_t)(v << (64 - bits)) >> (64 - bits);
	if (bits < 64 && sv == -(INT64_C(1) << (bits - 1)))
		fputs(min[w], g->out);
	else if (sv == INT64_MIN)
		fputs(min[w], g->out);
	else
		fprintf(g->out, w == SM_INT64 ? "INT64_C(%" PRId64 ")" : "%" PRId64, sv);
}

void gen_c_string(struct gen *g, const uint8_t *p, uint32_t n)
{
	fputc('"', g->out);
	for (uint32_t i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\')
			fprintf(g->out, "\\%c", p[i]);
		else if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '?')
			fprintf(g->out, "\\%03o", p[i]);
		else
			fputc(p[i], g->out);
	}
	fputc('"', g->out);
}

/*
 * Copies the object `src` points to into a fresh single-segment message and
 * writes it as `static const uint64_t NAME_words[]` plus a constant segment
 * NAME_seg over it (root pointer at word 0), the form lib/capnp reads as a
 * default value.
 */
void gen_words(struct gen *g, const char *name, struct capnp_ptr src)
{
	size_t bytes = (size_t)g->s->msg.seg[0].words * 8 + 64;
	struct capnp_msg m;
	uint8_t *arena = calloc(1, bytes);
	uint32_t words;

	for (uint32_t i = 1; i < g->s->msg.nseg; i++)
		bytes += (size_t)g->s->msg.seg[i].words * 8;
	arena = realloc(arena, bytes);
	if (!arena || capnp_msg_init_build(&m, arena, bytes) != 0 ||
	    capnp_ptr_copy(capnp_msg_root_builder(&m), src) != 0 || m.nseg != 1) {
		fprintf(stderr, "capnpc-c: cannot copy the value of %s\n", name);
		g->err = -1;
		free(arena);
		return;
	}
	words = m.seg[0].words;
	fprintf(g->out, "static const uint64_t %s_words[%u] = {", name, words);
	for (uint32_t i = 0; i < words; i++)
		fprintf(g->out, "%s0x%016" PRIx64 "ull,", i % 3 ? " " : "\n\t",
			capnp_load64(m.seg[0].start + 8 * i));
	fprintf(g->out, "\n};\nstatic const struct capnp_seg %s_seg = CAPNP_CONST_SEG(%s_words);\n",
		name, name);
	free(arena);
}

static bool gen_in_file(struct gen *g, const struct sm_node *node)
{
	return names_file_of(g->n, node->id) == g->file && names_of(g->n, node->id);
}

static void gen_struct_types(struct gen *g, const struct sm_node *node)
{
	const char *t = gen_name(g, node->id);

	fprintf(g->out, "struct %s {\n\tstruct capnp_struct r;\n};\n", t);
	fprintf(g->out, "struct %s_builder {\n\tstruct capnp_builder b;\n};\n", t);
	fprintf(g->out, "struct %s__list {\n\tstruct capnp_list l;\n};\n", t);
	fprintf(g->out, "struct %s__list_builder {\n\tstruct capnp_list_builder l;\n};\n\n", t);
}

static void gen_enum(struct gen *g, const struct sm_node *node)
{
	const char *t = gen_name(g, node->id);

	fprintf(g->out, "/* %s */\n#define %s_TYPE_ID UINT64_C(0x%016" PRIx64 ")\nenum %s {\n",
		node->display_name, t, node->id, t);
	for (uint32_t i = 0; i < node->nenumerants; i++)
		fprintf(g->out, "\t%s_%s = %u,\n", t, node->enumerants[i], i);
	fprintf(g->out, "};\n\n");
}


static void gen_interface(struct gen *g, const struct sm_node *node)
{
	const char *t = gen_name(g, node->id);

	fprintf(g->out, "/* %s */\n#define %s_TYPE_ID UINT64_C(0x%016" PRIx64 ")\n",
		node->display_name, t, node->id);
	if (!node->nmethods) {
		fputc('\n', g->out);
		return;
	}
	fprintf(g->out, "enum %s_method {\n", t);
	for (uint32_t i = 0; i < node->nmethods; i++) {
		const struct sm_method *m = &node->methods[i];

		fprintf(g->out, "\t%s_%s = %u,\t/* %s -> %s */\n", t, m->name, i,
			gen_name(g, m->param_id), gen_name(g, m->result_id));
	}
	fprintf(g->out, "};\n\n");
	gen_server(g, node);
	gen_client(g, node);
}

static void gen_includes(struct gen *g, const struct sm_file *file, const char *guard)
{
	fprintf(g->out, "/* Generated by capnpc-c from %s; do not edit. */\n", file->filename);
	fprintf(g->out, "#ifndef %s\n#define %s\n\n", guard, guard);
	fprintf(g->out, "#include <stdbool.h>\n#include <stdint.h>\n\n");
	fprintf(g->out, "#include \"capnp/capnp.h\"\n");
	fprintf(g->out, "#ifndef CAPNP_NO_FLOAT\n#include \"capnp/capnp_float.h\"\n#endif\n");
	for (uint32_t i = 0; i < g->s->nnodes; i++) {
		const struct sm_node *f = &g->s->nodes[i];
		const char *base;

		if (f->which != SM_NODE_FILE || f->id == file->id || !gen_file_used(g, f->id))
			continue;
		base = strrchr(f->display_name, '/') ? strrchr(f->display_name, '/') + 1
						      : f->display_name;
		fprintf(g->out, "#include \"%s.h\"\n", base);
	}
	fputc('\n', g->out);
}

/* Appends node and everything declared inside it to order[], depth first, each once. */
static void gen_collect(struct gen *g, const struct sm_node *node, const struct sm_node **order,
			uint32_t *n, bool *seen)
{
	const struct sm_node *c;
	size_t i = (size_t)(node - g->s->nodes);

	if (seen[i] || !gen_in_file(g, node))
		return;
	seen[i] = true;
	order[(*n)++] = node;
	for (uint32_t j = 0; j < node->nnested; j++)
		if ((c = sm_find(g->s, node->nested[j].id)))
			gen_collect(g, c, order, n, seen);
	for (uint32_t j = 0; j < node->nfields; j++)
		if (node->fields[j].is_group && (c = sm_find(g->s, node->fields[j].group_id)))
			gen_collect(g, c, order, n, seen);
	for (uint32_t j = 0; j < node->nmethods; j++) {
		if ((c = sm_find(g->s, node->methods[j].param_id)))
			gen_collect(g, c, order, n, seen);
		if ((c = sm_find(g->s, node->methods[j].result_id)))
			gen_collect(g, c, order, n, seen);
	}
}

static void gen_body(struct gen *g, const struct sm_node **order, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (order[i]->which == SM_NODE_STRUCT)
			gen_struct_types(g, order[i]);
	for (uint32_t i = 0; i < n; i++)
		if (order[i]->which == SM_NODE_ENUM)
			gen_enum(g, order[i]);
	gen_desc_types(g);
	for (uint32_t i = 0; i < n; i++)
		if (order[i]->which == SM_NODE_ENUM || order[i]->which == SM_NODE_STRUCT)
			gen_desc_forward(g, order[i]);
	fputc('\n', g->out);
	for (uint32_t i = 0; i < n; i++)
		if (order[i]->which == SM_NODE_STRUCT)
			gen_struct_head(g, order[i]);
	for (uint32_t i = 0; i < n; i++) {
		if (order[i]->which == SM_NODE_STRUCT)
			gen_struct(g, order[i]);
		else if (order[i]->which == SM_NODE_INTERFACE)
			gen_interface(g, order[i]);
		else if (order[i]->which == SM_NODE_CONST)
			gen_const(g, order[i]);
	}
	for (uint32_t i = 0; i < n; i++) {
		if (order[i]->which == SM_NODE_ENUM)
			gen_desc_enum(g, order[i]);
		else if (order[i]->which == SM_NODE_STRUCT)
			gen_desc_struct(g, order[i]);
	}
}

int gen_file(FILE *out, const struct names *n, const struct sm_file *file)
{
	struct gen g = { out, n, n->s, file->id, 0 };
	const struct sm_node **order = calloc(g.s->nnodes + 1, sizeof(*order));
	bool *seen = calloc(g.s->nnodes + 1, sizeof(*seen));
	const struct sm_node *f = sm_find(g.s, file->id);
	char *prefix = names_prefix(file->filename);
	char guard[300];
	uint32_t count = 0;

	if (!order || !seen || !f)
		abort();
	snprintf(guard, sizeof(guard), "CAPNPC_C_%s_CAPNP_H", prefix);
	for (char *p = guard; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	gen_includes(&g, file, guard);
	for (uint32_t j = 0; j < f->nnested; j++) {
		const struct sm_node *c = sm_find(g.s, f->nested[j].id);

		if (c)
			gen_collect(&g, c, order, &count, seen);
	}
	gen_body(&g, order, count);
	fprintf(out, "#endif\n");
	free(prefix);
	free(order);
	free(seen);
	return g.err;
}
