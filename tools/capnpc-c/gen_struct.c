// SPDX-License-Identifier: MIT
/*
 * Struct accessors. For struct T (C name) the generator writes:
 *
 *	T_read(ptr), T_root(msg)		reader of a pointer / the root
 *	T_init(ptr_builder), T_init_root(msg)	allocate and return a builder
 *	T_reader(builder)			read back what was built
 *	T__list_len/_get, T__list_init/_build	lists of T (struct T__list,
 *						struct T__list_builder; the double
 *						underscore keeps them apart from a
 *						member named "list")
 *	T_which(s) + enum T_which		when T has an unnamed union
 *	T_get_f(s), T_has_f(s)			per field f (has: pointer fields)
 *	T_set_f(b, v), T_init_f(b[, n])		per field f, builders; setting a union
 *						member also sets the discriminant
 *
 * Groups get the field accessors and T_reader only: a group is read and built
 * through its parent's struct (T_get_g / T_init_g on the parent).
 * gen_struct_head() writes the part other structs' accessors call (so it is
 * written for every struct of the file first), gen_struct() the fields.
 */
#include "gen_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct gen_field {
	struct gen *g;
	const struct sm_node *node;
	const struct sm_field *f;
	const char *t;			/* C name of the struct */
	char disc[96];			/* statement setting the discriminant, or "" */
	char def[160];			/* extra default arguments for pointer getters */
};

