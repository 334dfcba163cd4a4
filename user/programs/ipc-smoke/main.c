// SPDX-License-Identifier: MIT
/*
 * ipc-smoke: the kernel's endpoint path in one process, with raw SQEs. It
 * creates an endpoint through EndpointFactory, posts a RECV on the owner
 * side (it waits), CALLs the client facet with a copy of the Console (the
 * call meets the waiting RECV), checks the header, params and transferred
 * capability, RETURNs an answer with a capability copied back, checks the
 * caller's completion, then releases the owner side and checks that a new
 * CALL fails with a disconnected CapException. Prints "ipc-smoke: PASS"
 * and exits 0, or a FAIL line and exits 1.
 */
#include <capnp/capnp.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "client.h"
#include "rt.h"

#define ECHO_IFACE 0x1234567812345678ull

static uint64_t params_buf[16], result_buf[64], recv_buf[64], answer_buf[16], arena[16];

static int fail(const char *why, long long got)
{
	printf("ipc-smoke: FAIL %s (got %lld)\n", why, got);
	return 1;
}

/* Builds a message with one Data field holding `text` (any struct with one pointer). */
static uint32_t build_text_msg(uint64_t *buf, size_t size, const char *text)
{
	struct capnp_msg m;
	size_t written;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	struct capnp_builder b = capnp_msg_init_root(&m, 0, 1);
	(void)capnp_set_data(b, 0, text, (uint32_t)strlen(text));
	if (capnp_msg_write(&m, buf, size, &written))
		return 0;
	return (uint32_t)written;
}

static int create_endpoint(capos_cap_t factory, capos_cap_t *owner, capos_cap_t *client)
{
	struct capnp_msg m;
	size_t plen;
	struct capos_cqe c;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	struct capos_EndpointFactory_create_Params_builder p =
		capos_EndpointFactory_create_Params_init_root(&m);
	capos_EndpointFactory_create_Params_set_interfaceId(p, ECHO_IFACE);
	if (capnp_msg_write(&m, params_buf, sizeof(params_buf), &plen))
		return -1;
	int err = uring_call(&rt.ring, factory, 0, params_buf, (uint32_t)plen, result_buf,
			     sizeof(result_buf), NULL, 0, &c);
	if (err < 0 || c.xfer_count != 2)
		return err < 0 ? err : -2;
	const struct capos_xfer_result *rec =
		(const void *)((const uint8_t *)result_buf + ((c.written + 7) & ~7u));
	*owner = rec[0].cap_id;
	*client = rec[1].cap_id;
	if (rec[0].interface_id != CAPOS_IFACE_ENDPOINT || rec[1].interface_id != ECHO_IFACE)
		return -3;
	return 0;
}

static void submit_recv(capos_cap_t owner)
{
	struct capos_sqe *s = uring_get_sqe(&rt.ring);

	s->opcode = CAPOS_OP_RECV;
	s->cap_id = owner;
	s->result_addr = (uint64_t)recv_buf;
	s->result_len = sizeof(recv_buf);
	s->user_data = 1;
	uring_submit(&rt.ring);
}

static void submit_call(capos_cap_t client, uint32_t plen, const struct capos_xfer *x, uint8_t nx)
{
	struct capos_sqe *s = uring_get_sqe(&rt.ring);

	s->opcode = CAPOS_OP_CALL;
	s->cap_id = client;
	s->method_id = 7;
	s->params_addr = (uint64_t)params_buf;
	s->params_len = plen;
	s->result_addr = (uint64_t)result_buf;
	s->result_len = sizeof(result_buf);
	s->xfer_addr = nx ? (uint64_t)x : 0;
	s->xfer_count = nx;
	s->user_data = 2;
	uring_submit(&rt.ring);
}

static int check_recv(void)
{
	struct capos_cqe c;
	const struct capos_recv_header *h = (const void *)recv_buf;

	if (uring_wait(&rt.ring, 1, &c) || c.result < 64)
		return fail("RECV did not complete with a call", c.result);
	if (h->method_id != 7 || h->interface_id != ECHO_IFACE || h->xfer_count != 1 ||
	    c.call_id != h->call_id || !(c.flags & CAPOS_CQE_F_XFER))
		return fail("RECV header is wrong", h->method_id);
	const struct capos_xfer_result *rec =
		(const void *)((const uint8_t *)recv_buf + ((c.written + 7) & ~7u));
	if (rec[0].interface_id != CAPOS_IFACE_CONSOLE)
		return fail("transferred cap has the wrong interface", 0);
	if (console_write_line(rec[0].cap_id, "ipc-smoke: server writes through the received Console") < 0)
		return fail("received Console does not work", 0);
	return (int)-(int64_t)h->call_id;	/* negative: the call id, for RETURN */
}

static int answer(capos_cap_t owner, uint32_t call_id)
{
	struct capos_cqe c;
	struct capos_sqe s = {
		.opcode = CAPOS_OP_RETURN, .cap_id = owner, .call_id = call_id,
		.params_addr = (uint64_t)answer_buf,
		.params_len = build_text_msg(answer_buf, sizeof(answer_buf), "pong"),
	};
	int err = uring_run(&rt.ring, &s, &c);

	if (err || c.result != 0)
		return fail("RETURN failed", err ? err : c.result);
	if (uring_wait(&rt.ring, 2, &c) || c.result <= 0 || c.written != s.params_len)
		return fail("the CALL did not complete with the answer", c.result);
	return 0;
}

int main(void)
{
	capos_cap_t factory = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY), owner, client;
	struct capos_xfer x = { .cap_id = rt.console, .mode = CAPOS_XFER_COPY };
	struct capos_cqe c;
	int r;

	if ((r = create_endpoint(factory, &owner, &client)) != 0)
		return fail("EndpointFactory.create", r);
	submit_recv(owner);
	submit_call(client, build_text_msg(params_buf, sizeof(params_buf), "ping"), &x, 1);
	if (uring_enter(&rt.ring, 0, 0) < 0)
		return fail("cap_enter", 0);
	if ((r = check_recv()) >= 0)
		return r;
	if (answer(owner, (uint32_t)-r))
		return 1;
	if (cap_release(owner) < 0)
		return fail("releasing the owner", 0);
	submit_call(client, build_text_msg(params_buf, sizeof(params_buf), "late"), NULL, 0);
	if (uring_wait(&rt.ring, 2, &c) || c.result != CAPOS_ERR_APPLICATION_EXCEPTION)
		return fail("a CALL on a dead endpoint must raise disconnected", c.result);
	if (cap_release(client) < 0)
		return fail("releasing the client", 0);
	printf("ipc-smoke: PASS\n");
	return 0;
}
