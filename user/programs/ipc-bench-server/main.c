// SPDX-License-Identifier: MIT
/*
 * ipc-bench-server: the server half of the IPC benchmark, as bare as a
 * server can be, so ipc_call_rtt measures the IPC path rather than message
 * decoding (like seL4's Call + ReplyRecv benchmark). It serves the Echo
 * interface on its "service" endpoint without decoding anything: every call
 * is answered with its own params message (Echo.echo's params and results
 * have the same layout), capabilities received are sent back (copied) and
 * then released, and Echo.stop ends the loop. Each answer, its release and
 * the next RECV go to the kernel in one cap_enter; the answer and the
 * release post a CQE only if they fail (CAPOS_SQE_F_SKIP_SUCCESS), so that
 * cap_enter returns when the next call arrives, as seL4's ReplyRecv does.
 */
#include <capos/endpoint.h>
#include <capos/interfaces.h>

#include "echo.capnp.h"
#include "rt.h"

#define RECV_BYTES 512

static uint64_t recv_buf[RECV_BYTES / 8];

static void queue_recv(capos_cap_t ep)
{
	struct capos_sqe *s = uring_get_sqe(&rt.ring);

	s->opcode = CAPOS_OP_RECV;
	s->cap_id = ep;
	s->result_addr = (uint64_t)(uintptr_t)recv_buf;
	s->result_len = sizeof(recv_buf);
	s->user_data = 1;
}

/* Answers the call in recv_buf with its own params; returns the cap to release, if any. */
static capos_cap_t queue_answer(capos_cap_t ep, const struct capos_cqe *c, struct capos_xfer *x)
{
	const struct capos_recv_header *h = (const void *)recv_buf;
	struct capos_sqe *s = uring_get_sqe(&rt.ring);
	capos_cap_t got = CAPOS_CAP_INVALID;

	s->opcode = CAPOS_OP_RETURN;
	s->flags = CAPOS_SQE_F_SKIP_SUCCESS;
	s->cap_id = ep;
	s->call_id = c->call_id;
	s->params_addr = (uint64_t)(uintptr_t)(recv_buf + sizeof(*h) / 8);
	s->params_len = h->params_len;
	s->user_data = 2;
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
	struct capos_xfer x;
	struct capos_cqe c;

	queue_recv(ep);
	for (;;) {
		if (uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE) < 0)
			return 1;
		while (uring_reap(&rt.ring, &c)) {
			if (c.result < 0)
				return 1;	/* a failed RECV, RETURN or RELEASE */
			bool stop = ((const struct capos_recv_header *)recv_buf)->method_id ==
				    echo_Echo_stop;
			capos_cap_t got = queue_answer(ep, &c, &x);
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
			queue_recv(ep);
		}
	}
}
