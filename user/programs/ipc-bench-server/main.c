// SPDX-License-Identifier: MIT
/*
 * ipc-bench-server: the server half of the IPC benchmark, as bare as a
 * server can be, so ipc_call_rtt measures the IPC path rather than message
 * decoding (like seL4's Call + ReplyRecv benchmark). It serves the Echo
 * interface on its "service" endpoint without decoding anything: every call
 * is answered with its own params message (Echo.echo's params and results
 * have the same layout), capabilities received are sent back (copied) and
 * then released, and Echo.stop ends the loop. Each answer and the next
 * receive are one SQE, RECV | REPLY (seL4's ReplyRecv), followed by the
 * release if there is one (CAPOS_SQE_F_SKIP_SUCCESS: a CQE only if it
 * fails), so the server's one cap_enter per call returns when the next call
 * arrives.
 */
#include <capos/endpoint.h>
#include <capos/interfaces.h>

#include "echo.capnp.h"
#include "rt.h"

#define RECV_BYTES 512

static uint64_t recv_buf[RECV_BYTES / 8];

/* The first RECV: nothing to answer yet. */
static void queue_recv(capos_cap_t ep)
{
	struct capos_sqe *s = uring_get_sqe(&rt.ring);

	s->opcode = CAPOS_OP_RECV;
	s->cap_id = ep;
	s->result_addr = (uint64_t)(uintptr_t)recv_buf;
	s->result_len = sizeof(recv_buf);
	s->user_data = 1;
}

/*
 * Answers the call in recv_buf with its own params: as RECV | REPLY, which
 * also receives the next call into recv_buf, or, for the last call, as a
 * plain RETURN. Returns the capability to release after the answer, if any.
 */
static capos_cap_t queue_answer(capos_cap_t ep, const struct capos_cqe *c, struct capos_xfer *x,
				bool last)
{
	const struct capos_recv_header *h = (const void *)recv_buf;
	struct capos_sqe *s = uring_get_sqe(&rt.ring);
	capos_cap_t got = CAPOS_CAP_INVALID;

	if (last) {
		s->opcode = CAPOS_OP_RETURN;
		s->flags = CAPOS_SQE_F_SKIP_SUCCESS;
		s->user_data = 2;
	} else {
		s->opcode = CAPOS_OP_RECV;
		s->flags = CAPOS_SQE_F_REPLY;
		s->result_addr = (uint64_t)(uintptr_t)recv_buf;
		s->result_len = sizeof(recv_buf);
		s->user_data = 1;
	}
	s->cap_id = ep;
	s->call_id = c->call_id;
	s->params_addr = (uint64_t)(uintptr_t)(recv_buf + sizeof(*h) / 8);
	s->params_len = h->params_len;
	if (h->xfer_count == 1) {
		got = ((const struct capos_xfer_result *)((const uint8_t *)recv_buf +
							  ((c->written + 7u) & ~7u)))->cap_id;
		*x = (struct capos_xfer){ .cap_id = got, .mode = CAPOS_XFER_COPY };
		s->xfer_addr = (uint64_t)(uintptr_t)x;
		s->xfer_count = 1;
	}
	return got;
}

int main(void)
{
	capos_cap_t ep = rt_cap("service", CAPOS_IFACE_ENDPOINT);
	const struct capos_cqe *c;
	struct capos_xfer x;

	queue_recv(ep);
	for (;;) {
		if (uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE) < 0)
			return 1;
		/* The server owns its ring: completions are read in place. */
		while ((c = uring_peek_cqe(&rt.ring)) != NULL) {
			if (c->result < 0)
				return 1;	/* a failed RECV, answer or RELEASE */
			bool stop = ((const struct capos_recv_header *)recv_buf)->method_id ==
				    echo_Echo_stop;
			capos_cap_t got = queue_answer(ep, c, &x, stop);

			uring_cqe_seen(&rt.ring);
			if (got != CAPOS_CAP_INVALID) {
				struct capos_sqe *s = uring_get_sqe(&rt.ring);

				s->opcode = CAPOS_OP_RELEASE;
				s->flags = CAPOS_SQE_F_SKIP_SUCCESS;
				s->cap_id = got;
				s->user_data = 3;
			}
			if (stop) {
				uring_enter(&rt.ring, 0, 0);
				return 0;
			}
		}
	}
}
