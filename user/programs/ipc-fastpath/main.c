// SPDX-License-Identifier: MIT
/*
 * ipc-fastpath (QEMU scenario ipc-fastpath): the kernel's IPC fast path
 * (kernel/ipc/fastpath.c) takes a client's batch of one CALL and a server's
 * batch of RETURN | SKIP_SUCCESS + RECV on the same endpoint, and runs the
 * general path's endpoint operations on them; other shapes and SQEs that
 * fail validation it leaves, unchanged, to the general path. Either way the
 * results (docs/ipc.md) must be the general path's. Run as init, this program spawns
 * ipc-fastpath-server with two new endpoints (main and side) and makes every
 * call as the fast path wants it: one CALL alone in the SQ, then
 * cap_enter(min_complete = 1). The calls and their buffers are the table in
 * fastpath.h, shared with the server; both sides check every CQE field,
 * every RECV header field and every byte (message, zero padding to 8 bytes,
 * untouched bytes around).
 *
 * Checked, in order:
 *   1. plain calls, params and answers of 0, 1, 7, 8, 63, 64, 65 and 4000
 *      bytes both ways; messages across a page boundary of the receiver's
 *      buffer (the general path's copy), ending exactly at one, or read
 *      from two pages of the sender;
 *   2. a CALL while no RECV is posted queues (its params staged: the
 *      client overwrites them at once), and the RECV that follows gets it;
 *      the server's RETURN and RECV on different endpoints, both ways;
 *   3. a RECV too small (also only for the padding) fails RESULT_TOO_SMALL
 *      and the call waits for the next RECV;
 *   4. a result buffer too small (also only for the padding): the caller
 *      and the RETURN get RESULT_TOO_SMALL, the call is over;
 *   5. unreadable params and unwritable result buffers fail BAD_ADDRESS at
 *      once while the server's RECV waits for the next good call;
 *   6. RETURNs batched with a RECV that fail (unknown call, unreadable
 *      answer) post their CQE despite SKIP_SUCCESS, and one without
 *      SKIP_SUCCESS posts its 0; the RECV waits (server side);
 *   7. a CALL on a released cap id is STALE_CAP, on one never issued
 *      INVALID_CAP, while the server's RECV waits.
 * The scenario then expects the kernel's count of fast-path batches to be
 * above zero, and no frames, heap objects or cap slots left over.
 */
#include "check.h"
#include "fastpath.h"
#include "pattern.h"
#include "rt.h"

#define UNMAPPED	0x10000000000ull	/* never mapped (between image and heap) */
/* Generation 1 of a slot beyond any table quota: never issued. */
#define NEVER_ISSUED	((capos_cap_t)(1u << 16 | 0xfff0u))

static capos_cap_t main_ep = CAPOS_CAP_INVALID, side_ep = CAPOS_CAP_INVALID;
static uint8_t params[FP_BUF] __attribute__((aligned(FP_PAGE)));
static uint8_t result_main[FP_BUF] __attribute__((aligned(FP_PAGE)));
static uint8_t result_side[FP_BUF] __attribute__((aligned(FP_PAGE)));

static uint8_t *c_result(const struct fp_msg *m)
{
	return m->side ? result_side : result_main;
}

/* Queues the CALL of `method` as the table has it (params written, results filled). */
static uint64_t c_queue_call(uint16_t method)
{
	const struct fp_msg *m = fp_msg(method);
	uint8_t *res = c_result(m);
	uint64_t ud = uring_next_id(&rt.ring);
	struct capos_sqe *s;

	fp_fill(params + m->params_off, method, m->plen);
	memset(res, FP_FILL, FP_BUF);
	s = uring_get_sqe(&rt.ring);
	s->opcode = CAPOS_OP_CALL;
	s->cap_id = m->side ? side_ep : main_ep;
	s->user_data = ud;
	s->method_id = method;
	s->params_addr = uaddr_of(params + m->params_off);
	s->params_len = m->plen;
	s->result_addr = uaddr_of(res + m->result_off);
	s->result_len = m->rlen ? m->rlen : FP_BUF - m->result_off;
	return ud;
}

/* Waits for the CALL ud of `method` and checks its answer: every CQE field, every byte. */
static void c_check_answer(uint64_t ud, uint16_t method)
{
	const struct fp_msg *m = fp_msg(method);
	struct capos_cqe c = { .result = 1 };
	int err = uring_wait(&rt.ring, ud, &c);

	check(!err && fp_cqe_is(&c, ud, (int32_t)m->alen, m->alen, CAPOS_OP_CALL, 0) &&
		      fp_buffer_holds(c_result(m), FP_BUF, m->result_off, 0, m->alen,
				      method + FP_ANSWER_TAG),
	      m->name, err ? err : c.result);
}

/* The fast path's client batch: the CALL alone in the SQ, then cap_enter(min_complete = 1). */
static void c_call(uint16_t method)
{
	c_check_answer(c_queue_call(method), method);
}

/*
 * No RECV is posted on main (the server answered the last call with a RECV
 * on side): the CALL queues. Its params are overwritten at once by the call
 * on side, which starts the server's RECV on main; that RECV gets the
 * queued call with the params it had when it was made.
 */
static void c_queued(void)
{
	uint64_t queued = c_queue_call(FP_M_QUEUED);
	int64_t n = uring_enter(&rt.ring, 0, 0);

	check(n == 0, "call_without_recv_waits", n);
	c_call(FP_M_GO);
	c_check_answer(queued, FP_M_QUEUED);
}

