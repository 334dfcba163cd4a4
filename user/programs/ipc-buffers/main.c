// SPDX-License-Identifier: MIT
/*
 * ipc-buffers (QEMU scenario ipc-buffers): IPC messages copied straight from
 * one address space into another, with buffers that cross a page boundary or
 * run into an unmapped page. The program runs twice: as init it is the
 * client, and it spawns itself as "ipc-buffers-server" with a new endpoint
 * (granted as "service"), a Console and a spare Console copy. Both sides use
 * raw SQEs, so every buffer is chosen here. Messages are plain bytes (the
 * kernel does not read IPC messages), each a pattern named by a tag.
 *
 * Checked, in this order of calls:
 *   1. header and params of a RECV land byte-exact in two pages; an answer
 *      lands byte-exact in a caller's result buffer across two pages; RETURNs
 *      whose answer is unmapped or runs into an unmapped page fail
 *      BAD_ADDRESS and leave the call open, so a later RETURN answers it.
 *   2. CALLs whose params are unmapped or run into an unmapped page fail
 *      BAD_ADDRESS while the server's RECV waits; that RECV (header split
 *      across two pages) then gets the next good call, params read across
 *      two of the caller's pages.
 *   3. an answer read across two of the server's pages; RECV in one page.
 *   4. bad RETURNs into a result buffer within one page; a bad CALL while a
 *      one-page RECV waits.
 *   SKIP_SUCCESS throughout: every good answer is a RETURN with the flag in
 *   the same cap_enter(min_complete = 1) as the next RECV, which must return
 *   with the RECV's CQE alone; a failing RETURN and a failing RELEASE with
 *   the flag still post theirs, a good RELEASE posts nothing.
 * The server prints its own PASS/FAIL lines and exits 0 only if all held.
 */
#include "check.h"
#include "echo.capnp.h"
#include "pattern.h"
#include "rt.h"

#define PAGE		4096u
#define HDR		((uint32_t)sizeof(struct capos_recv_header))
#define UNMAPPED	0x10000000000ull	/* never mapped (between image and heap) */
#define IFACE		echo_Echo_TYPE_ID	/* served interface: only a label here */

enum { M_ONE = 1, M_THREE = 3, M_FOUR = 4, M_BAD = 7, M_STOP = 9 };

/* Three pages, so a buffer can cross from the first to the second and on. */
static uint8_t pages[3 * PAGE] __attribute__((aligned(PAGE)));
static uint64_t one_page[128] __attribute__((aligned(1024)));	/* within one page */
static uint64_t answer[16];

/* The heap's end: mapped below it, never above (capos/layout.h). */
static uint64_t heap_end(void)
{
	uint64_t end = uaddr_of(rt.heap.base) + rt.heap.size;

	check(end % PAGE == 0, "heap_end_is_a_page_boundary", (long long)end);
	return end;
}

/* ---- server ----------------------------------------------------------------------------- */

static capos_cap_t own;

/* A RETURN (or RELEASE) run alone; the result of its CQE. */
static int s_return(uint32_t id, uint64_t msg, uint32_t len, uint16_t flags)
{
	struct capos_sqe s = { .opcode = CAPOS_OP_RETURN, .cap_id = own, .call_id = id,
			       .params_addr = msg, .params_len = len, .flags = flags };

	return uring_run(&rt.ring, &s, NULL);
}

/*
 * RECV into buf[0..len) (filled with 0xee first), and when id is not 0,
 * RETURN of id with the answer msg[0..alen) and SKIP_SUCCESS behind it in
 * the same cap_enter(min_complete = 1). That enter must end with the RECV's
 * CQE as the only one: a posted RETURN would end it early.
 */
static struct capos_cqe s_next(uint8_t *buf, uint32_t len, uint32_t id, const void *msg,
			       uint32_t alen, const char *name)
{
	uint64_t rid = uring_next_id(&rt.ring), other = 0;
	struct capos_sqe *s;
	struct capos_cqe c, got = { .result = 1 };
	bool found = false;

	memset(buf, 0xee, len);
	s = uring_get_sqe(&rt.ring);
	*s = (struct capos_sqe){ .opcode = CAPOS_OP_RECV, .cap_id = own, .user_data = rid,
				 .result_addr = uaddr_of(buf), .result_len = len };
	if (id) {
		s = uring_get_sqe(&rt.ring);
		*s = (struct capos_sqe){ .opcode = CAPOS_OP_RETURN, .cap_id = own, .call_id = id,
					 .user_data = uring_next_id(&rt.ring),
					 .flags = CAPOS_SQE_F_SKIP_SUCCESS,
					 .params_addr = uaddr_of(msg), .params_len = alen };
	}
	uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE);
	for (;;) {
		while (uring_reap(&rt.ring, &c)) {
			if (c.user_data == rid && !found)
				got = c, found = true;
			else
				other++;
		}
		if (found)
			break;
		uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE);
	}
	if (id)
		check(other == 0, name, (long long)other);
	return got;
}

