// SPDX-License-Identifier: MIT
/*
 * Stage 0 loader: builds the sm_* model of a CodeGeneratorRequest with the
 * capOS runtime's raw accessors, so no generated code is needed to read a
 * schema (the bootstrap of capnpc-c). Offsets are bit offsets in the layout
 * of capnp/schema.capnp (`capnp compile -ocapnp schema.capnp` prints them).
 * The model copies scalars and keeps pointers into the request, so a schema
 * lives exactly as long as its buffer.
 */
#include "schema.h"

#include <stdlib.h>
#include <string.h>

static uint64_t sm_u(struct capnp_struct s, uint32_t bit, unsigned bits)
{
	switch (bits) {
	case 1:
		return capnp_get_bool(s, bit, false);
	case 16:
		return capnp_get_u16(s, bit / 8, 0);
	case 32:
		return capnp_get_u32(s, bit / 8, 0);
	default:
		return capnp_get_u64(s, bit / 8, 0);
	}
}

static const char *sm_text(struct capnp_struct s, uint16_t ptr)
{
	return capnp_get_text(s, ptr, NULL, 0).str;
}

static struct capnp_struct sm_sub(struct capnp_struct s, uint16_t ptr)
{
	return capnp_get_struct(s, ptr, NULL);
}

static struct capnp_list sm_structs(struct capnp_struct s, uint16_t ptr)
{
	return capnp_get_list(s, ptr, CAPNP_ELEM_COMPOSITE, NULL);
}

static void sm_read_type(struct capnp_struct t, struct sm_type *out);

/* Brand (ptr 0 of a struct/enum/interface Type): scopes of bindings. NULL if none. */
static struct sm_brand *sm_read_brand(struct capnp_struct b)
{
	struct capnp_list scopes = sm_structs(b, 0);
	struct sm_brand *br;

	if (!scopes.len)
		return NULL;
	br = sm_calloc(1, sizeof(*br));
	br->nscopes = scopes.len;
	br->scopes = sm_calloc(scopes.len, sizeof(*br->scopes));
	for (uint32_t i = 0; i < scopes.len; i++) {
		struct capnp_struct sc = capnp_list_struct(scopes, i);
		struct sm_scope *o = &br->scopes[i];
		struct capnp_list binds = sm_structs(sc, 0);

		o->scope_id = sm_u(sc, 0, 64);
		o->inherit = sm_u(sc, 64, 16) == 1;
		if (o->inherit)
			continue;
		o->nbind = binds.len;
		o->bind = sm_calloc(binds.len, sizeof(*o->bind));
		for (uint32_t j = 0; j < binds.len; j++) {
			struct capnp_struct bd = capnp_list_struct(binds, j);

			if (sm_u(bd, 0, 16) == 1)
				sm_read_type(sm_sub(bd, 0), &o->bind[j]);
			else
				o->bind[j].unbound = true;
		}
	}
	return br;
}

static void sm_read_type(struct capnp_struct t, struct sm_type *out)
{
	out->which = (enum sm_which)sm_u(t, 0, 16);
	if (out->which == SM_LIST) {
		out->elem = sm_calloc(1, sizeof(*out->elem));
		sm_read_type(sm_sub(t, 0), out->elem);
	} else if (out->which >= SM_ENUM && out->which <= SM_INTERFACE) {
		out->id = sm_u(t, 64, 64);
		out->brand = sm_read_brand(sm_sub(t, 0));
	} else if (out->which == SM_ANY_POINTER && sm_u(t, 64, 16) == 1) {
		out->is_param = true;
		out->param_scope = sm_u(t, 128, 64);
		out->param_index = (uint16_t)sm_u(t, 80, 16);
	}
}

static void sm_read_value(struct capnp_struct v, struct sm_value *out)
{
	static const uint16_t bit_off[] = { 0, 16, 16, 16, 32, 64, 16, 16, 32, 64, 32, 64 };

	out->which = (enum sm_which)sm_u(v, 0, 16);
	if (out->which <= SM_FLOAT64)
		out->bits = sm_u(v, bit_off[out->which], sm_type_bits(out->which));
	else if (out->which == SM_ENUM)
		out->bits = sm_u(v, 16, 16);
	else if (out->which != SM_INTERFACE)
		out->ptr = capnp_get_ptr(v, 0);
}

static void sm_read_field(struct capnp_struct f, struct sm_field *out)
{
	out->name = sm_text(f, 0);
	out->code_order = (uint16_t)sm_u(f, 0, 16);
	out->discriminant = (uint16_t)(sm_u(f, 16, 16) ^ 0xffff);
	out->is_group = sm_u(f, 64, 16) == 1;
	if (out->is_group) {
		out->group_id = sm_u(f, 128, 64);
		out->type.which = SM_STRUCT;
		out->type.id = out->group_id;
		return;
	}
	out->offset = (uint32_t)sm_u(f, 32, 32);
	out->had_default = sm_u(f, 128, 1);
	sm_read_type(sm_sub(f, 2), &out->type);
	sm_read_value(sm_sub(f, 3), &out->dflt);
}

