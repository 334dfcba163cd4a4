// SPDX-License-Identifier: MIT
/*
 * The walk behind capnp-print: a transcription of capnp/stringify.c++
 * (print() with Indent(true)) onto the capOS runtime. Each value is printed
 * into its own string first because the layout of a list or record (one line
 * or one item per line) depends on the printed size of its items. Recursion
 * follows message pointers, so its depth is bounded by the message's nesting
 * limit; groups nest only as deep as the schema does.
 *
 * What is printed, as the official tool does: every non-union field that
 * "has" a value (primitives and Void always; pointers when non-null; groups
 * always), the active union member unless it is member 0 holding a null
 * pointer, enums by name or "(n)" when unknown, "<opaque pointer>" for
 * AnyPointer and "<external capability>" for capabilities. A generic
 * parameter prints as the type its brand binds it to.
 */
#include "print.h"

#include "capnp/capnp_float.h"

#include <stdlib.h>
#include <string.h>

struct print_ctx {
	const struct sm_schema *s;
	struct capnp_msg *msg;
};

/*
 * The generic bindings in force: the brand of the struct being printed, whose
 * binding types are themselves to be read in `parent` (a chain on the stack,
 * as deep as the message nesting).
 */
struct print_brand {
	const struct sm_brand *brand;
	const struct print_brand *parent;
};

static const struct sm_type print_any = { .which = SM_ANY_POINTER };

static void print_struct(struct print_ctx *c, struct pstr *out, struct capnp_struct st,
			 const struct sm_node *node, const struct print_brand *br, unsigned indent,
			 enum text_mode mode);
static void print_ptr(struct print_ctx *c, struct pstr *out, struct capnp_ptr p,
		      const struct sm_type *t, const struct print_brand *br, unsigned indent,
		      enum text_mode mode);

/*
 * Resolves generic parameters: returns the type t stands for and sets *br to
 * the bindings that type is read in. An unbound parameter is AnyPointer.
 */
static const struct sm_type *print_resolve(const struct sm_type *t, const struct print_brand **br)
{
	while (t->is_param) {
		const struct print_brand *b = *br;
		const struct sm_scope *sc = NULL;

		while (b && b->brand) {
			sc = NULL;
			for (uint32_t i = 0; i < b->brand->nscopes && !sc; i++)
				if (b->brand->scopes[i].scope_id == t->param_scope)
					sc = &b->brand->scopes[i];
			if (!sc || !sc->inherit)
				break;
			b = b->parent;
		}
		if (!b || !b->brand || !sc || t->param_index >= sc->nbind ||
		    sc->bind[t->param_index].unbound)
			return &print_any;
		t = &sc->bind[t->param_index];
		*br = b->parent;
	}
	return t;
}

static enum capnp_elem print_elem_size(enum sm_which w)
{
	static const uint8_t size[] = {
		[SM_VOID] = CAPNP_ELEM_VOID,	[SM_BOOL] = CAPNP_ELEM_BIT,
		[SM_INT8] = CAPNP_ELEM_BYTE,	[SM_UINT8] = CAPNP_ELEM_BYTE,
		[SM_INT16] = CAPNP_ELEM_TWO,	[SM_UINT16] = CAPNP_ELEM_TWO,
		[SM_ENUM] = CAPNP_ELEM_TWO,	[SM_INT32] = CAPNP_ELEM_FOUR,
		[SM_UINT32] = CAPNP_ELEM_FOUR,	[SM_FLOAT32] = CAPNP_ELEM_FOUR,
		[SM_INT64] = CAPNP_ELEM_EIGHT,	[SM_UINT64] = CAPNP_ELEM_EIGHT,
		[SM_FLOAT64] = CAPNP_ELEM_EIGHT, [SM_STRUCT] = CAPNP_ELEM_COMPOSITE,
		[SM_TEXT] = CAPNP_ELEM_POINTER,	[SM_DATA] = CAPNP_ELEM_POINTER,
		[SM_LIST] = CAPNP_ELEM_POINTER,	[SM_INTERFACE] = CAPNP_ELEM_POINTER,
		[SM_ANY_POINTER] = CAPNP_ELEM_POINTER,
	};

	return w <= SM_ANY_POINTER ? (enum capnp_elem)size[w] : CAPNP_ELEM_VOID;
}

