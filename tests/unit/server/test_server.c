// SPDX-License-Identifier: MIT
/*
 * Host tests of the server loop (user/lib/server.c) and the generated Echo
 * skeleton against the simulated endpoint kernel (sim_endpoint.h): dispatch
 * by ordinal, results and exceptions framed into RETURN, received caps
 * released unless taken, caps sent back, held calls, STOP, timeouts, RECV
 * errors, inconsistent completions and foreign completions. Each answer
 * rides on the next receive (RECV | CAPOS_SQE_F_REPLY); one that fails
 * (REPLY_FAILED) is counted and a plain RECV takes over; the last answer
 * (server_flush) is a RETURN. RETURN and RELEASE with
 * CAPOS_SQE_F_SKIP_SUCCESS post only their failures, which are counted
 * without upsetting the count of outstanding operations.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <capos/errors.h>

#include "capos.capnp.h"
#include "echo.capnp.h"
#include "server.h"
#include "sim_endpoint.h"
#include "test.h"

#define EP 0x10003u

static struct uring ring;
static struct server srv;
static uint64_t msgbuf[128], arena[128];

static int t_echo(void *ctx, struct echo_Echo_echo_Params p,
		struct echo_Echo_echo_Results_builder r)
{
	struct capnp_data d = echo_Echo_echo_Params_get_data(p);

	(void)ctx;
	return echo_Echo_echo_Results_set_data(r, d.ptr, d.len);
}

static int t_raise(void *ctx, struct echo_Echo_raise_Params p,
		   struct echo_Echo_raise_Results_builder r)
{
	(void)r;
	return server_raise(ctx, echo_Echo_raise_Params_get_type(p), "raised on purpose");
}

static int t_bounce(void *ctx, struct echo_Echo_bounce_Params p,
		    struct echo_Echo_bounce_Results_builder r)
{
	struct server_call *c = ctx;
	capos_cap_t cap;
	int idx, err = server_call_cap(c, echo_Echo_bounce_Params_get_capIndex(p), 0, &cap);

	if (err)
		return err;
	idx = server_call_send(c, cap, CAPOS_XFER_COPY);
	echo_Echo_bounce_Results_set_capIndex(r, (uint16_t)idx);
	return server_call_release_after(c, cap);
}

/* Echo.raise here first queues record 0 to be moved back: the exception must drop it. */
static int t_raise_after_move(void *ctx, struct echo_Echo_raise_Params p,
			      struct echo_Echo_raise_Results_builder r)
{
	struct server_call *c = ctx;
	capos_cap_t cap;

	(void)p, (void)r;
	if (server_call_cap(c, 0, 0, &cap) == 0)
		server_call_send(c, cap, CAPOS_XFER_MOVE);
	return server_raise(c, capos_CapException_Type_failed, "changed my mind");
}

static int t_hold(void *ctx, struct echo_Echo_hold_Params p,
		struct echo_Echo_hold_Results_builder r)
{
	(void)ctx, (void)p, (void)r;
	return SERVER_HELD;
}

static int t_stop(void *ctx, struct echo_Echo_stop_Params p,
		struct echo_Echo_stop_Results_builder r)
{
	(void)ctx, (void)p;
	echo_Echo_stop_Results_set_calls(r, 7);
	return SERVER_STOP;
}

static const struct echo_Echo_server impl = {
	.echo = t_echo, .raise = t_raise, .bounce = t_bounce, .hold = t_hold, .stop = t_stop,
};

static void setup(void)
{
	sim_reset();
	uring_stash_free(&ring);	/* uring_init starts an empty stash */
	uring_init(&ring, sim_ring_addr());
	server_fini(&srv);
	server_init(&srv, &ring, EP, echo_Echo_TYPE_ID, echo_Echo_dispatch_any, &impl);
}

/* Frames an Echo.echo params message with data; returns its length. */
static uint32_t echo_params(const char *data)
{
	struct capnp_msg m;
	size_t len = 0;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	echo_Echo_echo_Params_set_data(echo_Echo_echo_Params_init_root(&m), data,
				       (uint32_t)strlen(data));
	capnp_msg_write(&m, msgbuf, sizeof(msgbuf), &len);
	return (uint32_t)len;
}

