// SPDX-License-Identifier: MIT
/*
 * Server skeletons: per interface with methods, a table of typed handlers
 * (struct I_server, one function pointer per method, named like the method)
 * and I_dispatch(), which switches on the method ordinal, opens the params
 * message as the method's Params reader, starts the Results builder in the
 * results message and calls the handler. A missing handler or an unknown
 * ordinal returns CAPNPC_DISPATCH_UNIMPLEMENTED; everything else is the
 * handler's own return value, so the server loop decides what an error means
 * (capOS: user/lib/server.c). I_dispatch_any() is the same with an untyped
 * impl, so one loop can serve any interface through a plain function pointer.
 *
 * The code only reads and builds messages: it knows nothing of rings or
 * capabilities and compiles in the kernel, in user code and on the host.
 * Methods inherited from superclasses are not dispatched (their ordinals
 * belong to another interface id).
 */
#include "gen_internal.h"

#include <string.h>

/* C keywords a method name may collide with; such members get a trailing '_'. */
static const char *const gen_server_keywords[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do", "double",
	"else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
	"register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
	"switch", "typedef", "union", "unsigned", "void", "volatile", "while", "asm",
	"typeof", "bool", "true", "false",
};

/* The parameters after impl and ctx, and the opening brace. */
static const char gen_server_args[] =
	"\tuint16_t method, struct capnp_msg *params, struct capnp_msg *results)\n{\n";

static const char *gen_server_suffix(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(gen_server_keywords) / sizeof(gen_server_keywords[0]); i++)
		if (!strcmp(name, gen_server_keywords[i]))
			return "_";
	return "";
}

static void gen_server_guard(struct gen *g)
{
	fprintf(g->out, "#ifndef CAPNPC_DISPATCH_UNIMPLEMENTED\n"
			"/* What a generated _dispatch returns for an ordinal without handler. */\n"
			"#define CAPNPC_DISPATCH_UNIMPLEMENTED (-0x4000)\n"
			"#endif\n\n");
}

static void gen_server_struct(struct gen *g, const struct sm_node *node, const char *t)
{
	fprintf(g->out, "/* Handlers of %s; NULL members are unimplemented. */\n", t);
	fprintf(g->out, "struct %s_server {\n", t);
	for (uint32_t i = 0; i < node->nmethods; i++) {
		const struct sm_method *m = &node->methods[i];

		fprintf(g->out, "\tint (*%s%s)(void *ctx, struct %s params,\n",
			m->name, gen_server_suffix(m->name), gen_name(g, m->param_id));
		fprintf(g->out, "\t\tstruct %s_builder results);\n", gen_name(g, m->result_id));
	}
	fprintf(g->out, "};\n\n");
}

static void gen_server_case(struct gen *g, const struct sm_method *m, const char *t)
{
	const char *member = m->name, *sfx = gen_server_suffix(m->name);

	fprintf(g->out, "\tcase %s_%s:\n", t, m->name);
	fprintf(g->out, "\t\tif (!impl->%s%s)\n\t\t\tbreak;\n", member, sfx);
	fprintf(g->out, "\t\treturn impl->%s%s(ctx, %s_root(params),\n", member, sfx,
		gen_name(g, m->param_id));
	fprintf(g->out, "\t\t\t%s_init_root(results));\n", gen_name(g, m->result_id));
}

static void gen_server_dispatch(struct gen *g, const struct sm_node *node, const char *t)
{
	fprintf(g->out, "/*\n"
			" * Calls impl's handler for method ordinal `method` with params read\n"
			" * from `params` and results started in `results`; returns the\n"
			" * handler's value, or CAPNPC_DISPATCH_UNIMPLEMENTED.\n"
			" */\n");
	fprintf(g->out, "static inline int %s_dispatch(const struct %s_server *impl, void *ctx,\n"
			"%s\tswitch (method) {\n", t, t, gen_server_args);
	for (uint32_t i = 0; i < node->nmethods; i++)
		gen_server_case(g, &node->methods[i], t);
	fprintf(g->out, "\tdefault:\n\t\tbreak;\n\t}\n"
			"\treturn CAPNPC_DISPATCH_UNIMPLEMENTED;\n}\n\n");
	fprintf(g->out, "/* %s_dispatch with impl a const struct %s_server *. */\n", t, t);
	fprintf(g->out, "static inline int %s_dispatch_any(const void *impl, void *ctx,\n%s"
			"\treturn %s_dispatch((const struct %s_server *)impl, ctx, method,\n"
			"\t\tparams, results);\n}\n\n", t, gen_server_args, t, t);
}

void gen_server(struct gen *g, const struct sm_node *node)
{
	const char *t = gen_name(g, node->id);

	if (!node->nmethods)
		return;
	gen_server_guard(g);
	gen_server_struct(g, node, t);
	gen_server_dispatch(g, node, t);
}
