// SPDX-License-Identifier: MIT
/* The simulated endpoint kernel (sim_endpoint.h). */
#include <stdbool.h>
#include <string.h>

#include <capos/errors.h>

#include "sim_endpoint.h"
#include "uring.h"

struct sim sim;

static struct capos_ring_header *sim_hdr(void)
{
	return (struct capos_ring_header *)sim.mem;
}

void sim_reset(void)
{
	struct capos_ring_header *h = sim_hdr();

	memset(&sim, 0, sizeof(sim));
	h->magic = CAPOS_RING_MAGIC;
	h->version = CAPOS_RING_VERSION;
	h->size = CAPOS_RING_SIZE;
	h->sq_entries = CAPOS_RING_SQ_ENTRIES;
	h->cq_entries = CAPOS_RING_CQ_ENTRIES;
	h->sq_mask = CAPOS_RING_SQ_ENTRIES - 1;
	h->cq_mask = CAPOS_RING_CQ_ENTRIES - 1;
	h->sq_offset = CAPOS_RING_SQ_OFFSET;
	h->cq_offset = CAPOS_RING_CQ_OFFSET;
}

uint64_t sim_ring_addr(void)
{
	return (uint64_t)(uintptr_t)sim.mem;
}

struct sim_call *sim_queue_call(uint16_t method, uint64_t iface, const void *params,
				uint32_t len)
{
	struct sim_call *c = &sim.calls[sim.ncalls++];

	memset(c, 0, sizeof(*c));
	c->method = method;
	c->iface = iface;
	memcpy(c->params, params, len);
	c->params_len = len;
	return c;
}

static void sim_post(const struct capos_cqe *c)
{
	struct capos_cqe *cq = (struct capos_cqe *)(sim.mem + CAPOS_RING_CQ_OFFSET);

	cq[sim.cq_tail & (CAPOS_RING_CQ_ENTRIES - 1)] = *c;
	sim.cq_tail++;
	sim.posted++;
	capos_store_release_u32(&sim_hdr()->cq_tail, sim.cq_tail);
}

/* Posts the completion of s, unless it succeeded with SKIP_SUCCESS (as ring_dispatch). */
static void sim_complete(const struct capos_sqe *s, const struct capos_cqe *c)
{
	if (c->result >= 0 && (s->flags & CAPOS_SQE_F_SKIP_SUCCESS))
		sim.skipped++;
	else
		sim_post(c);
}

/* Delivers the next queued call to RECV s, if there is one. */
static void sim_deliver(const struct capos_sqe *s)
{
	struct sim_call *k = &sim.calls[sim.next_call];
	uint8_t *buf = (uint8_t *)(uintptr_t)s->result_addr;
	struct capos_recv_header h = { 0 };
	struct capos_cqe c = { .user_data = s->user_data, .opcode = CAPOS_OP_RECV };
	uint32_t rec = (64 + k->params_len + 7u) & ~7u;

	sim.have_pending_recv = 0;
	sim.next_call++;
	if (k->recv_result) {
		c.result = k->recv_result;
		sim_post(&c);
		return;
	}
	sim.open[sim.next_call - 1] = 1;
	h.call_id = 100 + sim.next_call;
	h.method_id = k->method;
	h.interface_id = k->iface;
	h.params_len = k->params_len;
	h.xfer_count = k->ncaps;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + 64, k->params, k->params_len);
	memcpy(buf + rec, k->caps, k->ncaps * sizeof(k->caps[0]));
	c.call_id = h.call_id;
	c.written = 64 + k->params_len + (k->bad_written ? 8 : 0);
	c.result = (int32_t)c.written;
	c.xfer_count = k->ncaps;
	c.flags = k->ncaps ? CAPOS_CQE_F_XFER : 0;
	sim_post(&c);
}

/* Whether call_id names a call delivered and not answered yet. */
static bool sim_is_open(uint32_t call_id)
{
	return call_id > 100 && call_id - 101 < sim.next_call && sim.open[call_id - 101];
}