static uint32_t empty_params(void)
{
	struct capnp_msg m;
	size_t len = 0;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capnp_msg_init_root(&m, 1, 0);
	capnp_msg_write(&m, msgbuf, sizeof(msgbuf), &len);
	return (uint32_t)len;
}

static void queue_echo(const char *data)
{
	uint32_t len = echo_params(data);

	sim_queue_call(echo_Echo_echo, echo_Echo_TYPE_ID, msgbuf, len);
}

/* The CapException type of RETURN i, or -1 if it is not a readable exception. */
static int exc_type(uint32_t i)
{
	struct capnp_msg m;
	int t;

	if (!(sim.returns[i].flags & CAPOS_SQE_F_EXCEPTION) ||
	    capnp_msg_init_read(&m, sim.returns[i].msg, sim.returns[i].len))
		return -1;
	t = capos_CapException_get_type(capos_CapException_root(&m));
	return capnp_msg_error(&m) ? -1 : t;
}

TEST(echo_call_is_dispatched_and_answered)
{
	struct capnp_msg m;
	struct capnp_data d;

	setup();
	queue_echo("hello");
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(sim.nreturns, 0);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(sim.nreturns, 1);
	CHECK_EQ(sim.returns[0].call_id, 101);
	CHECK_EQ(sim.returns[0].flags, CAPOS_SQE_F_SKIP_SUCCESS);
	CHECK_EQ(capnp_msg_init_read(&m, sim.returns[0].msg, sim.returns[0].len), 0);
	d = echo_Echo_echo_Results_get_data(echo_Echo_echo_Results_root(&m));
	CHECK_EQ(d.len, 5);
	CHECK(!memcmp(d.ptr, "hello", 5));
}

TEST(return_and_next_recv_share_one_enter)
{
	setup();
	queue_echo("a");
	queue_echo("b");
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(sim.enters, 1);
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(sim.enters, 2);
	CHECK_EQ(sim.nreturns, 1);
	CHECK_EQ(sim.returns[0].enter, 2);	/* the second enter carried it, with the RECV */
	CHECK_EQ(sim.recvs, 2);
}

TEST(unknown_method_raises_unimplemented)
{
	setup();
	sim_queue_call(99, echo_Echo_TYPE_ID, msgbuf, empty_params());
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(exc_type(0), capos_CapException_Type_unimplemented);
}

TEST(missing_handler_raises_unimplemented)
{
	setup();
	sim_queue_call(echo_Echo_heldCount, echo_Echo_TYPE_ID, msgbuf, empty_params());
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(exc_type(0), capos_CapException_Type_unimplemented);
}

TEST(other_interface_raises_unimplemented)
{
	uint32_t len = echo_params("x");

	setup();
	sim_queue_call(echo_Echo_echo, 0x1234, msgbuf, len);
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(exc_type(0), capos_CapException_Type_unimplemented);
}

TEST(malformed_params_raise_invalid_argument)
{
	static const uint64_t junk[2] = { 0x0000000900000000ull, 0x1111111111111111ull };

	setup();
	sim_queue_call(echo_Echo_echo, echo_Echo_TYPE_ID, junk, sizeof(junk));
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(exc_type(0), capos_CapException_Type_invalidArgument);
}

TEST(handler_exception_keeps_type_and_reason)
{
	struct echo_Echo_raise_Params_builder p;
	struct capos_CapException e;
	struct capnp_text t;
	struct capnp_msg m;
	size_t len = 0;

	setup();
	capnp_msg_init_build(&m, arena, sizeof(arena));
	p = echo_Echo_raise_Params_init_root(&m);
	echo_Echo_raise_Params_set_type(p, capos_CapException_Type_overloaded);
	capnp_msg_write(&m, msgbuf, sizeof(msgbuf), &len);
	sim_queue_call(echo_Echo_raise, echo_Echo_TYPE_ID, msgbuf, (uint32_t)len);
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(exc_type(0), capos_CapException_Type_overloaded);
	capnp_msg_init_read(&m, sim.returns[0].msg, sim.returns[0].len);
	e = capos_CapException_root(&m);
	t = capos_CapException_get_reason(e);
	CHECK_EQ(t.len, strlen("raised on purpose"));
	CHECK(!memcmp(t.str, "raised on purpose", t.len));
}