static void sm_read_struct(struct capnp_struct n, struct sm_node *out)
{
	struct capnp_list l = sm_structs(n, 3);

	out->data_words = (uint16_t)sm_u(n, 112, 16);
	out->ptr_count = (uint16_t)sm_u(n, 192, 16);
	out->is_group = sm_u(n, 224, 1);
	out->discriminant_count = (uint16_t)sm_u(n, 240, 16);
	out->discriminant_offset = (uint32_t)sm_u(n, 256, 32);
	out->nfields = l.len;
	out->fields = sm_calloc(l.len, sizeof(*out->fields));
	for (uint32_t i = 0; i < l.len; i++)
		sm_read_field(capnp_list_struct(l, i), &out->fields[i]);
}

static void sm_read_enum(struct capnp_struct n, struct sm_node *out)
{
	struct capnp_list l = sm_structs(n, 3);

	out->nenumerants = l.len;
	out->enumerants = sm_calloc(l.len, sizeof(*out->enumerants));
	for (uint32_t i = 0; i < l.len; i++)
		out->enumerants[i] = sm_text(capnp_list_struct(l, i), 0);
}

static void sm_read_interface(struct capnp_struct n, struct sm_node *out)
{
	struct capnp_list l = sm_structs(n, 3);
	struct capnp_list sup = sm_structs(n, 4);

	out->nmethods = l.len;
	out->methods = sm_calloc(l.len, sizeof(*out->methods));
	for (uint32_t i = 0; i < l.len; i++) {
		struct capnp_struct m = capnp_list_struct(l, i);

		out->methods[i].name = sm_text(m, 0);
		out->methods[i].code_order = (uint16_t)sm_u(m, 0, 16);
		out->methods[i].param_id = sm_u(m, 64, 64);
		out->methods[i].result_id = sm_u(m, 128, 64);
	}
	out->nsuperclasses = sup.len;
	out->superclasses = sm_calloc(sup.len, sizeof(uint64_t));
	for (uint32_t i = 0; i < sup.len; i++)
		out->superclasses[i] = sm_u(capnp_list_struct(sup, i), 0, 64);
}

static void sm_read_node(struct capnp_struct n, struct sm_node *out)
{
	struct capnp_list nn = sm_structs(n, 1);

	out->id = sm_u(n, 0, 64);
	out->display_name = sm_text(n, 0);
	out->prefix_len = (uint32_t)sm_u(n, 64, 32);
	out->scope_id = sm_u(n, 128, 64);
	out->which = (enum sm_node_which)sm_u(n, 96, 16);
	out->is_generic = sm_u(n, 288, 1);
	out->nnested = nn.len;
	out->nested = sm_calloc(nn.len, sizeof(*out->nested));
	for (uint32_t i = 0; i < nn.len; i++) {
		struct capnp_struct e = capnp_list_struct(nn, i);

		out->nested[i].name = sm_text(e, 0);
		out->nested[i].id = sm_u(e, 0, 64);
	}
	if (out->which == SM_NODE_STRUCT)
		sm_read_struct(n, out);
	else if (out->which == SM_NODE_ENUM)
		sm_read_enum(n, out);
	else if (out->which == SM_NODE_INTERFACE)
		sm_read_interface(n, out);
	else if (out->which == SM_NODE_CONST) {
		sm_read_type(sm_sub(n, 3), &out->const_type);
		sm_read_value(sm_sub(n, 4), &out->const_value);
	}
}

int sm_load(struct sm_schema *s, void *buf, size_t len, const char **why)
{
	struct capnp_struct req;
	struct capnp_list nodes, files;

	memset(s, 0, sizeof(*s));
	s->buf = buf;
	if (capnp_msg_init_read(&s->msg, buf, len) != 0) {
		*why = "CodeGeneratorRequest is not a framed message";
		return -1;
	}
	/* The request is trusted (it comes from the official compiler) and large. */
	capnp_msg_set_limits(&s->msg, 1ull << 32, SM_MAX_DEPTH);
	req = capnp_msg_root_struct(&s->msg);
	nodes = sm_structs(req, 0);
	files = sm_structs(req, 1);
	s->nnodes = nodes.len;
	s->nodes = sm_calloc(nodes.len, sizeof(*s->nodes));
	for (uint32_t i = 0; i < nodes.len; i++)
		sm_read_node(capnp_list_struct(nodes, i), &s->nodes[i]);
	sm_sort(s);
	s->nfiles = files.len;
	s->files = sm_calloc(files.len, sizeof(*s->files));
	for (uint32_t i = 0; i < files.len; i++) {
		s->files[i].id = sm_u(capnp_list_struct(files, i), 0, 64);
		s->files[i].filename = sm_text(capnp_list_struct(files, i), 0);
	}
	*why = capnp_strerror(s->msg.err);
	return s->msg.err ? -1 : 0;
}

