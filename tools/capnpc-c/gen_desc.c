// SPDX-License-Identifier: MIT
/*
 * Type descriptors: constant tables describing every struct, group and enum
 * of a file (names, kinds, offsets, defaults, discriminants, element types),
 * for generic code that walks any message, e.g. a printer or a debugger in
 * capOS itself where the official compiler is not available. Each header
 * carries the descriptor types once (CAPNPC_C_DESC_TYPES guard) and, per
 * struct T and enum E, `static const struct capnpc_struct_desc T_desc` and
 * `static const struct capnpc_enum_desc E_desc`; unused ones cost nothing.
 * Offsets are the accessors' (bool: bits; other primitives: bytes; pointers:
 * pointer index); defaults are the XOR masks.
 */
#include "gen_internal.h"

#include <inttypes.h>
#include <string.h>

void gen_desc_types(struct gen *g)
{
	fputs("#ifndef CAPNPC_C_DESC_TYPES\n#define CAPNPC_C_DESC_TYPES\n"
	      "/* Descriptors of schema types for generic walkers (docs/capnpc-c.md). */\n"
	      "enum capnpc_kind {\n"
	      "\tCAPNPC_VOID, CAPNPC_BOOL, CAPNPC_INT8, CAPNPC_INT16, CAPNPC_INT32, CAPNPC_INT64,\n"
	      "\tCAPNPC_UINT8, CAPNPC_UINT16, CAPNPC_UINT32, CAPNPC_UINT64, CAPNPC_FLOAT32,\n"
	      "\tCAPNPC_FLOAT64, CAPNPC_TEXT, CAPNPC_DATA, CAPNPC_LIST, CAPNPC_ENUM,\n"
	      "\tCAPNPC_STRUCT, CAPNPC_INTERFACE, CAPNPC_ANY_POINTER, CAPNPC_GROUP,\n};\n\n"
	      "struct capnpc_struct_desc;\n\n"
	      "struct capnpc_enum_desc {\n"
	      "\tconst char *name;\t\t\t/* schema name, scopes joined by '.' */\n"
	      "\tuint64_t id;\n"
	      "\tuint32_t count;\n"
	      "\tconst char *const *enumerants;\t\t/* by ordinal */\n};\n\n"
	      "struct capnpc_type_desc {\n"
	      "\tuint16_t kind;\t\t\t\t/* enum capnpc_kind */\n"
	      "\tconst struct capnpc_type_desc *elem;\t/* list element */\n"
	      "\tconst struct capnpc_struct_desc *struct_type;\t/* struct, group */\n"
	      "\tconst struct capnpc_enum_desc *enum_type;\t/* enum */\n};\n\n"
	      "struct capnpc_field_desc {\n"
	      "\tconst char *name;\n"
	      "\tuint16_t discriminant;\t\t\t/* 0xffff outside unions */\n"
	      "\tuint32_t offset;\t\t\t/* bool: bits; primitives: bytes; pointers: index */\n"
	      "\tuint64_t default_bits;\t\t\t/* XOR mask of primitives */\n"
	      "\tconst struct capnpc_type_desc *type;\n};\n\n"
	      "struct capnpc_struct_desc {\n"
	      "\tconst char *name;\n"
	      "\tuint64_t id;\n"
	      "\tuint16_t data_words;\n"
	      "\tuint16_t ptr_count;\n"
	      "\tuint16_t discriminant_count;\t\t/* union members; 0 if no union */\n"
	      "\tuint32_t discriminant_offset;\t\t/* bytes */\n"
	      "\tuint32_t nfields;\n"
	      "\tconst struct capnpc_field_desc *fields;\t/* in schema index order */\n};\n"
	      "#endif\n\n", g->out);
}

static const char *gen_desc_name(const struct sm_node *node)
{
	const char *colon = strchr(node->display_name, ':');

	return colon ? colon + 1 : node->display_name;
}