TEST(caps_not_taken_are_released_after_the_answer)
{
	struct sim_call *k;

	setup();
	queue_echo("caps");
	k = &sim.calls[0];
	k->ncaps = 2;
	k->caps[0] = (struct capos_xfer_result){ .cap_id = 0x20005, .interface_id = 1 };
	k->caps[1] = (struct capos_xfer_result){ .cap_id = 0x20006, .interface_id = 2 };
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(sim.nreleased, 0);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(sim.nreleased, 2);
	CHECK_EQ(sim.released[0], 0x20005);
	CHECK_EQ(sim.released[1], 0x20006);
}

TEST(bounced_cap_is_sent_back_then_released)
{
	struct echo_Echo_bounce_Params_builder p;
	struct capnp_msg m;
	struct sim_call *k;
	size_t len = 0;

	setup();
	capnp_msg_init_build(&m, arena, sizeof(arena));
	p = echo_Echo_bounce_Params_init_root(&m);
	echo_Echo_bounce_Params_set_capIndex(p, 1);
	capnp_msg_write(&m, msgbuf, sizeof(msgbuf), &len);
	k = sim_queue_call(echo_Echo_bounce, echo_Echo_TYPE_ID, msgbuf, (uint32_t)len);
	k->ncaps = 2;
	k->caps[0].cap_id = 0x30001;
	k->caps[1].cap_id = 0x30002;
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(sim.returns[0].flags, CAPOS_SQE_F_SKIP_SUCCESS);
	CHECK_EQ(sim.returns[0].nxfer, 1);
	CHECK_EQ(sim.returns[0].xfer[0].cap_id, 0x30002);
	CHECK_EQ(sim.returns[0].xfer[0].mode, CAPOS_XFER_COPY);
	CHECK_EQ(sim.nreleased, 2);	/* the copy kept after sending, and record 0 not taken */
}

TEST(bad_cap_index_raises_failed_with_no_caps_sent)
{
	struct capnp_msg m;
	size_t len = 0;

	setup();
	capnp_msg_init_build(&m, arena, sizeof(arena));
	echo_Echo_bounce_Params_set_capIndex(echo_Echo_bounce_Params_init_root(&m), 3);
	capnp_msg_write(&m, msgbuf, sizeof(msgbuf), &len);
	sim_queue_call(echo_Echo_bounce, echo_Echo_TYPE_ID, msgbuf, (uint32_t)len);
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(exc_type(0), capos_CapException_Type_failed);
	CHECK_EQ(sim.returns[0].nxfer, 0);
}

TEST(exception_drops_caps_queued_to_move)
{
	static const struct echo_Echo_server mover = { .raise = t_raise_after_move };
	struct sim_call *k;

	setup();
	server_fini(&srv);
	server_init(&srv, &ring, EP, echo_Echo_TYPE_ID, echo_Echo_dispatch_any, &mover);
	k = sim_queue_call(echo_Echo_raise, echo_Echo_TYPE_ID, msgbuf, empty_params());
	k->ncaps = 1;
	k->caps[0].cap_id = 0x40001;
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(exc_type(0), capos_CapException_Type_failed);
	CHECK_EQ(sim.returns[0].nxfer, 0);
	CHECK_EQ(sim.nreleased, 1);
	CHECK_EQ(sim.released[0], 0x40001);
}

TEST(held_call_gets_no_return_until_answered)
{
	setup();
	sim_queue_call(echo_Echo_hold, echo_Echo_TYPE_ID, msgbuf, empty_params());
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), SERVER_HELD);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(sim.nreturns, 0);
	CHECK_EQ(server_answer_empty(&srv, 101), 0);
	CHECK_EQ(sim.nreturns, 1);
	CHECK_EQ(sim.returns[0].call_id, 101);
	CHECK_EQ(sim.returns[0].flags, 0);
}

