// SPDX-License-Identifier: MIT
/*
 * Assigns C names to every node of a request (see names.h for the scheme):
 * a walk down each file's nested nodes and groups, then the interfaces'
 * parameter and result structs. Recursion follows the schema's own nesting,
 * which the compiler produced; it is not message data.
 */
#include "names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *names_join(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 3;
	char *r = malloc(n);

	if (!r)
		abort();
	snprintf(r, n, "%s_%s%s%s", a, b, *c ? "_" : "", c);
	return r;
}

char *names_prefix(const char *filename)
{
	const char *base = strrchr(filename, '/') ? strrchr(filename, '/') + 1 : filename;
	size_t len = strlen(base);
	char *r;

	if (len > 6 && !strcmp(base + len - 6, ".capnp"))
		len -= 6;
	r = malloc(len + 1);
	if (!r)
		abort();
	for (size_t i = 0; i < len; i++)
		r[i] = isalnum((unsigned char)base[i]) || base[i] == '_' ? base[i] : '_';
	r[len] = '\0';
	return r;
}

static size_t names_index(const struct names *n, const struct sm_node *node)
{
	return (size_t)(node - n->s->nodes);
}

static void names_assign(struct names *n, const struct sm_node *node, char *name, uint64_t file);

/* Names the nested nodes and the groups of `node`, whose C name is `name`. */
static void names_children(struct names *n, const struct sm_node *node, const char *name,
			   uint64_t file)
{
	for (uint32_t i = 0; i < node->nnested; i++) {
		const struct sm_node *c = sm_find(n->s, node->nested[i].id);

		if (c)
			names_assign(n, c, names_join(name, node->nested[i].name, ""), file);
	}
	for (uint32_t i = 0; i < node->nfields; i++) {
		const struct sm_node *g;

		if (!node->fields[i].is_group)
			continue;
		g = sm_find(n->s, node->fields[i].group_id);
		if (g)
			names_assign(n, g, names_join(name, node->fields[i].name, ""), file);
	}
}

static void names_assign(struct names *n, const struct sm_node *node, char *name, uint64_t file)
{
	size_t i = names_index(n, node);

	if (n->name[i]) {
		free(name);
		return;
	}
	n->name[i] = name;
	n->file[i] = file;
	names_children(n, node, name, file);
}

static void names_methods(struct names *n, const struct sm_node *iface)
{
	const char *in = n->name[names_index(n, iface)];
	uint64_t file = n->file[names_index(n, iface)];

	for (uint32_t i = 0; i < iface->nmethods; i++) {
		const struct sm_method *m = &iface->methods[i];
		const struct sm_node *p = sm_find(n->s, m->param_id);
		const struct sm_node *r = sm_find(n->s, m->result_id);

		if (p)
			names_assign(n, p, names_join(in, m->name, "Params"), file);
		if (r)
			names_assign(n, r, names_join(in, m->name, "Results"), file);
	}
}

void names_build(struct names *n, const struct sm_schema *s)
{
	n->s = s;
	n->name = calloc(s->nnodes + 1, sizeof(*n->name));
	n->file = calloc(s->nnodes + 1, sizeof(*n->file));
	if (!n->name || !n->file)
		abort();
	for (uint32_t i = 0; i < s->nnodes; i++) {
		const struct sm_node *f = &s->nodes[i];

		if (f->which == SM_NODE_FILE) {
			n->name[i] = names_prefix(f->display_name);
			n->file[i] = f->id;
			names_children(n, f, n->name[i], f->id);
		}
	}
	for (uint32_t i = 0; i < s->nnodes; i++)
		if (s->nodes[i].which == SM_NODE_INTERFACE && n->name[i])
			names_methods(n, &s->nodes[i]);
}

void names_free(struct names *n)
{
	for (uint32_t i = 0; i < n->s->nnodes; i++)
		free(n->name[i]);
	free(n->name);
	free(n->file);
}

const char *names_of(const struct names *n, uint64_t id)
{
	const struct sm_node *node = sm_find(n->s, id);

	return node ? n->name[names_index(n, node)] : NULL;
}

uint64_t names_file_of(const struct names *n, uint64_t id)
{
	const struct sm_node *node = sm_find(n->s, id);

	return node ? n->file[names_index(n, node)] : 0;
}
