// SPDX-License-Identifier: MIT
/*
 * Stage 1 loader: builds the same sm_* model as tools/capnp-print/schema_load.c
 * (stage 0, raw accessors), but reads the CodeGeneratorRequest through the
 * accessors that stage 0 generated for capnp/schema.capnp (schema.capnp.h in
 * the build folder). capnpc-c is built from this loader, so the generator
 * reads its own input with code it generated; tests/capnp/bootstrap.sh checks
 * that stage 0 and stage 1 generate identical headers.
 */
#include "schema.h"
#include "schema.capnp.h"

#include <stdlib.h>
#include <string.h>

static void sm_gen_type(struct schema_Type t, struct sm_type *out);

static struct sm_brand *sm_gen_brand(struct schema_Brand b)
{
	struct schema_Brand_Scope__list scopes = schema_Brand_get_scopes(b);
	uint32_t n = schema_Brand_Scope__list_len(scopes);
	struct sm_brand *br;

	if (!n)
		return NULL;
	br = sm_calloc(1, sizeof(*br));
	br->nscopes = n;
	br->scopes = sm_calloc(n, sizeof(*br->scopes));
	for (uint32_t i = 0; i < n; i++) {
		struct schema_Brand_Scope sc = schema_Brand_Scope__list_get(scopes, i);
		struct schema_Brand_Binding__list binds = schema_Brand_Scope_get_bind(sc);
		struct sm_scope *o = &br->scopes[i];

		o->scope_id = schema_Brand_Scope_get_scopeId(sc);
		o->inherit = schema_Brand_Scope_which(sc) == schema_Brand_Scope_which_inherit;
		if (o->inherit)
			continue;
		o->nbind = schema_Brand_Binding__list_len(binds);
		o->bind = sm_calloc(o->nbind, sizeof(*o->bind));
		for (uint32_t j = 0; j < o->nbind; j++) {
			struct schema_Brand_Binding bd = schema_Brand_Binding__list_get(binds, j);

			if (schema_Brand_Binding_which(bd) == schema_Brand_Binding_which_type)
				sm_gen_type(schema_Brand_Binding_get_type(bd), &o->bind[j]);
			else
				o->bind[j].unbound = true;
		}
	}
	return br;
}

static void sm_gen_type(struct schema_Type t, struct sm_type *out)
{
	struct schema_Type_anyPointer ap;

	out->which = (enum sm_which)schema_Type_which(t);
	switch (out->which) {
	case SM_LIST:
		out->elem = sm_calloc(1, sizeof(*out->elem));
		sm_gen_type(schema_Type_list_get_elementType(schema_Type_get_list(t)), out->elem);
		break;
	case SM_ENUM:
		out->id = schema_Type_enum_get_typeId(schema_Type_get_enum(t));
		break;
	case SM_STRUCT:
		out->id = schema_Type_struct_get_typeId(schema_Type_get_struct(t));
		out->brand = sm_gen_brand(schema_Type_struct_get_brand(schema_Type_get_struct(t)));
		break;
	case SM_INTERFACE:
		out->id = schema_Type_interface_get_typeId(schema_Type_get_interface(t));
		out->brand = sm_gen_brand(
			schema_Type_interface_get_brand(schema_Type_get_interface(t)));
		break;
	case SM_ANY_POINTER:
		ap = schema_Type_get_anyPointer(t);
		if (schema_Type_anyPointer_which(ap) != schema_Type_anyPointer_which_parameter)
			break;
		out->is_param = true;
		out->param_scope = schema_Type_anyPointer_parameter_get_scopeId(
			schema_Type_anyPointer_get_parameter(ap));
		out->param_index = schema_Type_anyPointer_parameter_get_parameterIndex(
			schema_Type_anyPointer_get_parameter(ap));
		break;
	default:
		break;
	}
}