/* The RECV CQE c at buf is call `method` with params pattern tag[0..len), nothing after. */
static bool s_got(const struct capos_cqe *c, const uint8_t *buf, uint16_t method, uint32_t tag,
		  uint32_t len)
{
	struct capos_recv_header h;

	memcpy(&h, buf, sizeof(h));
	return c->result == (int32_t)(HDR + len) && c->written == HDR + len && c->call_id &&
	       h.call_id == c->call_id && h.method_id == method && h.params_len == len &&
	       h.interface_id == IFACE && h.xfer_count == 0 && pattern_same(buf + HDR, tag, len) &&
	       buf[HDR + len] == 0xee;
}

/* RELEASE with SKIP_SUCCESS: nothing posted when it works, its error when not. */
static void s_release_skip(void)
{
	capos_cap_t spare = rt_cap("spare", CAPOS_IFACE_CONSOLE);
	struct capos_sqe rel = { .opcode = CAPOS_OP_RELEASE, .cap_id = spare,
				 .flags = CAPOS_SQE_F_SKIP_SUCCESS };
	struct capos_sqe *s;
	struct capos_cqe c;
	uint64_t nop = uring_next_id(&rt.ring);
	int n = 0, nop_seen = 0;

	s = uring_get_sqe(&rt.ring);
	*s = rel;
	s->user_data = uring_next_id(&rt.ring);
	s = uring_get_sqe(&rt.ring);
	*s = (struct capos_sqe){ .opcode = CAPOS_OP_NOP, .user_data = nop };
	uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE);
	while (uring_reap(&rt.ring, &c)) {
		n++;
		nop_seen += c.user_data == nop;
	}
	check(spare != CAPOS_CAP_INVALID && n == 1 && nop_seen == 1,
	      "release_with_skip_success_posts_nothing", n);
	check_err(cap_release(spare), CAPOS_ERR_STALE_CAP, "skipped_release_did_release");
	check_err(uring_run(&rt.ring, &rel, NULL), CAPOS_ERR_STALE_CAP,
		  "failed_release_with_skip_success_still_posts");
}

static int server(void)
{
	uint8_t *p1 = pages + PAGE, *p2 = pages + 2 * PAGE;
	uint64_t edge = heap_end();
	struct capos_cqe c;
	uint32_t id;

	/* 1: header in one page, params in the next. */
	c = s_next(p1 - HDR, HDR + 128, 0, NULL, 0, NULL);
	check(s_got(&c, p1 - HDR, M_ONE, 1, 40), "recv_header_and_params_in_two_pages", c.result);
	id = c.call_id;
	pattern_fill(answer, 101, 40);
	check_err(s_return(id, UNMAPPED, 40, 0), CAPOS_ERR_BAD_ADDRESS,
		  "return_of_unmapped_answer_fails");
	check_err(s_return(id, edge - 16, 40, 0), CAPOS_ERR_BAD_ADDRESS,
		  "return_of_answer_into_unmapped_page_fails");
	check_err(s_return(id, edge - 16, 40, CAPOS_SQE_F_SKIP_SUCCESS), CAPOS_ERR_BAD_ADDRESS,
		  "bad_return_with_skip_success_still_posts");
	/* 2: the call is still open; the RECV waits through the client's bad calls. */
	c = s_next(p1 - 24, HDR + 128, id, answer, 40, "return_skip_success_posts_nothing");
	check(s_got(&c, p1 - 24, M_THREE, 3, 48), "waiting_recv_gets_the_call_after_bad_ones",
	      c.result);
	id = c.call_id;
	check_err(s_return(id + 1000, uaddr_of(answer), 8, CAPOS_SQE_F_SKIP_SUCCESS),
		  CAPOS_ERR_NO_SUCH_CALL, "failed_return_with_skip_success_still_posts");
	s_release_skip();
	/* 3: the answer read across two of our pages. */
	pattern_fill(p2 - 24, 103, 48);
	c = s_next((uint8_t *)one_page, sizeof(one_page), id, p2 - 24, 48,
		   "return_skip_success_posts_nothing_2");
	check(s_got(&c, (uint8_t *)one_page, M_FOUR, 4, 32), "recv_in_one_page", c.result);
	id = c.call_id;
	/* 4: bad answers for a result buffer within one page. */
	check_err(s_return(id, UNMAPPED, 32, 0), CAPOS_ERR_BAD_ADDRESS,
		  "return_of_unmapped_answer_fails_one_page");
	check_err(s_return(id, edge - 8, 32, 0), CAPOS_ERR_BAD_ADDRESS,
		  "return_of_answer_into_unmapped_page_fails_one_page");
	pattern_fill(answer, 104, 32);
	c = s_next((uint8_t *)one_page, sizeof(one_page), id, answer, 32,
		   "return_skip_success_posts_nothing_3");
	check(s_got(&c, (uint8_t *)one_page, M_STOP, 5, 16),
	      "one_page_recv_waits_through_a_bad_call", c.result);
	pattern_fill(answer, 105, 16);
	check_err(s_return(c.call_id, uaddr_of(answer), 16, 0), 0, "last_return");
	return check_done();
}

