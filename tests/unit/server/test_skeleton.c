// SPDX-License-Identifier: MIT
/*
 * Host tests of capnpc-c server skeletons (tools/capnpc-c/gen_server.c) on
 * tests/unit/server/skel.capnp: dispatch calls the handler of the ordinal
 * with the decoded params and a started results builder, passes ctx and the
 * handler's return value through, reports CAPNPC_DISPATCH_UNIMPLEMENTED for
 * a NULL handler or an unknown ordinal, names a keyword method with a
 * trailing '_', takes a plain struct as params and results, serves nested
 * interfaces, and dispatches only a derived interface's own methods.
 */
#include <stdio.h>
#include <string.h>

#include "skel.capnp.h"
#include "test.h"

static uint64_t pbuf[64], rbuf[64], out[64];
static struct capnp_msg params, results;
static int ctx_seen;

static int h_add(void *ctx, struct skel_Calc_add_Params p, struct skel_Calc_add_Results_builder r)
{
	*(int *)ctx = 1;
	skel_Calc_add_Results_set_sum(r, skel_Calc_add_Params_get_a(p) +
				      skel_Calc_add_Params_get_b(p));
	return 42;
}

static int h_default(void *ctx, struct skel_Calc_default_Params p,
		     struct skel_Calc_default_Results_builder r)
{
	(void)ctx, (void)p, (void)r;
	return 7;
}

static int h_mirror(void *ctx, struct skel_Point p, struct skel_Point_builder r)
{
	(void)ctx;
	skel_Point_set_x(r, skel_Point_get_y(p));
	skel_Point_set_y(r, skel_Point_get_x(p));
	return 0;
}

static int h_ping(void *ctx, struct skel_Calc_Inner_ping_Params p,
		  struct skel_Calc_Inner_ping_Results_builder r)
{
	(void)ctx;
	skel_Calc_Inner_ping_Results_set_n(r, (uint8_t)(skel_Calc_Inner_ping_Params_get_n(p) + 1));
	return 0;
}

static int h_own(void *ctx, struct skel_Child_own_Params p, struct skel_Child_own_Results_builder r)
{
	(void)ctx, (void)p;
	skel_Child_own_Results_set_v(r, 99);
	return 0;
}

static const struct skel_Calc_server calc = { .add = h_add, .default_ = h_default,
					      .mirror = h_mirror };

/* Re-opens the built params for reading and starts an empty results message. */
static void open_params(void)
{
	size_t len = 0;

	capnp_msg_write(&params, out, sizeof(out), &len);
	capnp_msg_init_read(&params, out, len);
	capnp_msg_init_build(&results, rbuf, sizeof(rbuf));
}

TEST(dispatch_calls_handler_with_params_and_ctx)
{
	struct skel_Calc_add_Params_builder p;

	capnp_msg_init_build(&params, pbuf, sizeof(pbuf));
	p = skel_Calc_add_Params_init_root(&params);
	skel_Calc_add_Params_set_a(p, 40);
	skel_Calc_add_Params_set_b(p, 2);
	open_params();
	ctx_seen = 0;
	CHECK_EQ(skel_Calc_dispatch(&calc, &ctx_seen, skel_Calc_add, &params, &results), 42);
	CHECK_EQ(ctx_seen, 1);
}

TEST(results_built_by_the_handler_read_back)
{
	struct skel_Calc_add_Params_builder p;
	struct capnp_msg rd;
	size_t len = 0;

	capnp_msg_init_build(&params, pbuf, sizeof(pbuf));
	p = skel_Calc_add_Params_init_root(&params);
	skel_Calc_add_Params_set_a(p, 5);
	skel_Calc_add_Params_set_b(p, 6);
	open_params();
	skel_Calc_dispatch(&calc, &ctx_seen, skel_Calc_add, &params, &results);
	capnp_msg_write(&results, out, sizeof(out), &len);
	capnp_msg_init_read(&rd, out, len);
	CHECK_EQ(skel_Calc_add_Results_get_sum(skel_Calc_add_Results_root(&rd)), 11);
}

TEST(keyword_method_gets_trailing_underscore)
{
	capnp_msg_init_build(&params, pbuf, sizeof(pbuf));
	skel_Calc_default_Params_init_root(&params);
	open_params();
	CHECK_EQ(skel_Calc_dispatch(&calc, NULL, skel_Calc_default, &params, &results), 7);
}

TEST(null_handler_and_unknown_ordinal_are_unimplemented)
{
	capnp_msg_init_build(&params, pbuf, sizeof(pbuf));
	skel_Calc_unused_Params_init_root(&params);
	open_params();
	CHECK_EQ(skel_Calc_dispatch(&calc, NULL, skel_Calc_unused, &params, &results),
		 CAPNPC_DISPATCH_UNIMPLEMENTED);
	CHECK_EQ(skel_Calc_dispatch(&calc, NULL, 4, &params, &results),
		 CAPNPC_DISPATCH_UNIMPLEMENTED);
	CHECK_EQ(skel_Calc_dispatch_any(&calc, NULL, 0xffff, &params, &results),
		 CAPNPC_DISPATCH_UNIMPLEMENTED);
}