static void sm_gen_value(struct schema_Value v, struct sm_value *out)
{
	out->which = (enum sm_which)schema_Value_which(v);
	switch (out->which) {
	case SM_BOOL:
		out->bits = schema_Value_get_bool(v);
		break;
	case SM_INT8:
		out->bits = (uint8_t)schema_Value_get_int8(v);
		break;
	case SM_INT16:
		out->bits = (uint16_t)schema_Value_get_int16(v);
		break;
	case SM_INT32:
		out->bits = (uint32_t)schema_Value_get_int32(v);
		break;
	case SM_INT64:
		out->bits = (uint64_t)schema_Value_get_int64(v);
		break;
	case SM_UINT8:
		out->bits = schema_Value_get_uint8(v);
		break;
	case SM_UINT16:
		out->bits = schema_Value_get_uint16(v);
		break;
	case SM_UINT32:
		out->bits = schema_Value_get_uint32(v);
		break;
	case SM_UINT64:
		out->bits = schema_Value_get_uint64(v);
		break;
	case SM_FLOAT32:
		out->bits = capnp_f32_bits(schema_Value_get_float32(v));
		break;
	case SM_FLOAT64:
		out->bits = capnp_f64_bits(schema_Value_get_float64(v));
		break;
	case SM_ENUM:
		out->bits = schema_Value_get_enum(v);
		break;
	case SM_VOID:
	case SM_INTERFACE:
		break;
	default:	/* every pointer kind lives in the one pointer slot */
		out->ptr = schema_Value_get_anyPointer(v);
		break;
	}
}

static void sm_gen_field(struct schema_Field f, struct sm_field *out)
{
	struct schema_Field_slot slot = schema_Field_get_slot(f);

	out->name = schema_Field_get_name(f).str;
	out->code_order = schema_Field_get_codeOrder(f);
	out->discriminant = schema_Field_get_discriminantValue(f);
	out->is_group = schema_Field_which(f) == schema_Field_which_group;
	if (out->is_group) {
		out->group_id = schema_Field_group_get_typeId(schema_Field_get_group(f));
		out->type.which = SM_STRUCT;
		out->type.id = out->group_id;
		return;
	}
	out->offset = schema_Field_slot_get_offset(slot);
	out->had_default = schema_Field_slot_get_hadExplicitDefault(slot);
	sm_gen_type(schema_Field_slot_get_type(slot), &out->type);
	sm_gen_value(schema_Field_slot_get_defaultValue(slot), &out->dflt);
}

static void sm_gen_struct(struct schema_Node_struct n, struct sm_node *out)
{
	struct schema_Field__list l = schema_Node_struct_get_fields(n);

	out->data_words = schema_Node_struct_get_dataWordCount(n);
	out->ptr_count = schema_Node_struct_get_pointerCount(n);
	out->is_group = schema_Node_struct_get_isGroup(n);
	out->discriminant_count = schema_Node_struct_get_discriminantCount(n);
	out->discriminant_offset = schema_Node_struct_get_discriminantOffset(n);
	out->nfields = schema_Field__list_len(l);
	out->fields = sm_calloc(out->nfields, sizeof(*out->fields));
	for (uint32_t i = 0; i < out->nfields; i++)
		sm_gen_field(schema_Field__list_get(l, i), &out->fields[i]);
}

static void sm_gen_enum(struct schema_Node_enum n, struct sm_node *out)
{
	struct schema_Enumerant__list l = schema_Node_enum_get_enumerants(n);

	out->nenumerants = schema_Enumerant__list_len(l);
	out->enumerants = sm_calloc(out->nenumerants, sizeof(*out->enumerants));
	for (uint32_t i = 0; i < out->nenumerants; i++) {
		struct schema_Enumerant e = schema_Enumerant__list_get(l, i);

		out->enumerants[i] = schema_Enumerant_get_name(e).str;
	}
}

