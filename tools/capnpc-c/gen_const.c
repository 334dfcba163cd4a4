// SPDX-License-Identifier: MIT
/*
 * Constants, and which imported files a header must include. A constant
 * `const c :T = v` in scope S becomes:
 *
 *	integers, bool, enum	#define S_c <literal>
 *	floats			#define S_c <literal> (under #ifndef CAPNP_NO_FLOAT)
 *	Text			#define S_c "..." and S_c_LEN
 *	Data			static const uint8_t S_c[] and S_c_LEN
 *	struct, list		static const uint64_t S_c_words[] and struct capnp_seg S_c_seg,
 *				a constant segment; read it with capnp_ptr_struct/_list
 *				on a null pointer and &S_c_seg as the default
 *	Void, AnyPointer	nothing but a comment
 */
#include "gen_internal.h"

#include <inttypes.h>
#include <string.h>

static void gen_const_float(struct gen *g, const char *t, const struct sm_value *v)
{
	fprintf(g->out, "#ifndef CAPNP_NO_FLOAT\n#define %s (", t);
	if (v->which == SM_FLOAT32)
		fprintf(g->out, "capnp_bits_f32(0x%" PRIx32 "u)", (uint32_t)v->bits);
	else
		fprintf(g->out, "capnp_bits_f64(0x%" PRIx64 "ull)", v->bits);
	fprintf(g->out, ")\n#endif\n\n");
}

void gen_const(struct gen *g, const struct sm_node *node)
{
	const char *t = gen_name(g, node->id);
	const struct sm_value *v = &node->const_value;
	struct capnp_text text;
	struct capnp_data data;

	fprintf(g->out, "/* %s */\n", node->display_name);
	if (gen_is_float(v->which)) {
		gen_const_float(g, t, v);
	} else if (v->which != SM_VOID && !sm_type_is_pointer(v->which)) {
		fprintf(g->out, "#define %s (", t);
		gen_literal(g, v->which, v->bits);
		fprintf(g->out, ")\n\n");
	} else if (v->which == SM_TEXT) {
		text = capnp_ptr_text(v->ptr, NULL, 0);
		fprintf(g->out, "#define %s ", t);
		gen_c_string(g, (const uint8_t *)text.str, text.len);
		fprintf(g->out, "\n#define %s_LEN %uu\n\n", t, text.len);
	} else if (v->which == SM_DATA) {
		data = capnp_ptr_data(v->ptr, NULL, 0);
		fprintf(g->out, "static const uint8_t %s[%u] = {", t, data.len ? data.len : 1);
		for (uint32_t i = 0; i < data.len; i++)
			fprintf(g->out, "%s0x%02x,", i % 12 ? " " : "\n\t", data.ptr[i]);
		fprintf(g->out, "\n};\n#define %s_LEN %uu\n\n", t, data.len);
	} else if (v->which == SM_STRUCT || v->which == SM_LIST) {
		gen_words(g, t, v->ptr);
		fputc('\n', g->out);
	}
}

static bool gen_type_uses(struct gen *g, const struct sm_type *t, uint64_t file)
{
	for (; t; t = t->elem)
		if (t->which >= SM_ENUM && t->which <= SM_INTERFACE &&
		    names_file_of(g->n, t->id) == file)
			return true;
	return false;
}

static bool gen_node_uses(struct gen *g, const struct sm_node *node, uint64_t file)
{
	for (uint32_t i = 0; i < node->nfields; i++)
		if (gen_type_uses(g, &node->fields[i].type, file))
			return true;
	for (uint32_t i = 0; i < node->nmethods; i++)
		if (names_file_of(g->n, node->methods[i].param_id) == file ||
		    names_file_of(g->n, node->methods[i].result_id) == file)
			return true;
	return node->which == SM_NODE_CONST && gen_type_uses(g, &node->const_type, file);
}

bool gen_file_used(struct gen *g, uint64_t file)
{
	for (uint32_t i = 0; i < g->s->nnodes; i++) {
		const struct sm_node *node = &g->s->nodes[i];

		if (names_file_of(g->n, node->id) == g->file && gen_node_uses(g, node, file))
			return true;
	}
	return false;
}