TEST(run_answers_stop_and_returns_zero)
{
	setup();
	queue_echo("one");
	sim_queue_call(echo_Echo_stop, echo_Echo_TYPE_ID, msgbuf, empty_params());
	CHECK_EQ(server_run(&srv), 0);
	CHECK_EQ(sim.nreturns, 2);
	CHECK_EQ(sim.returns[1].call_id, 102);
	CHECK_EQ(srv.calls, 2);
}

TEST(recv_timeout_keeps_the_recv_posted)
{
	setup();
	CHECK_EQ(server_serve_one(&srv, 1000), CAPOS_ERR_TIMED_OUT);
	CHECK(srv.ports[0].recv_posted);
	queue_echo("late");
	CHECK_EQ(server_serve_one(&srv, 1000), 0);
	CHECK_EQ(sim.recvs, 1);
}

TEST(recv_error_ends_the_run)
{
	struct sim_call *k;

	setup();
	k = sim_queue_call(echo_Echo_echo, echo_Echo_TYPE_ID, msgbuf, 0);
	k->recv_result = CAPOS_ERR_RESULT_TOO_SMALL;
	CHECK_EQ(server_run(&srv), CAPOS_ERR_RESULT_TOO_SMALL);
}

TEST(inconsistent_recv_is_answered_failed)
{
	setup();
	queue_echo("x");
	sim.calls[0].bad_written = 1;
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(exc_type(0), capos_CapException_Type_failed);
	CHECK_EQ(sim.returns[0].call_id, 101);
}

TEST(failed_return_is_counted_and_serving_goes_on)
{
	setup();
	sim.return_result = CAPOS_ERR_DISCONNECTED;
	queue_echo("a");
	queue_echo("b");
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(srv.return_errors, 1);
	CHECK_EQ(srv.last_return, CAPOS_ERR_DISCONNECTED);
	CHECK_EQ(srv.outstanding, 0);
	CHECK_EQ(server_flush(&srv), CAPOS_ERR_DISCONNECTED);
	CHECK_EQ(srv.return_errors, 2);
	CHECK_EQ(srv.outstanding, 0);
}

TEST(successful_return_and_releases_post_no_cqe)
{
	struct sim_call *k;

	setup();
	queue_echo("a");
	k = &sim.calls[0];
	k->ncaps = 2;
	k->caps[0].cap_id = 0x20005;
	k->caps[1].cap_id = 0x20006;
	queue_echo("b");
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(sim.nreturns, 1);
	CHECK_EQ(sim.nreleased, 2);
	CHECK_EQ(sim.posted, 2);	/* the two RECVs only */
	CHECK_EQ(sim.skipped, 2);	/* both RELEASEs; the answer rode on the second RECV */
	CHECK_EQ(sim.returns[0].opcode, CAPOS_OP_RECV);
	CHECK_EQ(sim.enters, 2);	/* one cap_enter per call */
	CHECK_EQ(srv.outstanding, 0);
	CHECK_EQ(srv.last_return, 0);
	CHECK_EQ(srv.return_errors + srv.release_errors, 0);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(sim.posted, 2);
	CHECK_EQ(sim.skipped, 3);	/* the last answer: RETURN | SKIP_SUCCESS */
	CHECK_EQ(sim.returns[1].opcode, CAPOS_OP_RETURN);
}

TEST(failed_release_is_counted_and_serving_goes_on)
{
	setup();
	sim.release_result = CAPOS_ERR_STALE_CAP;
	queue_echo("a");
	sim.calls[0].ncaps = 1;
	sim.calls[0].caps[0].cap_id = 0x20005;
	queue_echo("b");
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(srv.release_errors, 1);
	CHECK_EQ(srv.return_errors, 0);
	CHECK_EQ(srv.last_return, 0);
	CHECK_EQ(srv.outstanding, 0);
	CHECK_EQ(srv.calls, 2);
}

/*
 * 200 calls, each with a capability the handler does not take; every third
 * answer and every RELEASE fails. The loop must stay at one RECV outstanding,
 * one cap_enter per call plus one per failed answer (its RECV | REPLY
 * received nothing, so a plain RECV follows), and count every failure once.
 */
