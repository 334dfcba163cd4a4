// SPDX-License-Identifier: MIT
/*
 * ipc-reply-recv (QEMU scenario ipc-reply-recv): RECV | CAPOS_SQE_F_REPLY,
 * an answer and the next receive in one SQE, end to end on the kernel. The
 * program runs twice: as init it is the client, and it spawns itself as
 * "ipc-reply-recv-server" with a new endpoint (granted as "service"), a
 * Console and a spare Console copy. Both sides use raw SQEs; messages are
 * plain bytes (the kernel does not read them), each a pattern named by a tag.
 *
 * Checked, in this order of calls:
 *   1. 500 round trips, each answer sent by the RECV | REPLY that receives
 *      the next call: every answer and every call byte-exact.
 *   2. the client sends calls A and B in one batch; the server, holding A,
 *      answers an unknown call id: REPLY_FAILED with NO_SUCH_CALL, nothing
 *      written, nothing received; a plain RECV then gets B.
 *   3. an unreadable answer to A: REPLY_FAILED with BAD_ADDRESS, and A stays
 *      open: a plain RETURN answers it; a RECV | REPLY answers B.
 *   4. REPLY | EXCEPTION: the caller's CQE is APPLICATION_EXCEPTION with the
 *      message (an exception with a capability is REPLY_FAILED INVALID_XFER).
 *   5. an answer copying a capability (xfer_count 1) hands it to the caller.
 *   6. a good answer with an unwritable receive buffer: the caller has its
 *      answer, the SQE fails BAD_ADDRESS without REPLY_FAILED.
 * The server prints its own PASS/FAIL lines and exits 0 only if all held.
 */
#include "check.h"
#include "echo.capnp.h"
#include "pattern.h"
#include "rt.h"

#define HDR		((uint32_t)sizeof(struct capos_recv_header))
#define UNMAPPED	0x10000000000ull	/* never mapped (between image and heap) */
#define KERNEL_HALF	0xffff800000001000ull	/* canonical, but not user memory */
#define IFACE		echo_Echo_TYPE_ID	/* served interface: only a label here */
#define ROUNDS		500u

enum { M_ROUND = 1, M_A = 2, M_B = 3, M_EXC = 4, M_CAP = 5, M_BADBUF = 6, M_STOP = 9 };

static uint64_t params[64], answer[64];	/* 512 bytes each */

/* After a message of len bytes at p: zero padding to 8 bytes (the kernel's), then 0xee. */
static bool padded(const uint8_t *p, uint32_t len)
{
	uint32_t end = (len + 7u) & ~7u;

	for (uint32_t i = len; i < end; i++)
		if (p[i] != 0)
			return false;
	return p[end] == 0xee;
}

/* Lengths of round i's params and answer: 1 to 256 and 1 to 300 bytes. */
static uint32_t round_plen(uint32_t i)
{
	return 1u + (i * 37u) % 256u;
}

static uint32_t round_alen(uint32_t i)
{
	return 1u + (i * 53u) % 300u;
}

/* ---- server ----------------------------------------------------------------------------- */

static capos_cap_t own;
static uint64_t rbuf[128];	/* the receive buffer, 1 KiB */

/*
 * One RECV into `buf` (rbuf, filled with 0xee first), with REPLY in flags
 * answering id with msg[0..len) and x[0..nx) first; its CQE.
 */
static struct capos_cqe s_recv(uint16_t flags, uint32_t id, uint64_t msg, uint32_t len,
			       const struct capos_xfer *x, uint8_t nx, uint64_t buf)
{
	struct capos_sqe s = { .opcode = CAPOS_OP_RECV, .flags = flags, .cap_id = own,
			       .call_id = id, .params_addr = msg, .params_len = len,
			       .xfer_addr = nx ? uaddr_of(x) : 0, .xfer_count = nx,
			       .result_addr = buf, .result_len = sizeof(rbuf) };
	struct capos_cqe c = { .result = 1 };

	memset(rbuf, 0xee, sizeof(rbuf));
	uring_run(&rt.ring, &s, &c);
	return c;
}