/* The answer of RETURN or RECV | REPLY s: recorded, and its result. */
static int sim_answer(const struct capos_sqe *s)
{
	struct sim_return *r = &sim.returns[sim.nreturns++];
	int result = sim.return_result;

	r->opcode = s->opcode;
	r->call_id = s->call_id;
	r->flags = s->flags;
	r->len = s->params_len < sizeof(r->msg) ? s->params_len : sizeof(r->msg);
	memcpy(r->msg, (const void *)(uintptr_t)s->params_addr, r->len);
	r->nxfer = s->xfer_count;
	if (s->xfer_count)
		memcpy(r->xfer, (const void *)(uintptr_t)s->xfer_addr,
		       s->xfer_count * sizeof(r->xfer[0]));
	r->enter = sim.enters;
	if (sim.return_fail_every && sim.nreturns % sim.return_fail_every == 0)
		result = CAPOS_ERR_DISCONNECTED;
	if (!sim_is_open(s->call_id))
		result = CAPOS_ERR_NO_SUCH_CALL;
	/* Answered, or its caller gone: the call is over either way. */
	if (result == 0 || result == CAPOS_ERR_DISCONNECTED)
		sim.open[s->call_id - 101] = 0;
	r->result = result;
	return result;
}

static void sim_return(const struct capos_sqe *s)
{
	struct capos_cqe c = { .user_data = s->user_data, .opcode = CAPOS_OP_RETURN };

	c.result = sim_answer(s);
	sim_complete(s, &c);
}

/* RECV, or RECV | REPLY: the answer first; if it fails, nothing is received. */
static void sim_recv(const struct capos_sqe *s)
{
	struct capos_cqe c = { .user_data = s->user_data, .opcode = CAPOS_OP_RECV };

	if (s->flags & CAPOS_SQE_F_REPLY) {
		c.result = sim_answer(s);
		if (c.result < 0) {
			c.flags = CAPOS_CQE_F_REPLY_FAILED;
			sim_post(&c);
			return;
		}
	}
	sim.recvs++;
	sim.recv_flags = s->flags;
	sim.pending_recv = *s;
	sim.have_pending_recv = 1;
}

static void sim_consume(const struct capos_sqe *s)
{
	struct capos_cqe c = { .user_data = s->user_data, .opcode = s->opcode };

	if (s->opcode > CAPOS_OP_RELEASE) {
		c.result = CAPOS_ERR_INVALID_OPCODE;
		sim_post(&c);
		return;
	}
	if (!capos_sqe_flags_ok(s->opcode, s->flags)) {
		c.result = CAPOS_ERR_INVALID_FLAGS;
		sim_post(&c);
		return;
	}
	switch (s->opcode) {
	case CAPOS_OP_NOP:
		sim_complete(s, &c);
		break;
	case CAPOS_OP_RECV:
		sim_recv(s);
		break;
	case CAPOS_OP_RETURN:
		sim_return(s);
		break;
	case CAPOS_OP_RELEASE:
		sim.released[sim.nreleased++] = s->cap_id;
		c.result = sim.release_result;
		sim_complete(s, &c);
		break;
	default:	/* CALL: not simulated */
		c.result = CAPOS_ERR_INVALID_OPCODE;
		sim_post(&c);
	}
}

int64_t uring_sys_enter(uint32_t min_complete, uint64_t timeout_ns)
{
	struct capos_sqe *sq = (struct capos_sqe *)(sim.mem + CAPOS_RING_SQ_OFFSET);
	uint32_t tail = capos_load_acquire_u32(&sim_hdr()->sq_tail), avail;
	struct capos_cqe f = { 0 };

	(void)timeout_ns;
	sim.enters++;
	for (; sim.sq_head != tail; sim.sq_head++)
		sim_consume(&sq[sim.sq_head & (CAPOS_RING_SQ_ENTRIES - 1)]);
	capos_store_release_u32(&sim_hdr()->sq_head, sim.sq_head);
	if (sim.foreign_ud) {
		f.user_data = sim.foreign_ud;
		sim.foreign_ud = 0;
		sim_post(&f);
	}
	if (sim.have_pending_recv && sim.next_call < sim.ncalls)
		sim_deliver(&sim.pending_recv);
	avail = sim.cq_tail - capos_load_acquire_u32(&sim_hdr()->cq_head);
	return avail < min_complete ? CAPOS_ERR_TIMED_OUT : (int64_t)avail;
}
