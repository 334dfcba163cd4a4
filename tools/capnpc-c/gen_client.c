// SPDX-License-Identifier: MIT
/*
 * Client stubs: per method of an interface, I_m_call(), which sends a params
 * message built with the generated I_m_Params builder to method m of
 * interface I on a capability and opens the answer as an I_m_Results reader.
 * The stubs fix the interface id, the method ordinal and the types; the
 * transport (struct capnpc_transport, defined once per translation unit) is
 * the caller's: capOS's runtime sends over the ring (user/lib/client.c), a
 * host test can answer in-process. Like the rest of the header, the stubs
 * know nothing of rings and compile in the kernel, in user code and on the
 * host.
 */
#include "gen_internal.h"

static void gen_client_transport(struct gen *g)
{
	fprintf(g->out,
		"#ifndef CAPNPC_TRANSPORT_DEFINED\n"
		"#define CAPNPC_TRANSPORT_DEFINED\n"
		"/*\n"
		" * How generated client stubs reach a capability: call() sends the framed\n"
		" * `params` message to method `method` of interface `iface` on capability\n"
		" * `cap` and opens the answer in `results`. It returns 0, or a negative\n"
		" * error of the transport (an exception raised by the target included).\n"
		" */\n"
		"struct capnpc_transport {\n"
		"\tint (*call)(void *ctx, uint32_t cap, uint64_t iface, uint16_t method,\n"
		"\t\t    struct capnp_msg *params, struct capnp_msg *results);\n"
		"\tvoid *ctx;\n"
		"};\n"
		"#endif\n\n");
}

static void gen_client_stub(struct gen *g, const char *t, const struct sm_method *m)
{
	const char *results = gen_name(g, m->result_id);

	fprintf(g->out, "/* %s.%s on cap: params built in `params`; *out reads the answer. */\n",
		t, m->name);
	fprintf(g->out,
		"static inline int %s_%s_call(const struct capnpc_transport *t, uint32_t cap,\n"
		"\tstruct capnp_msg *params, struct capnp_msg *results, struct %s *out)\n{\n"
		"\tint err = t->call(t->ctx, cap, %s_TYPE_ID, %s_%s, params, results);\n\n"
		"\tif (err == 0)\n\t\t*out = %s_root(results);\n"
		"\treturn err;\n}\n\n",
		t, m->name, results, t, t, m->name, results);
}

void gen_client(struct gen *g, const struct sm_node *node)
{
	const char *t = gen_name(g, node->id);

	if (!node->nmethods)
		return;
	gen_client_transport(g);
	for (uint32_t i = 0; i < node->nmethods; i++)
		gen_client_stub(g, t, &node->methods[i]);
}
