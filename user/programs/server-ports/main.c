// SPDX-License-Identifier: MIT
/*
 * server-ports: the server loop's ports and other-completions function
 * (user/lib/server.h), in one process that is both a client and the
 * server: it creates two Echo endpoints, serves the first as port 0 and the
 * second as an added port, each with its own handler table and context,
 * and calls them through their client facets. The answers of its own
 * calls come back while the loop waits, so they reach the other function.
 * Then a port is removed and its endpoint released (its client learns
 * disconnected, the port is reused), and ports run out at 159 added.
 * Last, orphans: a port whose every client capability is gone is reported
 * to the orphan function (server_set_orphan) with its context, and a RECV
 * on an endpoint without clients answers NO_CLIENTS at once.
 */
#include <capos/interfaces.h>

#include "check.h"
#include "client.h"
#include "echo.capnp.h"
#include "ipc_call.h"
#include "rt.h"
#include "server.h"

static struct server srv;
static struct ipc_call call;
static int seen_port = -1;
static void *seen_ctx;
static int others;			/* completions handed to on_other */
static uint64_t other_user_data;
static char tag_b[] = "B";
static char tag_o[] = "O";
static int orphan_port = -1;
static void *orphan_ctx;
static int orphans;

static void on_orphan(void *arg, int port, void *port_ctx)
{
	(void)arg;
	orphans++;
	orphan_port = port;
	orphan_ctx = port_ctx;
}

/* Answers data prefixed by the port's letter: "A" (port 0) or its ctx. */
static int do_echo(void *ctx, struct echo_Echo_echo_Params p, struct echo_Echo_echo_Results_builder r)
{
	struct server_call *c = ctx;
	struct capnp_data d = echo_Echo_echo_Params_get_data(p);
	char out[64];
	const char *tag = c->port_ctx ? c->port_ctx : "A";

	seen_port = c->port;
	seen_ctx = c->port_ctx;
	if (d.len > sizeof(out) - 1)
		return server_raise(ctx, capos_CapException_Type_invalidArgument, "too long");
	out[0] = tag[0];
	memcpy(out + 1, d.ptr, d.len);
	echo_Echo_echo_Results_set_data(r, out, d.len + 1);
	return 0;
}

/* Our own CALL's completion: counted and kept for ipc_call_wait to read. */
static struct capos_cqe kept;
static bool have_kept;

static void on_other(void *arg, const struct capos_cqe *cqe)
{
	(void)arg;
	others++;
	other_user_data = cqe->user_data;
	kept = *cqe;
	have_kept = true;
}

/* Calls echo("x") on facet and serves it; returns the answer's first byte or -1. */
static int call_and_serve(capos_cap_t facet)
{
	struct capnp_data d;

	ipc_call_begin(&call);
	echo_Echo_echo_Params_set_data(echo_Echo_echo_Params_init_root(&call.msg), "x", 1);
	if (ipc_call_submit(&rt.ring, &call, facet, echo_Echo_echo))
		return -1;
	if (server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE) != 0)
		return -1;
	/* The answer goes with the next wait; a short one lets it complete. */
	(void)server_serve_one(&srv, 1000 * 1000);
	if (have_kept)		/* back where ipc_call_wait looks, outside the loop */
		(void)uring_stash_put(&rt.ring, &kept);
	have_kept = false;
	if (ipc_call_wait(&rt.ring, &call, 1000 * 1000 * 1000) < 0)
		return -1;
	d = echo_Echo_echo_Results_get_data(echo_Echo_echo_Results_read(capnp_msg_root(&call.msg)));
	return d.len == 2 ? d.ptr[0] : -1;
}

/*
 * A call whose params are over SERVER_MSG_MAX (40,000 bytes) is received
 * and answered invalidArgument, and the port serves the next call: it must
 * not stop the port (a RECV too small for it would, for good). One whose
 * params no RECV could hold is refused by the kernel (TOO_LARGE).
 */