void gen_desc_forward(struct gen *g, const struct sm_node *node)
{
	fprintf(g->out, "static const struct capnpc_%s_desc %s_desc;\n",
		node->which == SM_NODE_ENUM ? "enum" : "struct", gen_name(g, node->id));
}

/* Entry i of a field's type chain (list elements follow at i + 1). */
static void gen_desc_type(struct gen *g, const char *arr, const struct sm_type *t, unsigned i,
			  bool group)
{
	fprintf(g->out, "\t{ %u, ", group ? 19u : (unsigned)t->which);
	if (t->which == SM_LIST)
		fprintf(g->out, "&%s[%u], ", arr, i + 1);
	else
		fputs("NULL, ", g->out);
	if (t->which == SM_STRUCT && names_of(g->n, t->id))
		fprintf(g->out, "&%s_desc, ", gen_name(g, t->id));
	else
		fputs("NULL, ", g->out);
	if (t->which == SM_ENUM && names_of(g->n, t->id))
		fprintf(g->out, "&%s_desc },\n", gen_name(g, t->id));
	else
		fputs("NULL },\n", g->out);
}

static void gen_desc_field_types(struct gen *g, const char *t, const struct sm_field *f)
{
	char arr[256];
	unsigned i = 0;

	snprintf(arr, sizeof(arr), "%s_%s_type", t, f->name);
	fprintf(g->out, "static const struct capnpc_type_desc %s[] = {\n", arr);
	for (const struct sm_type *ty = &f->type; ty; ty = ty->elem, i++)
		gen_desc_type(g, arr, ty, i, f->is_group && i == 0);
	fputs("};\n", g->out);
}

static uint32_t gen_desc_offset(const struct sm_field *f)
{
	enum sm_which w = f->type.which;

	if (f->is_group || sm_type_is_pointer(w) || w == SM_BOOL)
		return f->is_group ? 0 : f->offset;
	return f->offset * (sm_type_bits(w) / 8);
}

void gen_desc_enum(struct gen *g, const struct sm_node *node)
{
	const char *t = gen_name(g, node->id);

	fprintf(g->out, "static const char *const %s_names[%u] = {", t,
		node->nenumerants ? node->nenumerants : 1);
	for (uint32_t i = 0; i < node->nenumerants; i++)
		fprintf(g->out, " \"%s\",", node->enumerants[i]);
	fprintf(g->out, " };\nstatic const struct capnpc_enum_desc %s_desc = {\n"
		"\t\"%s\", UINT64_C(0x%016" PRIx64 "), %u, %s_names,\n};\n\n", t,
		gen_desc_name(node), node->id, node->nenumerants, t);
}

void gen_desc_struct(struct gen *g, const struct sm_node *node)
{
	const char *t = gen_name(g, node->id);

	for (uint32_t i = 0; i < node->nfields; i++)
		gen_desc_field_types(g, t, &node->fields[i]);
	if (node->nfields) {
		fprintf(g->out, "static const struct capnpc_field_desc %s_fields[] = {\n", t);
		for (uint32_t i = 0; i < node->nfields; i++) {
			const struct sm_field *f = &node->fields[i];

			fprintf(g->out,
				"\t{ \"%s\", %u, %u, UINT64_C(0x%" PRIx64 "), %s_%s_type },\n",
				f->name, f->discriminant, gen_desc_offset(f),
				f->is_group || sm_type_is_pointer(f->type.which) ? 0 : f->dflt.bits,
				t, f->name);
		}
		fputs("};\n", g->out);
	}
	fprintf(g->out, "static const struct capnpc_struct_desc %s_desc = {\n"
		"\t\"%s\", UINT64_C(0x%016" PRIx64 "), %u, %u, %u, %u, %u, %s%s,\n};\n\n", t,
		gen_desc_name(node), node->id, node->data_words, node->ptr_count,
		node->discriminant_count, node->discriminant_offset * 2, node->nfields,
		node->nfields ? t : "NULL", node->nfields ? "_fields" : "");
}