static struct capos_cqe s_reply(uint32_t id, uint32_t len, uint16_t more)
{
	return s_recv(CAPOS_SQE_F_REPLY | more, id, uaddr_of(answer), len, NULL, 0, uaddr_of(rbuf));
}

static int s_return(uint32_t id, uint64_t msg, uint32_t len)
{
	struct capos_sqe s = { .opcode = CAPOS_OP_RETURN, .cap_id = own, .call_id = id,
			       .params_addr = msg, .params_len = len };

	return uring_run(&rt.ring, &s, NULL);
}

/* The receive c got call `method` with params pattern tag[0..len), nothing after. */
static bool s_got(const struct capos_cqe *c, uint16_t method, uint32_t tag, uint32_t len)
{
	const uint8_t *buf = (const uint8_t *)rbuf;
	struct capos_recv_header h;

	memcpy(&h, buf, sizeof(h));
	return c->result == (int32_t)(HDR + len) && c->written == HDR + len && c->flags == 0 &&
	       c->call_id && h.call_id == c->call_id && h.method_id == method &&
	       h.params_len == len && h.interface_id == IFACE && h.xfer_count == 0 &&
	       pattern_same(buf + HDR, tag, len) && padded(buf, HDR + len);
}

/* An answer that failed: REPLY_FAILED with err, nothing written into rbuf. */
static bool s_failed(const struct capos_cqe *c, int err)
{
	return c->result == err && c->flags == CAPOS_CQE_F_REPLY_FAILED && c->written == 0 &&
	       ((const uint8_t *)rbuf)[0] == 0xee && ((const uint8_t *)rbuf)[HDR] == 0xee;
}

/* 1: each answer rides on the receive of the next call; ends holding call A. */
static struct capos_cqe s_rounds(void)
{
	struct capos_cqe c = s_recv(0, 0, 0, 0, NULL, 0, uaddr_of(rbuf));
	uint32_t i, bad = 0;

	for (i = 0; i < ROUNDS; i++) {
		bad += !s_got(&c, M_ROUND, i, round_plen(i));
		pattern_fill(answer, 5000 + i, round_alen(i));
		c = s_reply(c.call_id, round_alen(i), 0);
	}
	check(bad == 0, "recv_reply_rounds_byte_exact", bad);
	return c;
}