/* Prints a primitive from its raw bits (already XORed with the default). */
static void print_prim(struct print_ctx *c, struct pstr *out, const struct sm_type *t,
		       uint64_t v)
{
	const struct sm_node *e;

	switch (t->which) {
	case SM_VOID:
		pstr_puts(out, "void");
		break;
	case SM_BOOL:
		pstr_puts(out, v & 1 ? "true" : "false");
		break;
	case SM_INT8:
		pstr_addf(out, "%d", (int8_t)v);
		break;
	case SM_INT16:
		pstr_addf(out, "%d", (int16_t)v);
		break;
	case SM_INT32:
		pstr_addf(out, "%d", (int32_t)v);
		break;
	case SM_INT64:
		pstr_addf(out, "%lld", (long long)(int64_t)v);
		break;
	case SM_FLOAT32:
		text_float(out, capnp_bits_f32((uint32_t)v));
		break;
	case SM_FLOAT64:
		text_double(out, capnp_bits_f64(v));
		break;
	case SM_ENUM:
		e = sm_find(c->s, t->id);
		if (e && v < e->nenumerants)
			pstr_puts(out, e->enumerants[v]);
		else
			pstr_addf(out, "(%u)", (unsigned)v);
		break;
	default: /* unsigned */
		pstr_addf(out, "%llu", (unsigned long long)v);
		break;
	}
}

static void print_blob(struct pstr *out, const uint8_t *p, uint32_t n, bool binary)
{
	pstr_puts(out, "\"");
	text_escape(out, p, n, binary);
	pstr_puts(out, "\"");
}

static uint64_t print_list_bits(struct capnp_list l, uint32_t i, unsigned bits)
{
	switch (bits) {
	case 0:
		return 0;
	case 1:
		return capnp_list_bool(l, i);
	case 8:
		return capnp_list_u8(l, i);
	case 16:
		return capnp_list_u16(l, i);
	case 32:
		return capnp_list_u32(l, i);
	default:
		return capnp_list_u64(l, i);
	}
}

/* elem is resolved (not a generic parameter) and read in br. */
static void print_list(struct print_ctx *c, struct pstr *out, struct capnp_list l,
		       const struct sm_type *elem, const struct print_brand *br, unsigned indent,
		       enum text_mode mode)
{
	struct pstr *items = calloc(l.len ? l.len : 1, sizeof(*items));
	const struct print_brand sub = { elem->brand, br };
	const struct sm_node *node = NULL;

	if (!items)
		abort();
	if (elem->which == SM_STRUCT)
		node = sm_find(c->s, elem->id);
	for (uint32_t i = 0; i < l.len && !c->msg->err; i++) {
		if (elem->which == SM_STRUCT && node)
			print_struct(c, &items[i], capnp_list_struct(l, i), node, &sub, indent + 1,
				     TEXT_BARE);
		else if (sm_type_is_pointer(elem->which))
			print_ptr(c, &items[i], capnp_list_ptr(l, i), elem, br, indent + 1,
				  TEXT_BARE);
		else
			print_prim(c, &items[i], elem,
				   print_list_bits(l, i, sm_type_bits(elem->which)));
	}
	pstr_puts(out, "[");
	text_delimit(out, items, l.len, indent, mode, TEXT_LIST);
	pstr_puts(out, "]");
	free(items);
}

/* A pointer-typed value: text, data, list, struct, capability or AnyPointer. */
static void print_ptr(struct print_ctx *c, struct pstr *out, struct capnp_ptr p,
		      const struct sm_type *t, const struct print_brand *br, unsigned indent,
		      enum text_mode mode)
{
	const struct sm_type *e;
	const struct sm_node *node;
	const struct print_brand *ebr;
	struct print_brand sub;
	struct capnp_text txt;
	struct capnp_data dat;

	t = print_resolve(t, &br);
	switch (t->which) {
	case SM_TEXT:
		txt = capnp_ptr_text(p, NULL, 0);
		print_blob(out, (const uint8_t *)txt.str, txt.len, false);
		break;
	case SM_DATA:
		dat = capnp_ptr_data(p, NULL, 0);
		print_blob(out, dat.ptr, dat.len, true);
		break;
	case SM_LIST:
		ebr = br;
		e = print_resolve(t->elem, &ebr);
		print_list(c, out, capnp_ptr_list(p, print_elem_size(e->which), NULL), e, ebr,
			   indent, mode);
		break;
	case SM_STRUCT:
		node = sm_find(c->s, t->id);
		sub.brand = t->brand;
		sub.parent = br;
		if (node)
			print_struct(c, out, capnp_ptr_struct(p, NULL), node, &sub, indent, mode);
		break;
	case SM_INTERFACE:
		capnp_ptr_cap(p);
		pstr_puts(out, "<external capability>");
		break;
	default:
		pstr_puts(out, "<opaque pointer>");
		break;
	}
}