static void sm_gen_interface(struct schema_Node_interface n, struct sm_node *out)
{
	struct schema_Method__list l = schema_Node_interface_get_methods(n);
	struct schema_Superclass__list sup = schema_Node_interface_get_superclasses(n);

	out->nmethods = schema_Method__list_len(l);
	out->methods = sm_calloc(out->nmethods, sizeof(*out->methods));
	for (uint32_t i = 0; i < out->nmethods; i++) {
		struct schema_Method m = schema_Method__list_get(l, i);

		out->methods[i].name = schema_Method_get_name(m).str;
		out->methods[i].code_order = schema_Method_get_codeOrder(m);
		out->methods[i].param_id = schema_Method_get_paramStructType(m);
		out->methods[i].result_id = schema_Method_get_resultStructType(m);
	}
	out->nsuperclasses = schema_Superclass__list_len(sup);
	out->superclasses = sm_calloc(out->nsuperclasses, sizeof(uint64_t));
	for (uint32_t i = 0; i < out->nsuperclasses; i++) {
		struct schema_Superclass sc = schema_Superclass__list_get(sup, i);

		out->superclasses[i] = schema_Superclass_get_id(sc);
	}
}

static void sm_gen_node(struct schema_Node n, struct sm_node *out)
{
	struct schema_Node_NestedNode__list nn = schema_Node_get_nestedNodes(n);

	out->id = schema_Node_get_id(n);
	out->display_name = schema_Node_get_displayName(n).str;
	out->prefix_len = schema_Node_get_displayNamePrefixLength(n);
	out->scope_id = schema_Node_get_scopeId(n);
	out->which = (enum sm_node_which)schema_Node_which(n);
	out->is_generic = schema_Node_get_isGeneric(n);
	out->nnested = schema_Node_NestedNode__list_len(nn);
	out->nested = sm_calloc(out->nnested, sizeof(*out->nested));
	for (uint32_t i = 0; i < out->nnested; i++) {
		struct schema_Node_NestedNode e = schema_Node_NestedNode__list_get(nn, i);

		out->nested[i].name = schema_Node_NestedNode_get_name(e).str;
		out->nested[i].id = schema_Node_NestedNode_get_id(e);
	}
	if (out->which == SM_NODE_STRUCT) {
		sm_gen_struct(schema_Node_get_struct(n), out);
	} else if (out->which == SM_NODE_ENUM) {
		sm_gen_enum(schema_Node_get_enum(n), out);
	} else if (out->which == SM_NODE_INTERFACE) {
		sm_gen_interface(schema_Node_get_interface(n), out);
	} else if (out->which == SM_NODE_CONST) {
		sm_gen_type(schema_Node_const_get_type(schema_Node_get_const(n)), &out->const_type);
		sm_gen_value(schema_Node_const_get_value(schema_Node_get_const(n)),
			     &out->const_value);
	}
}

int sm_load(struct sm_schema *s, void *buf, size_t len, const char **why)
{
	struct schema_CodeGeneratorRequest req;
	struct schema_Node__list nodes;
	struct schema_CodeGeneratorRequest_RequestedFile__list files;

	memset(s, 0, sizeof(*s));
	s->buf = buf;
	if (capnp_msg_init_read(&s->msg, buf, len) != 0) {
		*why = "CodeGeneratorRequest is not a framed message";
		return -1;
	}
	capnp_msg_set_limits(&s->msg, 1ull << 32, SM_MAX_DEPTH);
	req = schema_CodeGeneratorRequest_root(&s->msg);
	nodes = schema_CodeGeneratorRequest_get_nodes(req);
	files = schema_CodeGeneratorRequest_get_requestedFiles(req);
	s->nnodes = schema_Node__list_len(nodes);
	s->nodes = sm_calloc(s->nnodes, sizeof(*s->nodes));
	for (uint32_t i = 0; i < s->nnodes; i++)
		sm_gen_node(schema_Node__list_get(nodes, i), &s->nodes[i]);
	sm_sort(s);
	s->nfiles = schema_CodeGeneratorRequest_RequestedFile__list_len(files);
	s->files = sm_calloc(s->nfiles, sizeof(*s->files));
	for (uint32_t i = 0; i < s->nfiles; i++) {
		struct schema_CodeGeneratorRequest_RequestedFile f =
			schema_CodeGeneratorRequest_RequestedFile__list_get(files, i);

		s->files[i].id = schema_CodeGeneratorRequest_RequestedFile_get_id(f);
		s->files[i].filename =
			schema_CodeGeneratorRequest_RequestedFile_get_filename(f).str;
	}
	*why = capnp_strerror(s->msg.err);
	return s->msg.err ? -1 : 0;
}