static void gen_fn(struct gen *g, const char *ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes "static inline RET " followed by the formatted name and arguments. */
static void gen_fn(struct gen *g, const char *ret, const char *fmt, ...)
{
	va_list ap;

	fprintf(g->out, "static inline %s%s", ret, ret[strlen(ret) - 1] == '*' ? "" : " ");
	va_start(ap, fmt);
	vfprintf(g->out, fmt, ap);
	va_end(ap);
	fputs("\n{\n", g->out);
}

static void gen_struct_basics(struct gen *g, const struct sm_node *node, const char *t)
{
	fprintf(g->out, "#define %s_DATA_WORDS %u\n#define %s_PTR_COUNT %u\n\n", t,
		node->data_words, t, node->ptr_count);
	gen_fn(g, "struct", "%s %s_read(struct capnp_ptr p)", t, t);
	fprintf(g->out, "\tstruct %s v = { capnp_ptr_struct(p, NULL) };\n\treturn v;\n}\n\n", t);
	gen_fn(g, "struct", "%s %s_root(struct capnp_msg *msg)", t, t);
	fprintf(g->out, "\treturn %s_read(capnp_msg_root(msg));\n}\n\n", t);
	gen_fn(g, "struct", "%s_builder %s_init(struct capnp_ptr_builder p)", t, t);
	fprintf(g->out, "\tstruct %s_builder v = { capnp_ptr_init_struct(p, %u, %u) };\n"
		"\treturn v;\n}\n\n", t, node->data_words, node->ptr_count);
	gen_fn(g, "struct", "%s_builder %s_init_root(struct capnp_msg *msg)", t, t);
	fprintf(g->out, "\treturn %s_init(capnp_msg_root_builder(msg));\n}\n\n", t);
	gen_fn(g, "uint32_t", "%s__list_len(struct %s__list l)", t, t);
	fprintf(g->out, "\treturn l.l.len;\n}\n\n");
	gen_fn(g, "struct", "%s %s__list_get(struct %s__list l, uint32_t i)", t, t, t);
	fprintf(g->out, "\tstruct %s v = { capnp_list_struct(l.l, i) };\n\treturn v;\n}\n\n", t);
	gen_fn(g, "struct", "%s__list_builder %s__list_init(struct capnp_ptr_builder p, %s)", t,
	       t, "uint32_t n");
	fprintf(g->out, "\tstruct %s__list_builder v = { %s(p, n, %u, %u) };\n\treturn v;\n}\n\n",
		t, "capnp_ptr_init_struct_list", node->data_words, node->ptr_count);
	gen_fn(g, "struct", "%s_builder %s__list_build(struct %s__list_builder l, uint32_t i)", t,
	       t, t);
	fprintf(g->out, "\tstruct %s_builder v = { capnp_list_build_struct(l.l, i) };\n"
		"\treturn v;\n}\n\n", t);
}

static void gen_struct_which(struct gen *g, const struct sm_node *node, const char *t)
{
	fprintf(g->out, "enum %s_which {\n", t);
	for (uint32_t i = 0; i < node->nfields; i++)
		if (node->fields[i].discriminant != SM_NO_DISCRIMINANT)
			fprintf(g->out, "\t%s_which_%s = %u,\n", t, node->fields[i].name,
				node->fields[i].discriminant);
	fprintf(g->out, "};\n\n");
	gen_fn(g, "uint16_t", "%s_which(struct %s s)", t, t);
	fprintf(g->out, "\treturn capnp_get_u16(s.r, %u, 0);\n}\n\n",
		node->discriminant_offset * 2);
}

/* Primitive field: getter and setter. */
static void gen_field_prim(struct gen_field *x)
{
	struct gen *g = x->g;
	const struct sm_field *f = x->f;
	enum sm_which w = f->type.which;
	uint32_t off = w == SM_BOOL ? f->offset : f->offset * (sm_type_bits(w) / 8);
	bool fl = gen_is_float(w);

	if (fl)
		fputs("#ifndef CAPNP_NO_FLOAT\n", g->out);
	gen_fn(g, gen_ctype[w], "%s_get_%s(struct %s s)", x->t, f->name, x->t);
	fprintf(g->out, "\treturn capnp_get_%s(s.r, %u, ", gen_acc[w], off);
	gen_literal(g, w, f->dflt.bits);
	fputs(");\n}\n\n", g->out);
	gen_fn(g, "void", "%s_set_%s(struct %s_builder b, %s v)", x->t, f->name, x->t,
	       gen_ctype[w]);
	fprintf(g->out, "%s\tcapnp_set_%s(b.b, %u, v, ", x->disc, gen_acc[w], off);
	gen_literal(g, w, f->dflt.bits);
	fputs(");\n}\n\n", g->out);
	if (fl)
		fputs("#endif\n\n", g->out);
}

/* Sets x->def to the default arguments of a text/data getter, or "NULL, 0". */
static void gen_blob_default(struct gen_field *x, char *lit, size_t cap)
{
	const struct sm_field *f = x->f;
	struct capnp_data d = { NULL, 0 };
	struct capnp_text t = { NULL, 0 };

	snprintf(x->def, sizeof(x->def), "NULL, 0");
	if (!f->had_default || capnp_ptr_is_null(f->dflt.ptr))
		return;
	if (f->type.which == SM_TEXT)
		t = capnp_ptr_text(f->dflt.ptr, NULL, 0);
	else
		d = capnp_ptr_data(f->dflt.ptr, NULL, 0);
	snprintf(lit, cap, "%s_%s_default", x->t, f->name);
	fprintf(x->g->out, "static const char %s[] = ", lit);
	if (f->type.which == SM_TEXT)
		gen_c_string(x->g, (const uint8_t *)t.str, t.len);
	else
		gen_c_string(x->g, d.ptr, d.len);
	fputs(";\n\n", x->g->out);
	snprintf(x->def, sizeof(x->def), "%s, %u", lit, f->type.which == SM_TEXT ? t.len : d.len);
}

static void gen_field_blob(struct gen_field *x)
{
	struct gen *g = x->g;
	const struct sm_field *f = x->f;
	bool text = f->type.which == SM_TEXT;
	char lit[128];

	gen_blob_default(x, lit, sizeof(lit));
	gen_fn(g, text ? "struct capnp_text" : "struct capnp_data", "%s_get_%s(struct %s s)", x->t,
	       f->name, x->t);
	fprintf(g->out, "\treturn capnp_get_%s(s.r, %u, %s);\n}\n\n", text ? "text" : "data",
		f->offset, x->def);
	gen_fn(g, "int", "%s_set_%s(struct %s_builder b, const %s *v, uint32_t len)", x->t,
	       f->name, x->t, text ? "char" : "void");
	fprintf(g->out, "%s\treturn capnp_set_%s(b.b, %u, v, len);\n}\n\n", x->disc,
		text ? "text" : "data", f->offset);
}

/* C reader/builder type names for a struct or list field: "struct X" and "struct X_builder". */
static void gen_ptr_types(struct gen_field *x, char *rt, char *bt, size_t cap)
{
	const struct sm_type *ty = &x->f->type;
	const struct sm_type *e = ty->elem;

	if (ty->which == SM_STRUCT) {
		snprintf(rt, cap, "struct %s", gen_name(x->g, ty->id));
		snprintf(bt, cap, "struct %s_builder", gen_name(x->g, ty->id));
	} else if (e->which == SM_STRUCT) {
		snprintf(rt, cap, "struct %s__list", gen_name(x->g, e->id));
		snprintf(bt, cap, "struct %s__list_builder", gen_name(x->g, e->id));
	} else {
		snprintf(rt, cap, "struct capnp_list");
		snprintf(bt, cap, "struct capnp_list_builder");
	}
}

static void gen_field_struct_or_list(struct gen_field *x)
{
	struct gen *g = x->g;
	const struct sm_field *f = x->f;
	bool is_struct = f->type.which == SM_STRUCT;
	bool struct_list = !is_struct && f->type.elem->which == SM_STRUCT;
	char rt[160], bt[160], def[160] = "NULL";
	const char *u = is_struct ? gen_name(g, f->type.id)
				  : struct_list ? gen_name(g, f->type.elem->id) : NULL;

	gen_ptr_types(x, rt, bt, sizeof(rt));
	if (f->had_default && !capnp_ptr_is_null(f->dflt.ptr)) {
		snprintf(def, sizeof(def), "%s_%s_default", x->t, f->name);
		gen_words(g, def, f->dflt.ptr);
		fputc('\n', g->out);
		strcat(def, "_seg");
		memmove(def + 1, def, strlen(def) + 1);
		def[0] = '&';
	}
	gen_fn(g, rt, "%s_get_%s(struct %s s)", x->t, f->name, x->t);
	if (is_struct)
		fprintf(g->out, "\t%s v = { capnp_get_struct(s.r, %u, %s) };\n\treturn v;\n}\n\n",
			rt, f->offset, def);
	else if (struct_list)
		fprintf(g->out, "\t%s v = { capnp_get_list(s.r, %u, CAPNP_ELEM_COMPOSITE, %s) };\n"
			"\treturn v;\n}\n\n", rt, f->offset, def);
	else
		fprintf(g->out, "\treturn capnp_get_list(s.r, %u, %s, %s);\n}\n\n", f->offset,
			gen_elem[f->type.elem->which], def);
	if (is_struct) {
		gen_fn(g, bt, "%s_init_%s(struct %s_builder b)", x->t, f->name, x->t);
		fprintf(g->out, "%s\treturn %s_init(capnp_builder_ptr(b.b, %u));\n}\n\n",
			x->disc, u, f->offset);
	} else {
		gen_fn(g, bt, "%s_init_%s(struct %s_builder b, uint32_t n)", x->t, f->name, x->t);
		if (struct_list)
			fprintf(g->out,
				"%s\treturn %s__list_init(capnp_builder_ptr(b.b, %u), n);\n}\n\n",
				x->disc, u, f->offset);
		else
			fprintf(g->out, "%s\treturn capnp_init_list(b.b, %u, %s, n);\n}\n\n",
				x->disc, f->offset, gen_elem[f->type.elem->which]);
	}
}

static void gen_field_other_ptr(struct gen_field *x)
{
	struct gen *g = x->g;
	const struct sm_field *f = x->f;

	if (f->type.which == SM_INTERFACE) {
		gen_fn(g, "int64_t", "%s_get_%s(struct %s s)", x->t, f->name, x->t);
		fprintf(g->out, "\treturn capnp_get_cap(s.r, %u);\n}\n\n", f->offset);
		gen_fn(g, "int", "%s_set_%s(struct %s_builder b, uint32_t cap_index)", x->t,
		       f->name, x->t);
		fprintf(g->out, "%s\treturn capnp_set_cap(b.b, %u, cap_index);\n}\n\n", x->disc,
			f->offset);
		return;
	}
	gen_fn(g, "struct capnp_ptr", "%s_get_%s(struct %s s)", x->t, f->name, x->t);
	fprintf(g->out, "\treturn capnp_get_ptr(s.r, %u);\n}\n\n", f->offset);
	gen_fn(g, "struct capnp_ptr_builder", "%s_ptr_%s(struct %s_builder b)", x->t, f->name,
	       x->t);
	fprintf(g->out, "%s\treturn capnp_builder_ptr(b.b, %u);\n}\n\n", x->disc, f->offset);
}

static void gen_field_group(struct gen_field *x)
{
	struct gen *g = x->g;
	const char *u = gen_name(g, x->f->group_id);

	/* struct T_builder and enum T_which are tags too: a group may not take those names. */
	if (!strcmp(x->f->name, "builder") ||
	    (!strcmp(x->f->name, "which") && x->node->discriminant_count)) {
		fprintf(stderr, "capnpc-c: group %s collides with the generated %s; rename it\n", u,
			x->f->name);
		g->err = -1;
	}

	gen_fn(g, "struct", "%s %s_get_%s(struct %s s)", u, x->t, x->f->name, x->t);
	fprintf(g->out, "\tstruct %s v = { s.r };\n\treturn v;\n}\n\n", u);
	gen_fn(g, "struct", "%s_builder %s_init_%s(struct %s_builder b)", u, x->t, x->f->name,
	       x->t);
	fprintf(g->out, "%s\tstruct %s_builder v = { b.b };\n\treturn v;\n}\n\n", x->disc, u);
}

static void gen_field(struct gen *g, const struct sm_node *node, const struct sm_field *f,
		      const char *t)
{
	struct gen_field x = { g, node, f, t, "", "" };
	enum sm_which w = f->type.which;

	if (f->discriminant != SM_NO_DISCRIMINANT)
		snprintf(x.disc, sizeof(x.disc), "\tcapnp_set_u16(b.b, %u, %u, 0);\n",
			 node->discriminant_offset * 2, f->discriminant);
	fprintf(g->out, "/* %s.%s */\n", strchr(node->display_name, ':') ?
			strchr(node->display_name, ':') + 1 : node->display_name, f->name);
	if (f->is_group) {
		gen_field_group(&x);
	} else if (w == SM_VOID) {
		if (!x.disc[0])
			return;
		gen_fn(g, "void", "%s_set_%s(struct %s_builder b)", t, f->name, t);
		fprintf(g->out, "%s}\n\n", x.disc);
	} else if (!sm_type_is_pointer(w)) {
		gen_field_prim(&x);
	} else if (w == SM_TEXT || w == SM_DATA) {
		gen_field_blob(&x);
	} else if (w == SM_STRUCT || w == SM_LIST) {
		gen_field_struct_or_list(&x);
	} else {
		gen_field_other_ptr(&x);
	}
	if (sm_type_is_pointer(w) && !f->is_group) {
		gen_fn(g, "bool", "%s_has_%s(struct %s s)", t, f->name, t);
		fprintf(g->out, "\treturn capnp_has_ptr(s.r, %u);\n}\n\n", f->offset);
	}
}

void gen_struct_head(struct gen *g, const struct sm_node *node)
{
	const char *t = gen_name(g, node->id);

	fprintf(g->out, "/* %s: %u data words, %u pointers%s */\n", node->display_name,
		node->data_words, node->ptr_count, node->is_group ? " (group)" : "");
	fprintf(g->out, "#define %s_TYPE_ID UINT64_C(0x%016" PRIx64 ")\n", t, node->id);
	if (!node->is_group)
		gen_struct_basics(g, node, t);
	gen_fn(g, "struct", "%s %s_reader(struct %s_builder b)", t, t, t);
	fprintf(g->out, "\tstruct %s v = { capnp_builder_reader(b.b) };\n\treturn v;\n}\n\n", t);
	if (node->discriminant_count)
		gen_struct_which(g, node, t);
}

void gen_struct(struct gen *g, const struct sm_node *node)
{
	const char *t = gen_name(g, node->id);

	for (uint32_t i = 0; i < node->nfields; i++)
		gen_field(g, node, &node->fields[i], t);
}