/* ---- client ----------------------------------------------------------------------------- */

static uint64_t params[16];

static int c_call(capos_cap_t ep, uint16_t method, uint64_t p, uint32_t plen, uint64_t r,
		  uint32_t rlen, struct capos_cqe *cqe)
{
	struct capos_sqe s = { .opcode = CAPOS_OP_CALL, .cap_id = ep, .method_id = method,
			       .params_addr = p, .params_len = plen, .result_addr = r,
			       .result_len = rlen };

	*cqe = (struct capos_cqe){ .result = 1 };
	return uring_run(&rt.ring, &s, cqe);
}

/* The answer at buf is pattern tag[0..len), and the byte after it untouched. */
static bool c_got(int r, const struct capos_cqe *c, const uint8_t *buf, uint32_t tag,
		  uint32_t len)
{
	return r == (int)len && c->written == len && pattern_same(buf, tag, len) && buf[len] == 0xee;
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
	int err = spawner_spawn_ep(sp, "ipc-buffers-server", "ipc-buffers", g, 3, handle, facets);

	if (!err)
		*ep = facets[0];
	return err;
}

static void c_bad_calls(capos_cap_t ep, uint64_t edge, const char *name)
{
	struct capos_cqe c;

	check_err(c_call(ep, M_BAD, edge - 16, 64, uaddr_of(one_page), 256, &c),
		  CAPOS_ERR_BAD_ADDRESS, name);
	check_err(c_call(ep, M_BAD, UNMAPPED, 64, uaddr_of(one_page), 256, &c),
		  CAPOS_ERR_BAD_ADDRESS, "call_with_unmapped_params_fails");
}

static int client(void)
{
	uint8_t *p1 = pages + PAGE, *res = (uint8_t *)one_page;
	uint64_t edge = heap_end();
	capos_cap_t h = CAPOS_CAP_INVALID, ep = CAPOS_CAP_INVALID;
	struct capos_cqe c;
	int64_t code = -1;
	int r;

	if (!check_err(spawn_server(&h, &ep), 0, "spawn_server"))
		return check_done();
	/* 1: params from one page, the answer across two. */
	pattern_fill(params, 1, 40);
	memset(pages, 0xee, sizeof(pages));
	r = c_call(ep, M_ONE, uaddr_of(params), 40, uaddr_of(p1 - 16), 64, &c);
	check(c_got(r, &c, p1 - 16, 101, 40), "answer_in_two_pages_of_the_caller", r);
	/* 2: the server's RECV is waiting (it was queued before our answer). */
	c_bad_calls(ep, edge, "call_with_params_into_unmapped_page_fails");
	pattern_fill(p1 - 24, 3, 48);
	memset(res, 0xee, sizeof(one_page));
	r = c_call(ep, M_THREE, uaddr_of(p1 - 24), 48, uaddr_of(res), 256, &c);
	check(c_got(r, &c, res, 103, 48), "answer_read_from_two_pages_of_the_server", r);
	/* 3 and 4. */
	pattern_fill(params, 4, 32);
	memset(res, 0xee, sizeof(one_page));
	r = c_call(ep, M_FOUR, uaddr_of(params), 32, uaddr_of(res), 256, &c);
	check(c_got(r, &c, res, 104, 32), "answer_after_bad_returns_in_one_page", r);
	c_bad_calls(ep, edge, "call_with_params_into_unmapped_page_fails_2");
	pattern_fill(params, 5, 16);
	memset(res, 0xee, sizeof(one_page));
	r = c_call(ep, M_STOP, uaddr_of(params), 16, uaddr_of(res), 256, &c);
	check(c_got(r, &c, res, 105, 16), "last_answer", r);
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
		check_init("ipc-buffers-server");
		return server();
	}
	check_init("ipc-buffers");
	return client();
}