static int server(void)
{
	capos_cap_t spare = rt_cap("spare", CAPOS_IFACE_CONSOLE);
	struct capos_xfer x = { .cap_id = spare, .mode = CAPOS_XFER_COPY };
	struct capos_cqe c = s_rounds();
	uint32_t a, b, id;

	/* 2: an unknown id fails at once and receives nothing; B waits for a plain RECV. */
	check(s_got(&c, M_A, 201, 16), "recv_reply_received_call_a", c.result);
	a = c.call_id;
	c = s_reply(a + 1000, 8, 0);
	check(s_failed(&c, CAPOS_ERR_NO_SUCH_CALL), "unknown_call_id_is_reply_failed_no_such_call",
	      c.result);
	c = s_recv(0, 0, 0, 0, NULL, 0, uaddr_of(rbuf));
	check(s_got(&c, M_B, 202, 24) && c.call_id != a,
	      "plain_recv_after_failed_reply_gets_the_next_call", c.result);
	b = c.call_id;
	/* 3: an unreadable answer leaves A open. */
	c = s_recv(CAPOS_SQE_F_REPLY, a, UNMAPPED, 40, NULL, 0, uaddr_of(rbuf));
	check(s_failed(&c, CAPOS_ERR_BAD_ADDRESS), "unreadable_answer_is_reply_failed_bad_address",
	      c.result);
	pattern_fill(answer, 301, 40);
	check_err(s_return(a, uaddr_of(answer), 40), 0, "call_left_open_is_answered_by_return");
	pattern_fill(answer, 302, 48);
	c = s_reply(b, 48, 0);
	check(s_got(&c, M_EXC, 4, 8), "recv_reply_answered_b_and_received_the_next", c.result);
	id = c.call_id;
	/* 4: exceptions. */
	c = s_recv(CAPOS_SQE_F_REPLY | CAPOS_SQE_F_EXCEPTION, id, uaddr_of(answer), 56, &x, 1,
		   uaddr_of(rbuf));
	check(s_failed(&c, CAPOS_ERR_INVALID_XFER),
	      "exception_with_a_capability_is_reply_failed_invalid_xfer", c.result);
	pattern_fill(answer, 401, 56);
	c = s_reply(id, 56, CAPOS_SQE_F_EXCEPTION);
	check(s_got(&c, M_CAP, 5, 8), "exception_answer_then_the_next_call", c.result);
	id = c.call_id;
	/* 5: a capability copied with the answer. */
	pattern_fill(answer, 501, 16);
	c = s_recv(CAPOS_SQE_F_REPLY, id, uaddr_of(answer), 16, &x, 1, uaddr_of(rbuf));
	check(spare != CAPOS_CAP_INVALID && s_got(&c, M_BADBUF, 6, 8),
	      "answer_with_a_capability_then_the_next_call", c.result);
	id = c.call_id;
	/*
	 * 6: a receive buffer unmapped, or in the kernel half (refused by SQE
	 * validation): REPLY_FAILED, the answer did not go out, the call is open.
	 */
	pattern_fill(answer, 601, 24);
	c = s_recv(CAPOS_SQE_F_REPLY, id, uaddr_of(answer), 24, NULL, 0, UNMAPPED);
	check(s_failed(&c, CAPOS_ERR_BAD_ADDRESS),
	      "unmapped_recv_buffer_is_reply_failed_bad_address", c.result);
	c = s_recv(CAPOS_SQE_F_REPLY, id, uaddr_of(answer), 24, NULL, 0, KERNEL_HALF);
	check(s_failed(&c, CAPOS_ERR_BAD_ADDRESS),
	      "kernel_recv_buffer_is_reply_failed_bad_address", c.result);
	c = s_reply(id, 24, 0);
	check(s_got(&c, M_STOP, 7, 8), "stop_received", c.result);
	pattern_fill(answer, 701, 16);
	check_err(s_return(c.call_id, uaddr_of(answer), 16), 0, "last_return");
	check_err(cap_release(spare), 0, "release_spare");
	return check_done();
}

/* ---- client ----------------------------------------------------------------------------- */

static uint64_t res[64], res_b[64];	/* answers, 512 bytes each */

/* A CALL SQE of method with params[0..plen) (pattern tag), answer into r (filled 0xee). */
static struct capos_sqe c_sqe(capos_cap_t ep, uint16_t method, uint64_t *p, uint32_t tag,
			      uint32_t plen, uint64_t *r)
{
	pattern_fill(p, tag, plen);
	memset(r, 0xee, 512);
	return (struct capos_sqe){ .opcode = CAPOS_OP_CALL, .cap_id = ep, .method_id = method,
				   .params_addr = uaddr_of(p), .params_len = plen,
				   .result_addr = uaddr_of(r), .result_len = 512 };
}

static int c_call(capos_cap_t ep, uint16_t method, uint32_t tag, uint32_t plen,
		  struct capos_cqe *cqe)
{
	struct capos_sqe s = c_sqe(ep, method, params, tag, plen, res);

	*cqe = (struct capos_cqe){ .result = 1 };
	return uring_run(&rt.ring, &s, cqe);
}

/* The answer at buf is pattern tag[0..len). */
static bool c_answer(int r, const struct capos_cqe *c, const void *buf, uint32_t tag,
		     uint32_t len)
{
	return r == (int)len && c->written == len && pattern_same(buf, tag, len);
}

/* ... and nothing after it but the padding. */
static bool c_got(int r, const struct capos_cqe *c, const void *buf, uint32_t tag, uint32_t len)
{
	return c_answer(r, c, buf, tag, len) && c->flags == 0 && padded(buf, len);
}

static int spawn_server(capos_cap_t *handle, capos_cap_t *ep)
{
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	struct spawn_grant g[3] = {
		{ .name = "service", .iface = IFACE, .mode = SPAWN_NEW_ENDPOINT },
		{ .name = "console", .iface = CAPOS_IFACE_CONSOLE, .cap = rt.console,
		  .mode = CAPOS_XFER_COPY },
		{ .name = "spare", .iface = CAPOS_IFACE_CONSOLE, .cap = rt.console,
		  .mode = CAPOS_XFER_COPY },
	};
	capos_cap_t facets[3];
	int err = spawner_spawn_ep(sp, "ipc-reply-recv-server", "ipc-reply-recv", g, 3, handle,
				   facets);

	if (!err)
		*ep = facets[0];
	return err;
}