/* A result buffer too small: RESULT_TOO_SMALL, nothing written; the next call goes through. */
static void c_result_too_small(uint16_t method, uint16_t after)
{
	uint64_t ud = c_queue_call(method);
	struct capos_cqe c = { .result = 1 };
	int err = uring_wait(&rt.ring, ud, &c);

	check(!err && fp_cqe_is(&c, ud, CAPOS_ERR_RESULT_TOO_SMALL, 0, CAPOS_OP_CALL, 0) &&
		      fp_all(result_main, 0, FP_BUF, FP_FILL),
	      fp_msg(method)->name, err ? err : c.result);
	c_call(after);
}

/* A CALL alone that fails at once with `want`, its result buffer (if ours) untouched. */
static void c_bad(const char *name, capos_cap_t cap, uint64_t p, uint32_t plen, uint64_t r,
		  uint32_t rlen, int want)
{
	uint64_t ud = uring_next_id(&rt.ring);
	struct capos_cqe c = { .result = 1 };
	struct capos_sqe *s;
	int err;

	memset(result_main, FP_FILL, FP_BUF);
	s = uring_get_sqe(&rt.ring);
	*s = (struct capos_sqe){ .opcode = CAPOS_OP_CALL, .cap_id = cap, .user_data = ud,
				 .method_id = FP_M_BAD, .params_addr = p, .params_len = plen,
				 .result_addr = r, .result_len = rlen };
	err = uring_wait(&rt.ring, ud, &c);
	check(!err && fp_cqe_is(&c, ud, want, 0, CAPOS_OP_CALL, 0) &&
		      fp_all(result_main, 0, FP_BUF, FP_FILL),
	      name, err ? err : c.result);
}

/* Params that cannot be read, result buffers that cannot be written; the RECV waits. */
static void c_bad_buffers(void)
{
	uint64_t edge = uaddr_of(rt.heap.base) + rt.heap.size;	/* nothing mapped above */
	uint64_t p = uaddr_of(params), r = uaddr_of(result_main);

	fp_fill(params, FP_M_BAD, 64);
	c_bad("call_with_unmapped_params_fails", main_ep, UNMAPPED, 64, r, FP_BUF,
	      CAPOS_ERR_BAD_ADDRESS);
	c_bad("call_with_params_into_unmapped_page_fails", main_ep, edge - 16, 64, r, FP_BUF,
	      CAPOS_ERR_BAD_ADDRESS);
	c_call(FP_M_AFTER_BAD_PARAMS);
	c_bad("call_with_unmapped_result_fails", main_ep, p, 64, UNMAPPED, 64,
	      CAPOS_ERR_BAD_ADDRESS);
	c_bad("call_with_read_only_result_fails", main_ep, p, 64, uaddr_of(fp_msgs), 64,
	      CAPOS_ERR_BAD_ADDRESS);
	c_bad("call_with_result_into_unmapped_page_fails", main_ep, p, 64, edge - 16, 64,
	      CAPOS_ERR_BAD_ADDRESS);
	c_call(FP_M_AFTER_BAD_RESULTS);
}

/* Caps that name nothing: the main facet released (its id now stale), and an id never issued. */
static void c_bad_caps(void)
{
	uint64_t p = uaddr_of(params), r = uaddr_of(result_main);

	check_err(cap_release(main_ep), 0, "release_main_facet");
	c_bad("call_on_released_cap_is_stale", main_ep, p, 8, r, FP_BUF, CAPOS_ERR_STALE_CAP);
	c_bad("call_on_cap_never_issued_is_invalid", NEVER_ISSUED, p, 8, r, FP_BUF,
	      CAPOS_ERR_INVALID_CAP);
}

static int spawn_server(capos_cap_t *handle)
{
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	struct spawn_grant g[3] = {
		{ .name = "service", .iface = FP_IFACE_MAIN, .mode = SPAWN_NEW_ENDPOINT },
		{ .name = "side", .iface = FP_IFACE_SIDE, .mode = SPAWN_NEW_ENDPOINT },
		{ .name = "console", .iface = CAPOS_IFACE_CONSOLE, .cap = rt.console,
		  .mode = CAPOS_XFER_COPY },
	};
	capos_cap_t facets[3];
	int err = spawner_spawn_ep(sp, "ipc-fastpath-server", "ipc-fastpath-server", g, 3, handle,
				   facets);

	if (!err) {
		main_ep = facets[0];
		side_ep = facets[1];
	}
	return err;
}

int main(void)
{
	capos_cap_t h = CAPOS_CAP_INVALID;
	struct capos_cqe stray = { .user_data = 0 };
	int64_t code = -1;
	uint16_t m;

	check_init("ipc-fastpath");
	if (!check_err(spawn_server(&h), 0, "spawn_server"))
		return check_done();
	for (m = FP_M_PLAIN_0_4000; m < FP_M_TABLE_END; m++)
		c_call(m);
	c_queued();
	c_call(FP_M_RECV_TOO_SMALL);
	c_call(FP_M_RECV_TOO_SMALL_FOR_PADDING);
	c_result_too_small(FP_M_RESULT_TOO_SMALL, FP_M_AFTER_RESULT_TOO_SMALL);
	c_result_too_small(FP_M_RESULT_TOO_SMALL_FOR_PADDING,
			   FP_M_AFTER_RESULT_TOO_SMALL_FOR_PADDING);
	c_bad_buffers();
	c_call(FP_M_AFTER_UNKNOWN_RETURN);
	c_call(FP_M_AFTER_UNREADABLE_ANSWER);
	c_call(FP_M_AFTER_RETURN_WITHOUT_SKIP);
	c_call(FP_M_LAST);
	c_bad_caps();
	c_call(FP_M_STOP);
	check_err(process_wait(h, &code), 0, "wait_server");
	check(code == 0, "server_exit_code", code);
	check(!uring_reap(&rt.ring, &stray), "no_other_completions", (long long)stray.user_data);
	cap_release(h);
	cap_release(side_ep);
	return check_done();
}