TEST(many_calls_with_failures_keep_the_count_exact)
{
	uint32_t i, n = 200;

	setup();
	sim.return_fail_every = 3;
	sim.release_result = CAPOS_ERR_INVALID_CAP;
	for (i = 0; i < n; i++) {
		struct sim_call *k;

		queue_echo("x");
		k = &sim.calls[i];
		k->ncaps = 1;
		k->caps[0].cap_id = 0x50000 + i;
	}
	for (i = 0; i < n; i++) {
		CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
		CHECK_EQ(srv.outstanding, 0);
		CHECK_EQ(srv.last_return, i % 3 == 0 && i ? CAPOS_ERR_DISCONNECTED : 0);
	}
	CHECK_EQ(sim.enters, n + (n - 1) / 3);	/* answers 3, 6, ..., 198 failed */
	CHECK_EQ(server_flush(&srv), 0);	/* RETURN 200 succeeds */
	CHECK_EQ(sim.nreturns, n);
	CHECK_EQ(srv.return_errors, n / 3);
	CHECK_EQ(srv.release_errors, n);
	CHECK_EQ(sim.posted, n + n / 3 + n);
	CHECK_EQ(srv.outstanding, 0);
	/* Nothing left to receive: the wait times out with exactly the RECV posted. */
	CHECK_EQ(server_serve_one(&srv, 0), CAPOS_ERR_TIMED_OUT);
	CHECK_EQ(srv.outstanding, 1);
	CHECK(srv.ports[0].recv_posted);
	CHECK_EQ(ring.nstash, 0);
}

TEST(skip_success_is_refused_on_recv)
{
	struct capos_sqe sqe = {
		.opcode = CAPOS_OP_RECV,
		.flags = CAPOS_SQE_F_SKIP_SUCCESS,
		.cap_id = EP,
	};

	setup();
	queue_echo("a");
	CHECK_EQ(uring_run(&ring, &sqe, NULL), CAPOS_ERR_INVALID_FLAGS);
	CHECK_EQ(sim.recvs, 0);
}

TEST(foreign_completion_goes_to_the_stash)
{
	setup();
	sim.foreign_ud = 777;
	queue_echo("a");
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(ring.nstash, 1);
	CHECK_EQ(ring.stash[0].user_data, 777);
}

/* Answers the call itself first when the data is "early": the loop's answer then finds no call. */
static int t_echo_early(void *ctx, struct echo_Echo_echo_Params p,
			struct echo_Echo_echo_Results_builder r)
{
	struct server_call *c = ctx;
	struct capnp_data d = echo_Echo_echo_Params_get_data(p);

	if (d.len == 5 && !memcmp(d.ptr, "early", 5) && server_answer_empty(c->srv, c->call_id))
		return CAPOS_ERR_INVALID_ARGUMENT;
	return echo_Echo_echo_Results_set_data(r, d.ptr, d.len);
}

/* The echoed data of answer i is data (and the answer is no exception). */
static bool answer_is(uint32_t i, const char *data)
{
	struct capnp_msg m;
	struct capnp_data d;

	if ((sim.returns[i].flags & CAPOS_SQE_F_EXCEPTION) ||
	    capnp_msg_init_read(&m, sim.returns[i].msg, sim.returns[i].len))
		return false;
	d = echo_Echo_echo_Results_get_data(echo_Echo_echo_Results_root(&m));
	return !capnp_msg_error(&m) && d.len == strlen(data) && !memcmp(d.ptr, data, d.len);
}