static void c_rounds(capos_cap_t ep)
{
	struct capos_cqe c;
	uint32_t i, bad = 0;
	int r;

	for (i = 0; i < ROUNDS; i++) {
		r = c_call(ep, M_ROUND, i, round_plen(i), &c);
		bad += !c_got(r, &c, res, 5000 + i, round_alen(i));
	}
	check(bad == 0, "answers_by_recv_reply_byte_exact", bad);
}

/* 2 and 3: calls A and B in one batch; A is answered by a RETURN after two failed replies. */
static void c_pair(capos_cap_t ep)
{
	static uint64_t params_b[8];
	struct capos_sqe *s;
	struct capos_cqe ca = { .result = 1 }, cb = { .result = 1 };
	uint64_t ida = uring_next_id(&rt.ring), idb = uring_next_id(&rt.ring);

	s = uring_get_sqe(&rt.ring);
	*s = c_sqe(ep, M_A, params, 201, 16, res);
	s->user_data = ida;
	s = uring_get_sqe(&rt.ring);
	*s = c_sqe(ep, M_B, params_b, 202, 24, res_b);
	s->user_data = idb;
	uring_enter(&rt.ring, 0, 0);
	check_err(uring_wait(&rt.ring, ida, &ca), 0, "wait_a");
	check_err(uring_wait(&rt.ring, idb, &cb), 0, "wait_b");
	check(c_got(ca.result, &ca, res, 301, 40), "answer_after_failed_replies_arrives_once",
	      ca.result);
	check(c_got(cb.result, &cb, res_b, 302, 48), "answer_by_recv_reply_after_plain_recv",
	      cb.result);
}

/* 5: the answer's capability record, a Console copy that works and is released. */
static void c_cap(capos_cap_t ep)
{
	struct capos_xfer_result rec;
	struct capos_cqe c;
	int r = c_call(ep, M_CAP, 5, 8, &c);

	memcpy(&rec, (const uint8_t *)res + 16, sizeof(rec));
	check(c_answer(r, &c, res, 501, 16) && c.flags == CAPOS_CQE_F_XFER && c.xfer_count == 1 &&
		      rec.interface_id == CAPOS_IFACE_CONSOLE && rec.reserved == 0 &&
		      ((const uint8_t *)res)[16 + sizeof(rec)] == 0xee,
	      "recv_reply_copied_a_capability_to_the_caller", r);
	check_err(cap_release(rec.cap_id), 0, "release_received_capability");
}

static int client(void)
{
	capos_cap_t h = CAPOS_CAP_INVALID, ep = CAPOS_CAP_INVALID;
	struct capos_cqe c;
	int64_t code = -1;
	int r;

	if (!check_err(spawn_server(&h, &ep), 0, "spawn_server"))
		return check_done();
	c_rounds(ep);
	c_pair(ep);
	r = c_call(ep, M_EXC, 4, 8, &c);
	check(r == CAPOS_ERR_APPLICATION_EXCEPTION && c.written == 56 && pattern_same(res, 401, 56),
	      "recv_reply_exception_reaches_the_caller", r);
	c_cap(ep);
	r = c_call(ep, M_BADBUF, 6, 8, &c);
	check(c_got(r, &c, res, 601, 24), "answer_arrives_once_after_bad_recv_buffers", r);
	r = c_call(ep, M_STOP, 7, 8, &c);
	check(c_got(r, &c, res, 701, 16), "last_answer", r);
	check_err(process_wait(h, &code), 0, "wait_server");
	check(code == 0, "server_exit_code", code);
	cap_release(h);
	cap_release(ep);
	return check_done();
}

int main(void)
{
	own = rt_cap("service", CAPOS_IFACE_ENDPOINT);
	if (own != CAPOS_CAP_INVALID) {
		check_init("ipc-reply-recv-server");
		return server();
	}
	check_init("ipc-reply-recv");
	return client();
}
