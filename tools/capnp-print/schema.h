/* SPDX-License-Identifier: MIT */
/*
 * In-memory model of a CodeGeneratorRequest (capnp/schema.capnp), shared by
 * capnp-print and capnpc-c. The request is read once through the capOS
 * runtime (lib/capnp); names point into the request buffer, which the model
 * keeps. Types carry their generic brands, which capnp-print resolves when
 * it meets a generic parameter.
 */
#ifndef CAPOS_TOOLS_CAPNP_PRINT_SCHEMA_H
#define CAPOS_TOOLS_CAPNP_PRINT_SCHEMA_H

#include "capnp/capnp.h"

enum sm_which {		/* schema.capnp Type and Value union tags */
	SM_VOID, SM_BOOL, SM_INT8, SM_INT16, SM_INT32, SM_INT64, SM_UINT8, SM_UINT16,
	SM_UINT32, SM_UINT64, SM_FLOAT32, SM_FLOAT64, SM_TEXT, SM_DATA, SM_LIST, SM_ENUM,
	SM_STRUCT, SM_INTERFACE, SM_ANY_POINTER,
};

enum sm_node_which {	/* schema.capnp Node union tags */
	SM_NODE_FILE, SM_NODE_STRUCT, SM_NODE_ENUM, SM_NODE_INTERFACE, SM_NODE_CONST,
	SM_NODE_ANNOTATION,
};

enum { SM_NO_DISCRIMINANT = 0xffff, SM_MAX_DEPTH = 1000 };

struct sm_brand;

struct sm_type {
	enum sm_which which;
	uint64_t id;			/* enum, struct, interface */
	struct sm_type *elem;		/* list */
	struct sm_brand *brand;		/* struct, interface: generic bindings, or NULL */
	bool is_param;			/* anyPointer: a generic parameter... */
	uint64_t param_scope;		/* ...of this node... */
	uint16_t param_index;		/* ...at this index */
	bool unbound;			/* a brand binding left unbound (reads as AnyPointer) */
};

/* Bindings of the generic parameters of one scope (a generic node) in a brand. */
struct sm_scope {
	uint64_t scope_id;
	bool inherit;			/* take the bindings from the enclosing context */
	struct sm_type *bind;		/* nbind bindings */
	uint32_t nbind;
};

struct sm_brand {
	struct sm_scope *scopes;
	uint32_t nscopes;
};

struct sm_value {
	enum sm_which which;
	uint64_t bits;			/* primitives, as stored (little-endian bits) */
	struct capnp_ptr ptr;		/* text, data, list, struct, anyPointer */
};

struct sm_field {
	const char *name;
	uint16_t code_order;
	uint16_t discriminant;		/* SM_NO_DISCRIMINANT outside unions */
	bool is_group;
	uint64_t group_id;
	uint32_t offset;		/* in units of the type's size */
	struct sm_type type;
	struct sm_value dflt;
	bool had_default;
};

struct sm_method {
	const char *name;
	uint16_t code_order;
	uint64_t param_id;
	uint64_t result_id;
};

struct sm_nested {
	const char *name;
	uint64_t id;
};

struct sm_node {
	uint64_t id;
	const char *display_name;
	uint32_t prefix_len;		/* display_name + prefix_len is the local name */
	uint64_t scope_id;
	enum sm_node_which which;
	bool is_generic;
	struct sm_nested *nested;
	uint32_t nnested;
	/* struct */
	uint16_t data_words;
	uint16_t ptr_count;
	bool is_group;
	uint16_t discriminant_count;
	uint32_t discriminant_offset;	/* in 16-bit units */
	struct sm_field *fields;	/* in index order */
	uint32_t nfields;
	/* enum */
	const char **enumerants;	/* in ordinal order */
	uint32_t nenumerants;
	/* interface */
	struct sm_method *methods;
	uint32_t nmethods;
	uint64_t *superclasses;
	uint32_t nsuperclasses;
	/* const */
	struct sm_type const_type;
	struct sm_value const_value;
};

struct sm_file {
	uint64_t id;
	const char *filename;
};

struct sm_schema {
	void *buf;			/* the request, word aligned; owned */
	struct capnp_msg msg;
	struct sm_node *nodes;		/* sorted by id */
	uint32_t nnodes;
	struct sm_file *files;		/* requested files */
	uint32_t nfiles;
};

/*
 * Loads a framed CodeGeneratorRequest from `buf` (taken over). 0 or -1 with
 * *why set. Two implementations: schema_load.c (raw accessors, stage 0) and
 * tools/capnpc-c/schema_load_gen.c (generated accessors, stage 1).
 */
int sm_load(struct sm_schema *s, void *buf, size_t len, const char **why);
void sm_free(struct sm_schema *s);
/* For loaders: zeroed memory (aborts on failure), and sorting nodes by id once read. */
void *sm_calloc(size_t n, size_t size);
void sm_sort(struct sm_schema *s);
const struct sm_node *sm_find(const struct sm_schema *s, uint64_t id);
/* Finds a nested node by dotted name ("Outer.Inner") under a file or node. */
const struct sm_node *sm_lookup(const struct sm_schema *s, uint64_t scope, const char *dotted);
/* Bits of a primitive type (Void 0, Bool 1, ...); 0 for pointers. */
unsigned sm_type_bits(enum sm_which w);
bool sm_type_is_pointer(enum sm_which w);

#endif