/* DynamicStruct::Reader::has() in its NON_NULL mode, for the active or a non-union field. */
static bool print_has(struct capnp_struct st, const struct sm_field *f)
{
	if (f->is_group || !sm_type_is_pointer(f->type.which))
		return true;
	return !capnp_ptr_is_null(capnp_get_ptr(st, (uint16_t)f->offset));
}

static uint64_t print_field_bits(struct capnp_struct st, const struct sm_field *f)
{
	unsigned bits = sm_type_bits(f->type.which);
	uint32_t off = f->offset * bits;

	switch (bits) {
	case 0:
		return 0;
	case 1:
		return capnp_get_bool(st, off, f->dflt.bits & 1);
	case 8:
		return capnp_get_u8(st, off / 8, (uint8_t)f->dflt.bits);
	case 16:
		return capnp_get_u16(st, off / 8, (uint16_t)f->dflt.bits);
	case 32:
		return capnp_get_u32(st, off / 8, (uint32_t)f->dflt.bits);
	default:
		return capnp_get_u64(st, off / 8, f->dflt.bits);
	}
}

/* Prints "name = value" for one field. */
static void print_field(struct print_ctx *c, struct pstr *out, struct capnp_struct st,
			const struct sm_field *f, const struct print_brand *br, unsigned indent)
{
	const struct sm_node *group;

	pstr_puts(out, f->name);
	pstr_puts(out, " = ");
	if (f->is_group) {
		group = sm_find(c->s, f->group_id);
		if (group)
			print_struct(c, out, st, group, br, indent + 1, TEXT_PREFIXED);
	} else if (sm_type_is_pointer(f->type.which)) {
		print_ptr(c, out, capnp_get_ptr(st, (uint16_t)f->offset), &f->type, br, indent + 1,
			  TEXT_PREFIXED);
	} else {
		print_prim(c, out, &f->type, print_field_bits(st, f));
	}
}

/* The active union member worth printing, or NULL. */
static const struct sm_field *print_active(struct capnp_struct st, const struct sm_node *node)
{
	uint16_t d;

	if (!node->discriminant_count)
		return NULL;
	d = capnp_get_u16(st, node->discriminant_offset * 2, 0);
	for (uint32_t i = 0; i < node->nfields; i++) {
		const struct sm_field *f = &node->fields[i];

		if (f->discriminant == d)
			return d != 0 || print_has(st, f) ? f : NULL;
	}
	return NULL;
}

static void print_struct(struct print_ctx *c, struct pstr *out, struct capnp_struct st,
			 const struct sm_node *node, const struct print_brand *br, unsigned indent,
			 enum text_mode mode)
{
	struct pstr *items = calloc(node->nfields + 1, sizeof(*items));
	const struct sm_field *active = print_active(st, node);
	size_t n = 0;

	if (!items)
		abort();
	for (uint32_t i = 0; i < node->nfields && !c->msg->err; i++) {
		const struct sm_field *f = &node->fields[i];

		if (active && active < f) {
			print_field(c, &items[n++], st, active, br, indent);
			active = NULL;
		}
		if (f->discriminant == SM_NO_DISCRIMINANT && print_has(st, f))
			print_field(c, &items[n++], st, f, br, indent);
	}
	if (active && !c->msg->err)
		print_field(c, &items[n++], st, active, br, indent);
	pstr_puts(out, "(");
	text_delimit(out, items, n, indent, mode, TEXT_RECORD);
	pstr_puts(out, ")");
	free(items);
}

int print_message(const struct sm_schema *s, const struct sm_node *root, struct capnp_msg *msg,
		  uint64_t traversal_words, int32_t nesting, struct pstr *out)
{
	struct print_ctx c = { s, msg };

	capnp_msg_set_limits(msg, traversal_words, nesting);
	print_struct(&c, out, capnp_msg_root_struct(msg), root, NULL, 1, TEXT_BARE);
	return capnp_msg_error(msg);
}