static void check_oversized(capos_cap_t facet)
{
	static uint64_t arena[5200], framed[5200], result[64];
	static uint8_t data[40000];
	struct capos_sqe sqe = { .opcode = CAPOS_OP_CALL, .cap_id = facet,
				 .method_id = echo_Echo_echo };
	struct capnp_msg m;
	struct capos_cqe cqe = { .result = 1 };
	uint64_t ud;
	size_t len = 0;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	echo_Echo_echo_Params_set_data(echo_Echo_echo_Params_init_root(&m), data, sizeof(data));
	if (!check_err(capnp_msg_write(&m, framed, sizeof(framed), &len), 0, "oversized_built"))
		return;
	check(len > SERVER_MSG_MAX, "oversized_params_over_server_msg_max", (long long)len);
	sqe.params_addr = (uint64_t)(uintptr_t)framed;
	sqe.params_len = (uint32_t)len;
	sqe.result_addr = (uint64_t)(uintptr_t)result;
	sqe.result_len = sizeof(result);
	if (!check_err(uring_queue(&rt.ring, &sqe, &ud), 0, "oversized_call_queued"))
		return;
	check_err(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0, "oversized_call_served");
	(void)server_serve_one(&srv, 1000 * 1000);	/* sends the answer */
	if (have_kept)		/* back where uring_wait looks, outside the loop */
		(void)uring_stash_put(&rt.ring, &kept);
	have_kept = false;
	check_err(uring_wait(&rt.ring, ud, &cqe), 0, "oversized_call_answered");
	check(cqe.result == CAPOS_ERR_APPLICATION_EXCEPTION, "oversized_call_raises",
	      cqe.result);
	check(call_and_serve(facet) == 'A', "port_serves_after_an_oversized_call", seen_port);
	/* Params no RECV could hold with its header: the kernel refuses the CALL itself. */
	static uint8_t huge[65536];
	sqe.params_addr = (uint64_t)(uintptr_t)huge;
	sqe.params_len = 65536 - 64;
	check_err(uring_run(&rt.ring, &sqe, &cqe), CAPOS_ERR_TOO_LARGE,
		  "undeliverable_call_refused_too_large");
	check(call_and_serve(facet) == 'A', "port_serves_after_an_undeliverable_call", seen_port);
}

/* A RECV on an endpoint whose client facet is released answers NO_CLIENTS. */
static void check_orphans(capos_cap_t f, const struct echo_Echo_server *impl)
{
	struct capos_sqe sqe = { .opcode = CAPOS_OP_RECV, .user_data = 0x0f0f };
	struct capos_cqe cqe;
	static uint64_t buf[512];
	capos_cap_t own, client;
	int port;

	/* The loop is full of ports: free one for this. */
	check_err(server_remove_port(&srv, 1), 0, "port_freed_for_orphan");
	check_err(server_serve_one(&srv, 1000 * 1000), CAPOS_ERR_TIMED_OUT, "freed_port_recv_ended");
	if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &own, &client), 0, "orphan_ep_created"))
		return;
	server_set_orphan(&srv, on_orphan, NULL);
	port = server_add_port(&srv, own, echo_Echo_TYPE_ID, echo_Echo_dispatch_any, impl, tag_o);
	check(port == 1, "orphan_port_added", port);
	check_err(server_serve_one(&srv, 1000 * 1000), CAPOS_ERR_TIMED_OUT, "orphan_recv_posted");
	check(orphans == 0, "no_orphan_while_a_client_lives", orphans);
	check_err(cap_release(client), 0, "last_client_released");
	check_err(server_serve_one(&srv, 1000 * 1000), CAPOS_ERR_TIMED_OUT, "loop_goes_on");
	check(orphans == 1 && orphan_port == port && orphan_ctx == tag_o,
	      "orphan_function_called_with_port_and_ctx", orphans);
	check_err(server_serve_one(&srv, 1000 * 1000), CAPOS_ERR_TIMED_OUT, "no_recv_reposted");
	check(orphans == 1, "orphan_reported_once", orphans);
	/* The kernel's side alone: a later RECV answers at once. */
	sqe.cap_id = own;
	sqe.result_addr = (uint64_t)(uintptr_t)buf;
	sqe.result_len = sizeof(buf);
	check_err(uring_run(&rt.ring, &sqe, &cqe), CAPOS_ERR_NO_CLIENTS,
		  "recv_after_orphan_answers_no_clients");
	check_err(server_remove_port(&srv, port), 0, "orphan_port_removed");
	check_err(cap_release(own), 0, "orphan_endpoint_released");
}