TEST(struct_params_and_results_are_plain_structs)
{
	struct skel_Point_builder p;
	struct capnp_msg rd;
	size_t len = 0;

	capnp_msg_init_build(&params, pbuf, sizeof(pbuf));
	p = skel_Point_init_root(&params);
	skel_Point_set_x(p, 1);
	skel_Point_set_y(p, 2);
	open_params();
	CHECK_EQ(skel_Calc_dispatch_any(&calc, NULL, skel_Calc_mirror, &params, &results), 0);
	capnp_msg_write(&results, out, sizeof(out), &len);
	capnp_msg_init_read(&rd, out, len);
	CHECK_EQ(skel_Point_get_x(skel_Point_root(&rd)), 2);
	CHECK_EQ(skel_Point_get_y(skel_Point_root(&rd)), 1);
}

TEST(nested_and_derived_interfaces_dispatch_their_own_methods)
{
	static const struct skel_Calc_Inner_server inner = { .ping = h_ping };
	static const struct skel_Child_server child = { .own = h_own };

	capnp_msg_init_build(&params, pbuf, sizeof(pbuf));
	skel_Calc_Inner_ping_Params_set_n(skel_Calc_Inner_ping_Params_init_root(&params), 4);
	open_params();
	CHECK_EQ(skel_Calc_Inner_dispatch(&inner, NULL, skel_Calc_Inner_ping, &params, &results),
		 0);
	capnp_msg_init_build(&params, pbuf, sizeof(pbuf));
	skel_Child_own_Params_init_root(&params);
	open_params();
	CHECK_EQ(skel_Child_dispatch(&child, NULL, skel_Child_own, &params, &results), 0);
	CHECK_EQ(skel_Child_dispatch(&child, NULL, 1, &params, &results),
		 CAPNPC_DISPATCH_UNIMPLEMENTED);
}

/*
 * A transport that answers in-process through the skeleton: frames the
 * params, dispatches them to `calc`, frames the results and opens them for
 * the stub, recording what the stub asked for.
 */
static uint64_t t_iface;
static uint32_t t_cap;
static uint16_t t_method;
static uint64_t t_in[64], t_build[64], t_out[64];

static int loopback_call(void *ctx, uint32_t cap, uint64_t iface, uint16_t method,
			 struct capnp_msg *p, struct capnp_msg *r)
{
	struct capnp_msg in, build;
	size_t len = 0;
	int ret;

	(void)ctx;
	t_cap = cap, t_iface = iface, t_method = method;
	if (capnp_msg_write(p, t_in, sizeof(t_in), &len) || capnp_msg_init_read(&in, t_in, len))
		return -1;
	capnp_msg_init_build(&build, t_build, sizeof(t_build));
	ret = skel_Calc_dispatch(&calc, &ctx_seen, method, &in, &build);
	if (ret < 0 || capnp_msg_write(&build, t_out, sizeof(t_out), &len))
		return -1;
	return capnp_msg_init_read(r, t_out, len) ? -1 : 0;
}

TEST(client_stub_sends_interface_and_ordinal_and_opens_the_answer)
{
	const struct capnpc_transport t = { loopback_call, NULL };
	struct skel_Calc_add_Results r;
	struct capnp_msg answer;

	capnp_msg_init_build(&params, pbuf, sizeof(pbuf));
	struct skel_Calc_add_Params_builder b = skel_Calc_add_Params_init_root(&params);
	skel_Calc_add_Params_set_a(b, 40);
	skel_Calc_add_Params_set_b(b, 2);
	CHECK_EQ(skel_Calc_add_call(&t, 7, &params, &answer, &r), 0);
	CHECK_EQ(t_cap, 7);
	CHECK(t_iface == skel_Calc_TYPE_ID);
	CHECK_EQ(t_method, skel_Calc_add);
	CHECK_EQ(skel_Calc_add_Results_get_sum(r), 42);
	CHECK_EQ(capnp_msg_error(&answer), 0);
}

int main(void)
{
	RUN(dispatch_calls_handler_with_params_and_ctx);
	RUN(results_built_by_the_handler_read_back);
	RUN(keyword_method_gets_trailing_underscore);
	RUN(null_handler_and_unknown_ordinal_are_unimplemented);
	RUN(struct_params_and_results_are_plain_structs);
	RUN(nested_and_derived_interfaces_dispatch_their_own_methods);
	RUN(client_stub_sends_interface_and_ordinal_and_opens_the_answer);
	TEST_EXIT();
}