/* The answer and the next receive are one SQE: RECV | REPLY, then a RECV is posted. */
TEST(answer_and_next_recv_are_one_recv_reply)
{
	setup();
	queue_echo("first");
	queue_echo("second");
	queue_echo("third");
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(sim.recv_flags, 0);	/* nothing to answer yet: a plain RECV */
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(sim.enters, 3);
	CHECK_EQ(sim.recvs, 3);
	CHECK_EQ(sim.recv_flags, CAPOS_SQE_F_REPLY);
	CHECK_EQ(sim.nreturns, 2);
	CHECK_EQ(sim.returns[0].opcode, CAPOS_OP_RECV);
	CHECK_EQ(sim.returns[0].flags, CAPOS_SQE_F_REPLY);
	CHECK_EQ(sim.returns[0].call_id, 101);
	CHECK_EQ(sim.returns[0].result, 0);
	CHECK_EQ(sim.returns[0].enter, 2);
	CHECK(answer_is(0, "first"));
	CHECK_EQ(sim.returns[1].call_id, 102);
	CHECK(answer_is(1, "second"));
	CHECK_EQ(sim.posted, 3);	/* the three receives, nothing else */
	CHECK_EQ(srv.outstanding, 0);
	CHECK_EQ(srv.last_return, 0);
	/* The last answer, with nothing to receive, is a plain RETURN. */
	CHECK_EQ(server_flush(&srv), 0);
	CHECK_EQ(sim.returns[2].opcode, CAPOS_OP_RETURN);
	CHECK_EQ(sim.returns[2].flags, CAPOS_SQE_F_SKIP_SUCCESS);
	CHECK(answer_is(2, "third"));
	CHECK_EQ(srv.return_errors, 0);
}

/*
 * The handler answers "early" itself, so the loop's RECV | REPLY finds no
 * such call: it completes with REPLY_FAILED, received nothing; the loop notes
 * the failure, posts a plain RECV and serves the next call.
 */
TEST(failed_reply_is_noted_and_a_plain_recv_follows)
{
	static const struct echo_Echo_server early = { .echo = t_echo_early };

	setup();
	server_fini(&srv);
	server_init(&srv, &ring, EP, echo_Echo_TYPE_ID, echo_Echo_dispatch_any, &early);
	queue_echo("early");
	queue_echo("next");
	queue_echo("last");
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(sim.nreturns, 1);	/* the handler's own RETURN */
	CHECK_EQ(sim.returns[0].result, 0);
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(sim.nreturns, 2);
	CHECK_EQ(sim.returns[1].opcode, CAPOS_OP_RECV);
	CHECK_EQ(sim.returns[1].call_id, 101);
	CHECK_EQ(sim.returns[1].result, CAPOS_ERR_NO_SUCH_CALL);
	CHECK_EQ(srv.last_return, CAPOS_ERR_NO_SUCH_CALL);
	CHECK_EQ(srv.return_errors, 1);
	CHECK_EQ(srv.calls, 2);	/* "next" was received, by a plain RECV */
	CHECK_EQ(sim.recvs, 2);
	CHECK_EQ(sim.recv_flags, 0);
	CHECK_EQ(sim.enters, 3 + 1);	/* + the handler's uring_run */
	CHECK_EQ(srv.outstanding, 0);
	CHECK(!srv.ports[0].recv_posted);
	/* Serving goes on: "next" is answered with the receive of "last". */
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(sim.returns[2].opcode, CAPOS_OP_RECV);
	CHECK_EQ(sim.returns[2].call_id, 102);
	CHECK_EQ(sim.returns[2].result, 0);
	CHECK(answer_is(2, "next"));
	CHECK_EQ(srv.last_return, 0);
	CHECK_EQ(srv.return_errors, 1);
	CHECK_EQ(srv.calls, 3);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK(answer_is(3, "last"));
	CHECK_EQ(sim.posted, 1 + 3 + 1);	/* the handler's RETURN, 3 receives, 1 failure */
}

/* A raised exception rides on the next receive too: RECV | REPLY | EXCEPTION. */
TEST(exception_answer_is_recv_reply_exception)
{
	struct echo_Echo_raise_Params_builder p;
	struct capnp_msg m;
	size_t len = 0;

	setup();
	capnp_msg_init_build(&m, arena, sizeof(arena));
	p = echo_Echo_raise_Params_init_root(&m);
	echo_Echo_raise_Params_set_type(p, capos_CapException_Type_disconnected);
	capnp_msg_write(&m, msgbuf, sizeof(msgbuf), &len);
	sim_queue_call(echo_Echo_raise, echo_Echo_TYPE_ID, msgbuf, (uint32_t)len);
	queue_echo("after");
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(sim.returns[0].opcode, CAPOS_OP_RECV);
	CHECK_EQ(sim.returns[0].flags, CAPOS_SQE_F_REPLY | CAPOS_SQE_F_EXCEPTION);
	CHECK_EQ(sim.returns[0].result, 0);
	CHECK_EQ(sim.returns[0].nxfer, 0);
	CHECK_EQ(exc_type(0), capos_CapException_Type_disconnected);
	CHECK_EQ(sim.enters, 2);
	CHECK_EQ(srv.calls, 2);
	CHECK_EQ(server_flush(&srv), 0);
	CHECK(answer_is(1, "after"));
}

