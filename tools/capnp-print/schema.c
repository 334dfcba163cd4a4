// SPDX-License-Identifier: MIT
/*
 * The sm_* schema model: lookups and teardown, shared by both loaders
 * (schema_load.c with raw runtime accessors, the bootstrap; and capnpc-c's
 * schema_load_gen.c with the accessors capnpc-c generates for schema.capnp).
 */
#include "schema.h"

#include <stdlib.h>
#include <string.h>

void *sm_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

static int sm_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct sm_node *)a)->id, y = ((const struct sm_node *)b)->id;

	return x < y ? -1 : x > y;
}

void sm_sort(struct sm_schema *s)
{
	qsort(s->nodes, s->nnodes, sizeof(*s->nodes), sm_cmp);
}

static void sm_free_type(struct sm_type *t)
{
	if (t->elem) {
		sm_free_type(t->elem);
		free(t->elem);
	}
	for (uint32_t i = 0; t->brand && i < t->brand->nscopes; i++) {
		for (uint32_t j = 0; j < t->brand->scopes[i].nbind; j++)
			sm_free_type(&t->brand->scopes[i].bind[j]);
		free(t->brand->scopes[i].bind);
	}
	if (t->brand)
		free(t->brand->scopes);
	free(t->brand);
}

void sm_free(struct sm_schema *s)
{
	for (uint32_t i = 0; i < s->nnodes; i++) {
		struct sm_node *n = &s->nodes[i];

		for (uint32_t j = 0; j < n->nfields; j++)
			sm_free_type(&n->fields[j].type);
		sm_free_type(&n->const_type);
		free(n->nested);
		free(n->fields);
		free(n->enumerants);
		free(n->methods);
		free(n->superclasses);
	}
	free(s->nodes);
	free(s->files);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

const struct sm_node *sm_find(const struct sm_schema *s, uint64_t id)
{
	struct sm_node key = { .id = id };

	return bsearch(&key, s->nodes, s->nnodes, sizeof(*s->nodes), sm_cmp);
}

const struct sm_node *sm_lookup(const struct sm_schema *s, uint64_t scope, const char *dotted)
{
	const struct sm_node *n = sm_find(s, scope);
	const char *dot;
	size_t len;

	while (n && *dotted) {
		const struct sm_node *next = NULL;

		dot = strchr(dotted, '.');
		len = dot ? (size_t)(dot - dotted) : strlen(dotted);
		for (uint32_t i = 0; i < n->nnested && !next; i++) {
			const char *name = n->nested[i].name;

			if (strlen(name) == len && !memcmp(name, dotted, len))
				next = sm_find(s, n->nested[i].id);
		}
		n = next;
		dotted += len + (dot != NULL);
	}
	return n;
}

unsigned sm_type_bits(enum sm_which w)
{
	static const uint8_t bits[] = { 0, 1, 8, 16, 32, 64, 8, 16, 32, 64, 32, 64 };

	if (w <= SM_FLOAT64)
		return bits[w];
	return w == SM_ENUM ? 16 : 0;
}

bool sm_type_is_pointer(enum sm_which w)
{
	return w >= SM_TEXT && w != SM_ENUM;
}