int main(void)
{
	static const struct echo_Echo_server impl = { .echo = do_echo };
	capos_cap_t f = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);
	capos_cap_t own[2], client[2], extra_own, extra_client;
	int port, n = 0;

	check_init("server-ports");
	for (int i = 0; i < 2; i++)
		if (!check_err(endpoint_create(f, echo_Echo_TYPE_ID, &own[i], &client[i]), 0,
			       "endpoint_created"))
			return check_done();
	check_err(server_init(&srv, &rt.ring, own[0], echo_Echo_TYPE_ID, echo_Echo_dispatch_any,
			      &impl), 0, "server_init");
	port = server_add_port(&srv, own[1], echo_Echo_TYPE_ID, echo_Echo_dispatch_any, &impl, tag_b);
	check(port == 1, "first_added_port_is_1", port);
	server_set_other(&srv, on_other, NULL);

	check(call_and_serve(client[1]) == 'B', "added_port_serves_with_its_ctx", seen_port);
	check(seen_port == 1 && seen_ctx == tag_b, "call_names_its_port", seen_port);
	check(others >= 1 && other_user_data == call.user_data, "own_completion_went_to_other", others);
	check(call_and_serve(client[0]) == 'A', "port_0_still_served", seen_port);
	check(seen_port == 0 && seen_ctx == NULL, "port_0_call_names_port_0", seen_port);
	check_oversized(client[0]);

	check_err(server_remove_port(&srv, 1), 0, "port_removed");
	check_err(server_remove_port(&srv, 1), CAPOS_ERR_INVALID_ARGUMENT, "removed_twice_refused");
	check_err(server_remove_port(&srv, 0), CAPOS_ERR_INVALID_ARGUMENT, "port_0_not_removable");
	check_err(cap_release(own[1]), 0, "endpoint_released");
	ipc_call_begin(&call);
	echo_Echo_echo_Params_set_data(echo_Echo_echo_Params_init_root(&call.msg), "x", 1);
	check_err(ipc_call_run(&rt.ring, &call, client[1], echo_Echo_echo),
		  CAPOS_ERR_APPLICATION_EXCEPTION, "removed_port_call_raises");
	check(call.exc_type == capos_CapException_Type_disconnected,
	      "removed_port_client_disconnected", call.exc_type);
	/* A wait lets the loop see the removed port's RECV end, freeing the slot. */
	check_err(server_serve_one(&srv, 1000 * 1000), CAPOS_ERR_TIMED_OUT, "nothing_else_arrives");
	for (;;) {
		if (endpoint_create(f, echo_Echo_TYPE_ID, &extra_own, &extra_client))
			break;
		port = server_add_port(&srv, extra_own, echo_Echo_TYPE_ID, echo_Echo_dispatch_any,
				       &impl, tag_b);
		if (port < 0)
			break;
		(void)cap_release(extra_client);	/* the table holds 256: keep only owners */
		if (n++ == 0)
			check(port == 1, "freed_port_reused", port);
	}
	check(port == CAPOS_ERR_TOO_LARGE && n == (int)SERVER_PORTS_MAX - 1, "ports_run_out_at_159",
	      n);
	check_orphans(f, &impl);
	return check_done();
}