/* Capabilities go with a RECV | REPLY answer; the RELEASEs come after it in the same enter. */
TEST(recv_reply_sends_caps_and_releases_follow_it)
{
	struct capos_sqe *sq = (struct capos_sqe *)(sim.mem + CAPOS_RING_SQ_OFFSET);
	struct capnp_msg m;
	struct sim_call *k;
	size_t len = 0;

	setup();
	capnp_msg_init_build(&m, arena, sizeof(arena));
	echo_Echo_bounce_Params_set_capIndex(echo_Echo_bounce_Params_init_root(&m), 0);
	capnp_msg_write(&m, msgbuf, sizeof(msgbuf), &len);
	k = sim_queue_call(echo_Echo_bounce, echo_Echo_TYPE_ID, msgbuf, (uint32_t)len);
	k->ncaps = 2;
	k->caps[0].cap_id = 0x30001;
	k->caps[1].cap_id = 0x30002;
	queue_echo("b");
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(server_serve_one(&srv, CAPOS_TIMEOUT_INFINITE), 0);
	CHECK_EQ(sim.returns[0].opcode, CAPOS_OP_RECV);
	CHECK_EQ(sim.returns[0].nxfer, 1);
	CHECK_EQ(sim.returns[0].xfer[0].cap_id, 0x30001);
	CHECK_EQ(sim.returns[0].xfer[0].mode, CAPOS_XFER_COPY);
	CHECK_EQ(sim.nreleased, 2);
	/* SQ order of the second enter: RECV | REPLY at index 1, the RELEASEs after it. */
	CHECK_EQ(sq[1].opcode, CAPOS_OP_RECV);
	CHECK_EQ(sq[1].flags, CAPOS_SQE_F_REPLY);
	CHECK_EQ(sq[2].opcode, CAPOS_OP_RELEASE);
	CHECK_EQ(sq[3].opcode, CAPOS_OP_RELEASE);
	CHECK_EQ(sq[2].flags, CAPOS_SQE_F_SKIP_SUCCESS);
	CHECK_EQ(sim.enters, 2);
}

int main(void)
{
	RUN(echo_call_is_dispatched_and_answered);
	RUN(return_and_next_recv_share_one_enter);
	RUN(unknown_method_raises_unimplemented);
	RUN(missing_handler_raises_unimplemented);
	RUN(other_interface_raises_unimplemented);
	RUN(malformed_params_raise_invalid_argument);
	RUN(handler_exception_keeps_type_and_reason);
	RUN(caps_not_taken_are_released_after_the_answer);
	RUN(bounced_cap_is_sent_back_then_released);
	RUN(bad_cap_index_raises_failed_with_no_caps_sent);
	RUN(exception_drops_caps_queued_to_move);
	RUN(held_call_gets_no_return_until_answered);
	RUN(run_answers_stop_and_returns_zero);
	RUN(recv_timeout_keeps_the_recv_posted);
	RUN(recv_error_ends_the_run);
	RUN(inconsistent_recv_is_answered_failed);
	RUN(failed_return_is_counted_and_serving_goes_on);
	RUN(foreign_completion_goes_to_the_stash);
	RUN(successful_return_and_releases_post_no_cqe);
	RUN(failed_release_is_counted_and_serving_goes_on);
	RUN(many_calls_with_failures_keep_the_count_exact);
	RUN(skip_success_is_refused_on_recv);
	RUN(answer_and_next_recv_are_one_recv_reply);
	RUN(failed_reply_is_noted_and_a_plain_recv_follows);
	RUN(exception_answer_is_recv_reply_exception);
	RUN(recv_reply_sends_caps_and_releases_follow_it);
	server_fini(&srv);
	TEST_EXIT();
}
