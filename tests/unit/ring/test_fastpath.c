// SPDX-License-Identifier: MIT
/*
 * Tests of kernel/ipc/fastpath.c against its contract (fastpath.h): a batch
 * the fast path completes ends exactly as ring_consume ends it, and a batch
 * it declines leaves nothing visible changed. It takes every batch of its
 * shapes whose SQEs pass validation and lookup, whatever the endpoint then
 * says (it runs the same endpoint operations), and declines the rest.
 *
 * Every case builds a world (a client and a server process, two endpoints,
 * a few capabilities, fake user memory) up to the moment the batch sits in
 * one process's SQ, and runs it twice on fresh worlds:
 *   F: ipc_fastpath; if it declines, the state must be byte for byte what
 *      it was (both ring regions, the private ring fields, user memory,
 *      capability lookups and references, peer references), and then
 *      ring_consume does the work as cap_enter would;
 *   G: ring_consume alone, the general path.
 * F and G must then agree on everything: both rings (every CQE field),
 * every byte of user memory (receive and result buffers), references, and
 * the peer whose waiter the batch satisfied (both call ring_wake; a
 * declined batch must not have called it). A probe of general-path traffic
 * follows (new calls and receives on both endpoints, RETURNs of call ids
 * 1-6) so that the endpoints' queues, waiting receives and call ids must
 * agree too, and the worlds must free everything they allocated. The fake
 * address space is flat, but buffer claims take a window only up to the
 * next page boundary, so a message that crosses one is a case too. Each case also states
 * the general path's first CQE on each ring, so that it is known to test
 * the condition it names.
 */
#include <capos/endpoint.h>
#include <capos/errors.h>

#include "cap/forward.h"
#include "fake.h"
#include "ipc/endpoint.h"
#include "ipc/fastpath.h"
#include "kstub.h"
#include "test.h"

#define PAGE		CAPOS_PAGE_SIZE
#define REGION_LEN	(2 * PAGE)
#define C_PARAMS	0x10000000ull	/* the client's params, read-only */
#define C_RESULT	0x11000000ull	/* the client's result buffers */
#define S_RECV		0x12000000ull	/* the server's receive buffers */
#define S_PARAMS	0x13000000ull	/* the server's answers, read-only */
#define RONLY		0x14000000ull	/* read-only */
#define UNMAPPED	0x15000000ull
#define XFER_OFF	1024u		/* a capos_xfer record in each params region */

#define PARAMS_LEN	24u
#define ANSWER_LEN	40u
#define RECV_LEN(params) ((int32_t)(sizeof(struct capos_recv_header) + (params)))
#define NO_CQE		INT32_MIN	/* the step posted no CQE on that ring */

enum { CLI, SRV };

static const struct {
	uint64_t base;
	uint32_t prot;
	const char *name;
} regions[] = {
	{ C_PARAMS, AS_PROT_READ, "client params" },
	{ C_RESULT, AS_PROT_READ | AS_PROT_WRITE, "client result" },
	{ S_RECV, AS_PROT_READ | AS_PROT_WRITE, "server receive" },
	{ S_PARAMS, AS_PROT_READ, "server params" },
	{ RONLY, AS_PROT_READ, "read-only" },
};
#define NREGIONS (sizeof(regions) / sizeof(regions[0]))

static struct world {
	struct fake_proc cli, srv;
	struct fake_obj obj;
	/* in the client's table */
	capos_cap_t facet, facet_none, facet_stale, facet2, cli_owner, obj_cap;
	capos_cap_t facet_fwd, facet_revoked;	/* revocable copies of facet, one revoked */
	struct revoke_set *set, *set_revoked;	/* their Revokers' references */
	/* in the server's table */
	capos_cap_t owner, owner2, owner_stale, srv_facet;
	uint32_t call_id;	/* the call the server received (call_received) */
} W;

static void must(int err)
{
	if (err)
		abort();
}

static void put_xfer(uint64_t uaddr, capos_cap_t cap)
{
	struct capos_xfer x = { .cap_id = cap, .mode = CAPOS_XFER_COPY };

	memcpy(fake_mem_ptr(uaddr, sizeof(x)), &x, sizeof(x));
}

static void world_init(void)
{
	struct kobj *owner, *client, *owner2, *client2;
	size_t i;

	fake_mem_reset();
	for (i = 0; i < NREGIONS; i++) {
		uint8_t *m = fake_mem_map(regions[i].base, REGION_LEN, regions[i].prot);

		/* Params carry a pattern; buffers start dirty, so padding shows. */
		for (uint32_t k = 0; k < REGION_LEN; k++)
			m[k] = regions[i].prot & AS_PROT_WRITE ? 0xcc : (uint8_t)(k * 7 + i);
	}
	memset(&W, 0, sizeof(W));
	fake_proc_init(&W.cli);
	fake_proc_init(&W.srv);
	fake_obj_init(&W.obj);
	must(ipc_endpoint_create(0xfeed, NULL, &owner, &client));
	must(ipc_endpoint_create(0xbeef, NULL, &owner2, &client2));
	must(cap_table_insert(&W.srv.caps, owner, CAP_RIGHTS_ALL, &W.owner));
	must(cap_table_insert(&W.srv.caps, owner2, CAP_RIGHTS_ALL, &W.owner2));
	must(cap_table_insert(&W.cli.caps, client, CAP_RIGHT_CALL | CAP_RIGHT_TRANSFER, &W.facet));
	must(cap_table_insert(&W.cli.caps, client2, CAP_RIGHT_CALL, &W.facet2));
	kobj_get(client);
	must(cap_table_insert(&W.cli.caps, client, CAP_RIGHT_TRANSFER, &W.facet_none));
	kobj_get(client);
	must(cap_table_insert(&W.cli.caps, client, CAP_RIGHTS_ALL, &W.facet_stale));
	must(cap_table_remove(&W.cli.caps, W.facet_stale));
	kobj_get(client);
	must(cap_table_insert(&W.srv.caps, client, CAP_RIGHTS_ALL, &W.srv_facet));
	kobj_get(owner);
	must(cap_table_insert(&W.srv.caps, owner, CAP_RIGHTS_ALL, &W.owner_stale));
	must(cap_table_remove(&W.srv.caps, W.owner_stale));
	kobj_get(owner);
	must(cap_table_insert(&W.cli.caps, owner, CAP_RIGHTS_ALL, &W.cli_owner));
	must(cap_table_insert(&W.cli.caps, &W.obj.k, CAP_RIGHT_CALL, &W.obj_cap));
	W.set = revoke_set_create();
	W.set_revoked = revoke_set_create();
	struct kobj *fwd;
	must(fwd_create(W.set, client, &fwd) == FWD_OK ? 0 : -1);
	must(cap_table_insert(&W.cli.caps, fwd, CAP_RIGHT_CALL | CAP_RIGHT_TRANSFER, &W.facet_fwd));
	must(fwd_create(W.set_revoked, client, &fwd) == FWD_OK ? 0 : -1);
	must(cap_table_insert(&W.cli.caps, fwd, CAP_RIGHT_CALL, &W.facet_revoked));
	revoke_set_revoke(W.set_revoked);
	put_xfer(C_PARAMS + XFER_OFF, W.facet);
	put_xfer(S_PARAMS + XFER_OFF, W.srv_facet);
}

static void world_fini(void)
{
	fake_proc_fini(&W.cli);
	fake_proc_fini(&W.srv);
	revoke_set_put(W.set);		/* the tables held the last forwarders */
	revoke_set_put(W.set_revoked);
	fake_mem_reset();
}

static struct fake_proc *proc(int who)
{
	return who == CLI ? &W.cli : &W.srv;
}

static void submit(struct fake_proc *p, struct capos_sqe s)
{
	fake_submit(p, &s);
}

static void consume(struct fake_proc *p)
{
	(void)ring_consume(&p->ring, &p->caller, CAPOS_RING_SQ_ENTRIES);
}

static void reap_all(struct fake_proc *p)
{
	struct capos_cqe cqe;

	while (fake_reap(p, &cqe) == 0)
		;
}

/* ---- the SQEs of a round trip ---------------------------------------------------------- */

static struct capos_sqe call_sqe(capos_cap_t cap, uint64_t user_data)
{
	return (struct capos_sqe){ .opcode = CAPOS_OP_CALL, .cap_id = cap, .user_data = user_data,
				   .method_id = 9, .params_addr = C_PARAMS,
				   .params_len = PARAMS_LEN, .result_addr = C_RESULT,
				   .result_len = 256 };
}

static struct capos_sqe recv_sqe(capos_cap_t cap, uint64_t user_data)
{
	return (struct capos_sqe){ .opcode = CAPOS_OP_RECV, .cap_id = cap, .user_data = user_data,
				   .result_addr = S_RECV, .result_len = 256 };
}

/* The answer of the fast path's two-SQE batch: RETURN | SKIP_SUCCESS. */
static struct capos_sqe return_sqe(capos_cap_t cap, uint32_t id)
{
	return (struct capos_sqe){ .opcode = CAPOS_OP_RETURN, .cap_id = cap, .user_data = 0x7e,
				   .flags = CAPOS_SQE_F_SKIP_SUCCESS, .call_id = id,
				   .params_addr = S_PARAMS, .params_len = ANSWER_LEN };
}

static struct capos_sqe reply_recv_sqe(capos_cap_t cap, uint32_t id)
{
	struct capos_sqe s = recv_sqe(cap, 0x7f);

	s.flags = CAPOS_SQE_F_REPLY;
	s.call_id = id;
	s.params_addr = S_PARAMS;
	s.params_len = ANSWER_LEN;
	return s;
}

/* ---- where a batch starts ---------------------------------------------------------------- */

static void st_none(void)
{
}

/* The server's RECV (buffer `s`) waits on the endpoint; `wait`: the server sleeps in cap_enter. */
static void recv_waiting_with(struct capos_sqe s, bool wait)
{
	submit(&W.srv, s);
	consume(&W.srv);
	if (wait && !ring_wait_prepare(&W.srv.ring, 1, NULL))
		abort();
}

static void st_recv_waiting(void)
{
	recv_waiting_with(recv_sqe(W.owner, 0x51), true);
}

static void st_recv_waiting_quiet(void)
{
	recv_waiting_with(recv_sqe(W.owner, 0x51), false);
}

/* Room for the header only. */
static void st_recv_small(void)
{
	struct capos_sqe s = recv_sqe(W.owner, 0x51);

	s.result_len = sizeof(struct capos_recv_header);
	recv_waiting_with(s, true);
}

/* 32 bytes before a page boundary: the message crosses it. */
static void st_recv_page_end(void)
{
	struct capos_sqe s = recv_sqe(W.owner, 0x51);

	s.result_addr = S_RECV + PAGE - 32;
	recv_waiting_with(s, true);
}

/* The owner side is gone while its RECV waited: the endpoint is dead. */
static void st_owner_gone(void)
{
	st_recv_waiting();
	must(cap_table_remove(&W.srv.caps, W.owner));
	must(cap_table_remove(&W.cli.caps, W.cli_owner));
}

/* The server received the client's `call` (its id in W.call_id); `wait`: the client sleeps. */
static void call_received_with(struct capos_sqe call, bool wait)
{
	struct capos_sqe r = recv_sqe(W.owner, 0x50);
	struct capos_cqe cqe;

	submit(&W.cli, call);
	consume(&W.cli);
	r.result_addr = S_RECV + 512;
	submit(&W.srv, r);
	consume(&W.srv);
	if (fake_reap(&W.srv, &cqe) || cqe.result < 0)
		abort();
	W.call_id = cqe.call_id;
	if (wait && !ring_wait_prepare(&W.cli.ring, 1, NULL))
		abort();
}

static void st_call_received(void)
{
	call_received_with(call_sqe(W.facet, 0xc1), true);
}

static void st_call_received_quiet(void)
{
	call_received_with(call_sqe(W.facet, 0xc1), false);
}

static void st_call_small_result(void)
{
	struct capos_sqe s = call_sqe(W.facet, 0xc1);

	s.result_len = 16;
	call_received_with(s, true);
}

/* 16 bytes before a page boundary: the answer crosses it. */
static void st_call_result_page_end(void)
{
	struct capos_sqe s = call_sqe(W.facet, 0xc1);

	s.result_addr = C_RESULT + PAGE - 16;
	call_received_with(s, true);
}

static void st_call_no_result(void)
{
	struct capos_sqe s = call_sqe(W.facet, 0xc1);

	s.result_addr = 0;
	s.result_len = 0;
	call_received_with(s, true);
}

/* ---- what a case changes in the batch, or in the world just before it -------------------- */

struct batch {
	struct capos_sqe s[2];
	uint32_t n;		/* SQEs of the batch, offered to ipc_fastpath */
	bool extra_nop;		/* a NOP follows in the SQ (the SQ holds n + 1) */
	struct fake_proc *actor;
};

/* Fills p's CQ with unreaped NOP completions until `used` are there. */
static void fill_cq(struct fake_proc *p, uint32_t used)
{
	struct capos_ring_header *h = p->region;
	struct capos_sqe nop = { .opcode = CAPOS_OP_NOP, .user_data = 0x40 };

	while (p->ring.cq_tail - h->cq_head < used) {
		fake_submit(p, &nop);
		consume(p);
	}
}

/* The SQE that receives: the batch's last. */
static struct capos_sqe *rcv(struct batch *b)
{
	return &b->s[b->n - 1];
}

/* s[0] is the CALL, or the answer: the RETURN, or the RECV | REPLY with its RETURN fields. */
static void e_params_odd(struct batch *b) { b->s[0].params_len = 13; }
static void e_params_unmapped(struct batch *b) { b->s[0].params_addr = UNMAPPED; }
static void e_result_ronly(struct batch *b) { b->s[0].result_addr = RONLY; }
static void e_result_unmapped(struct batch *b) { b->s[0].result_addr = UNMAPPED; }
static void e_facet_stale(struct batch *b) { b->s[0].cap_id = W.facet_stale; }
static void e_facet_no_call(struct batch *b) { b->s[0].cap_id = W.facet_none; }
static void e_call_owner(struct batch *b) { b->s[0].cap_id = W.cli_owner; }
static void e_call_fwd(struct batch *b) { b->s[0].cap_id = W.facet_fwd; }
static void e_call_revoked(struct batch *b) { b->s[0].cap_id = W.facet_revoked; }
static void e_flags_skip(struct batch *b) { b->s[0].flags |= CAPOS_SQE_F_SKIP_SUCCESS; }
static void e_flags_exception(struct batch *b) { b->s[0].flags |= CAPOS_SQE_F_EXCEPTION; }
static void e_call_id(struct batch *b) { b->s[0].call_id = 5; }
static void e_method(struct batch *b) { b->s[0].method_id = 1; }
static void e_busy(struct batch *b) { b->actor->ring.consuming = 1; }
static void e_extra_nop(struct batch *b) { b->extra_nop = true; }
static void e_srv_dead(struct batch *b) { (void)b; ipc_peer_kill(W.srv.peer); }
static void e_cli_dead(struct batch *b) { (void)b; ipc_peer_kill(W.cli.peer); }
static void e_unknown_id(struct batch *b) { b->s[0].call_id = W.call_id + 7; }
static void e_recv_ronly(struct batch *b) { rcv(b)->result_addr = RONLY; }
static void e_recv_other_ep(struct batch *b) { b->s[1].cap_id = W.owner2; }
static void e_return_no_skip(struct batch *b) { b->s[0].flags = 0; }
static void e_recv_skip(struct batch *b) { b->s[1].flags = CAPOS_SQE_F_SKIP_SUCCESS; }

static void e_no_result(struct batch *b)
{
	b->s[0].result_addr = 0;
	b->s[0].result_len = 0;
}

static void e_params_none(struct batch *b)
{
	b->s[0].params_addr = 0;
	b->s[0].params_len = 0;
}

static void e_call_object(struct batch *b)
{
	b->s[0].cap_id = W.obj_cap;
	b->s[0].method_id = FAKE_M_ECHO;
}

static void e_call_xfer(struct batch *b)
{
	b->s[0].xfer_count = 1;
	b->s[0].xfer_addr = C_PARAMS + XFER_OFF;
}

static void e_answer_xfer(struct batch *b)
{
	b->s[0].xfer_count = 1;
	b->s[0].xfer_addr = S_PARAMS + XFER_OFF;
}

static void e_on_client_facet(struct batch *b)
{
	b->s[0].cap_id = rcv(b)->cap_id = W.srv_facet;
}

static void e_owner_stale(struct batch *b)
{
	b->s[0].cap_id = rcv(b)->cap_id = W.owner_stale;
}

static void e_recv_reply(struct batch *b)
{
	b->s[1].flags = CAPOS_SQE_F_REPLY;
	b->s[1].call_id = W.call_id;
}

static void e_nop_second(struct batch *b)
{
	b->s[1] = (struct capos_sqe){ .opcode = CAPOS_OP_NOP, .user_data = 0x99 };
}

/* The peer's CQ looks full to a poster: its user code moved cq_head back a whole CQ. */
static void e_peer_cq_rewound(struct batch *b)
{
	struct fake_proc *peer = b->actor == &W.cli ? &W.srv : &W.cli;
	struct capos_ring_header *h = peer->region;

	h->cq_head = h->cq_tail - CAPOS_RING_CQ_ENTRIES;
}

/* Credits: the CQ used + in_flight + n is one more than the CQ holds. */
static void e_credits_short(struct batch *b)
{
	fill_cq(b->actor, CAPOS_RING_CQ_ENTRIES + 1 - b->n - b->actor->ring.in_flight);
}

/* As above, with one of the client's calls (on the second endpoint) holding a credit. */
static void e_credits_short_in_flight(struct batch *b)
{
	submit(&W.cli, call_sqe(W.facet2, 0xc9));
	consume(&W.cli);
	if (W.cli.ring.in_flight != 1)
		abort();
	e_credits_short(b);
}

/* Another call waits for a RECV, so the batch's RECV would not wait. */
static void e_pending_call(struct batch *b)
{
	struct capos_sqe s = call_sqe(W.facet, 0xc3);

	(void)b;
	s.result_addr = C_RESULT + 512;
	submit(&W.cli, s);
	consume(&W.cli);
}

/* Another RECV of the server already waits on the endpoint (in its own slot). */
static void e_recv_slot_taken(struct batch *b)
{
	struct capos_sqe s = recv_sqe(W.owner, 0x53);

	(void)b;
	s.result_addr = S_RECV + 1024;
	submit(&W.srv, s);
	consume(&W.srv);
}

/* Every capability to the client facet is released: its call in flight is cancelled. */
static void e_cancelled(struct batch *b)
{
	(void)b;
	must(cap_table_remove(&W.cli.caps, W.facet));
	must(cap_table_remove(&W.cli.caps, W.facet_none));
	must(cap_table_remove(&W.cli.caps, W.facet_fwd));	/* the forwarder's reference */
	must(cap_table_remove(&W.srv.caps, W.srv_facet));
}

/* ---- one case, run on two worlds ----------------------------------------------------------- */

enum batch_kind {
	B_CALL,		/* (a) the client's CALL */
	B_REPLY_RECV,	/* (b) the server's RECV | REPLY */
	B_RETURN_RECV,	/* (c) the server's RETURN | SKIP_SUCCESS, RECV */
};

struct fp_case {
	const char *what;
	enum batch_kind kind;
	void (*stage)(void);
	void (*edit)(struct batch *b);
	bool taken;			/* ipc_fastpath completes it; else declines */
	int32_t want_cli, want_srv;	/* the general path's first CQE result on each ring */
};

static struct batch batch_build(const struct fp_case *c)
{
	struct batch b = { .n = c->kind == B_RETURN_RECV ? 2 : 1 };

	b.actor = c->kind == B_CALL ? &W.cli : &W.srv;
	if (c->kind == B_CALL) {
		b.s[0] = call_sqe(W.facet, 0xc2);
	} else if (c->kind == B_REPLY_RECV) {
		b.s[0] = reply_recv_sqe(W.owner, W.call_id);
	} else {
		b.s[0] = return_sqe(W.owner, W.call_id);
		b.s[1] = recv_sqe(W.owner, 0x52);
	}
	return b;
}

/* Everything a batch could change that the fake lets us see. */
enum { P_CONSUMING, P_SQ_HEAD, P_CQ_TAIL, P_IN_FLIGHT, P_CQ_OVERFLOW, P_FLAGS, P_WAIT_MIN, NPRIV };
static const char *const priv_names[NPRIV] = { "consuming", "sq_head", "cq_tail", "in_flight",
						"cq_overflow", "flags", "wait_min" };
#define NCAPS 10

struct snap {
	uint8_t ring[2][CAPOS_RING_SIZE];
	uint32_t priv[2][NPRIV];
	uint8_t mem[NREGIONS][REGION_LEN];
	int32_t cap_err[NCAPS];		/* lookup of each capability id of the world */
	uint32_t cap_refs[NCAPS];	/* and its object's references (without ours) */
	uint32_t cap_count[2];
	uint32_t peer_refs[2];
};

static void snap_take(struct snap *s)
{
	const struct { int who; capos_cap_t id; } caps[NCAPS] = {
		{ CLI, W.facet }, { CLI, W.facet_none }, { CLI, W.facet_stale }, { CLI, W.facet2 },
		{ CLI, W.cli_owner }, { CLI, W.obj_cap }, { SRV, W.owner }, { SRV, W.owner2 },
		{ SRV, W.owner_stale }, { SRV, W.srv_facet },
	};
	int i;

	for (i = 0; i < 2; i++) {
		struct ring *r = &proc(i)->ring;
		uint32_t v[NPRIV] = { r->consuming, r->sq_head, r->cq_tail, r->in_flight,
				      r->cq_overflow, r->flags, r->wait_min };

		memcpy(s->ring[i], proc(i)->region, CAPOS_RING_SIZE);
		memcpy(s->priv[i], v, sizeof(v));
		s->cap_count[i] = cap_table_count(&proc(i)->caps);
		s->peer_refs[i] = proc(i)->peer->refs;
	}
	for (i = 0; i < (int)NREGIONS; i++)
		memcpy(s->mem[i], fake_mem_ptr(regions[i].base, REGION_LEN), REGION_LEN);
	for (i = 0; i < NCAPS; i++) {
		struct kobj *obj;

		s->cap_err[i] = cap_table_lookup(&proc(caps[i].who)->caps, caps[i].id, &obj, NULL);
		s->cap_refs[i] = 0;
		if (s->cap_err[i] == 0) {
			s->cap_refs[i] = kobj_refs(obj) - 1;
			kobj_put(obj);
		}
	}
}

/* Names a ring byte: header, SQ or CQ slot and offset. */
static void ring_where(char *buf, size_t len, uint32_t off)
{
	if (off < CAPOS_RING_SQ_OFFSET)
		snprintf(buf, len, "header +%u", off);
	else if (off < CAPOS_RING_CQ_OFFSET)
		snprintf(buf, len, "SQE %u +%u", (off - CAPOS_RING_SQ_OFFSET) / CAPOS_SQE_SIZE,
			 (off - CAPOS_RING_SQ_OFFSET) % CAPOS_SQE_SIZE);
	else
		snprintf(buf, len, "CQE %u +%u", (off - CAPOS_RING_CQ_OFFSET) / CAPOS_CQE_SIZE,
			 (off - CAPOS_RING_CQ_OFFSET) % CAPOS_CQE_SIZE);
}

/* The first difference between a (fast) and b (general), or NULL. */
static const char *snap_diff(const struct snap *a, const struct snap *b)
{
	static const char *const who[2] = { "client", "server" };
	static char why[200];
	char where[40];
	uint32_t i, k;

	for (i = 0; i < 2; i++) {
		for (k = 0; k < CAPOS_RING_SIZE; k++) {
			if (a->ring[i][k] != b->ring[i][k]) {
				ring_where(where, sizeof(where), k);
				snprintf(why, sizeof(why), "%s ring %s: %#x, want %#x", who[i],
					 where, a->ring[i][k], b->ring[i][k]);
				return why;
			}
		}
		for (k = 0; k < NPRIV; k++) {
			if (a->priv[i][k] != b->priv[i][k]) {
				snprintf(why, sizeof(why), "%s ring %s: %u, want %u", who[i],
					 priv_names[k], a->priv[i][k], b->priv[i][k]);
				return why;
			}
		}
		if (a->cap_count[i] != b->cap_count[i] || a->peer_refs[i] != b->peer_refs[i]) {
			snprintf(why, sizeof(why), "%s: %u caps, %u peer refs; want %u, %u", who[i],
				 a->cap_count[i], a->peer_refs[i], b->cap_count[i],
				 b->peer_refs[i]);
			return why;
		}
	}
	for (i = 0; i < NREGIONS; i++) {
		for (k = 0; k < REGION_LEN; k++) {
			if (a->mem[i][k] != b->mem[i][k]) {
				snprintf(why, sizeof(why), "%s memory +%#x: %#x, want %#x",
					 regions[i].name, k, a->mem[i][k], b->mem[i][k]);
				return why;
			}
		}
	}
	for (i = 0; i < NCAPS; i++) {
		if (a->cap_err[i] != b->cap_err[i] || a->cap_refs[i] != b->cap_refs[i]) {
			snprintf(why, sizeof(why), "capability %u: lookup %d refs %u, want %d refs %u",
				 i, a->cap_err[i], a->cap_refs[i], b->cap_err[i], b->cap_refs[i]);
			return why;
		}
	}
	return NULL;
}

/*
 * General-path traffic after the batch: whatever it left in an SQ, a new
 * call on each endpoint, a receive on each, and RETURNs of ids 1-6 on both,
 * so that pending and in-flight calls, waiting RECVs and call ids show in
 * the CQEs and buffers.
 */
static void probe(void)
{
	struct capos_sqe s;
	uint32_t id;

	reap_all(&W.cli);
	reap_all(&W.srv);
	W.cli.ring.consuming = W.srv.ring.consuming = 0;
	consume(&W.cli);
	consume(&W.srv);
	s = call_sqe(W.facet, 0xa1);
	s.params_addr = C_PARAMS + 64;
	s.params_len = 16;
	s.result_addr = C_RESULT + PAGE;
	submit(&W.cli, s);
	s.cap_id = W.facet2;
	s.user_data = 0xa2;
	s.result_addr = C_RESULT + PAGE + 512;
	submit(&W.cli, s);
	consume(&W.cli);
	s = recv_sqe(W.owner, 0xb1);
	s.result_addr = S_RECV + PAGE;
	submit(&W.srv, s);
	s = recv_sqe(W.owner2, 0xb2);
	s.result_addr = S_RECV + PAGE + 512;
	submit(&W.srv, s);
	consume(&W.srv);
	for (id = 1; id <= 6; id++) {
		s = return_sqe(W.owner, id);
		s.flags = 0;
		s.user_data = 0xd0 + id;
		s.params_addr = S_PARAMS + 256;
		s.params_len = 8 + id;
		submit(&W.srv, s);
		s.cap_id = W.owner2;
		submit(&W.srv, s);
	}
	consume(&W.srv);
	consume(&W.cli);
}

/* What one world showed. */
struct run {
	int ret;		/* ipc_fastpath's answer (world F) */
	int woken;		/* whose waiter the batch satisfied: CLI, SRV, -1 none */
	int32_t first[2];	/* the first CQE result the batch's step posted on each ring */
	long leaked;		/* kmalloc'd objects left after the world ended */
	struct snap step, end;	/* after the batch, after the probe */
};

static struct run run_fast, run_general;
static struct snap snap_before, snap_after;

static int ring_owner(struct ring *r)
{
	return r == &W.cli.ring ? CLI : r == &W.srv.ring ? SRV : r ? 99 : -1;
}

/* Runs case c on a fresh world, through ipc_fastpath first if `fast`; NULL or what went wrong. */
static const char *run_world(const struct fp_case *c, bool fast, struct run *out)
{
	static char why[300];
	long live0 = kstub_kmalloc_live;
	const char *err = NULL;
	uint32_t tail[2], i;
	struct batch b;

	world_init();
	c->stage();
	b = batch_build(c);
	if (c->edit)
		c->edit(&b);
	for (i = 0; i < b.n; i++)
		fake_submit(b.actor, &b.s[i]);
	if (b.extra_nop)
		submit(b.actor, (struct capos_sqe){ .opcode = CAPOS_OP_NOP, .user_data = 0x98 });
	tail[CLI] = W.cli.ring.cq_tail;
	tail[SRV] = W.srv.ring.cq_tail;
	fake_wake_count = 0;
	fake_woken_last = NULL;
	out->ret = 0;
	if (fast) {
		snap_take(&snap_before);
		out->ret = ipc_fastpath(&b.actor->ring, &b.actor->caller, b.n);
		snap_take(&snap_after);
		if (out->ret != 0 && out->ret != (int)b.n)
			err = "ipc_fastpath returned neither 0 nor n";
		else if (out->ret == 0 && fake_wake_count)
			err = "ipc_fastpath declined, but woke a peer";
		else if (out->ret == 0 && (err = snap_diff(&snap_after, &snap_before)) != NULL) {
			snprintf(why, sizeof(why), "declined, but changed %s", err);
			err = why;
		}
	}
	if (out->ret == 0) {
		b.actor->ring.consuming = 0;	/* a busy consumer has left */
		consume(b.actor);
	}
	if (fake_wake_count > 1)
		err = "a peer was woken more than once";
	out->woken = fake_wake_count ? ring_owner(fake_woken_last) : -1;
	for (i = 0; i < 2; i++) {
		struct fake_proc *p = proc((int)i);

		out->first[i] = p->ring.cq_tail == tail[i] ? NO_CQE :
				p->ring.cq[tail[i] & (CAPOS_RING_CQ_ENTRIES - 1)].result;
	}
	snap_take(&out->step);
	probe();
	snap_take(&out->end);
	world_fini();
	out->leaked = kstub_kmalloc_live - live0;
	return err;
}

static const char *result_name(int32_t r)
{
	static char buf[2][24];
	static int k;
	const char *name = capos_errname(r);

	k ^= 1;
	if (r == NO_CQE)
		return "no CQE";
	if (r < 0 && name)
		return name + sizeof("CAPOS_ERR_") - 1;
	snprintf(buf[k], sizeof(buf[k]), "%d", r);
	return buf[k];
}

static const char *check_case(const struct fp_case *c)
{
	const char *err;

	if ((err = run_world(c, true, &run_fast)) != NULL ||
	    (err = run_world(c, false, &run_general)) != NULL)
		return err;
	if (run_fast.ret != (c->taken ? (c->kind == B_RETURN_RECV ? 2 : 1) : 0))
		return c->taken ? "ipc_fastpath declined it" : "ipc_fastpath took it";
	if (run_general.first[CLI] != c->want_cli || run_general.first[SRV] != c->want_srv) {
		static char why[120];

		snprintf(why, sizeof(why), "the general path posted %s / %s, the case says %s / %s",
			 result_name(run_general.first[CLI]), result_name(run_general.first[SRV]),
			 result_name(c->want_cli), result_name(c->want_srv));
		return why;
	}
	if (run_fast.woken != run_general.woken)
		return "ring_wake woke another peer than the general path's";
	if ((err = snap_diff(&run_fast.step, &run_general.step)) != NULL)
		return err;
	if ((err = snap_diff(&run_fast.end, &run_general.end)) != NULL)
		return err;
	if (run_fast.leaked || run_general.leaked)
		return "a world leaked memory";
	return NULL;
}

static const char *check_cases(const struct fp_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *err = check_case(&c[i]);

		if (err) {
			snprintf(test_why, sizeof(test_why), "%s: %s", c[i].what, err);
			return test_why;
		}
	}
	return NULL;
}

#define CHECK_FP_CASES(cases)                                                              \
	do {                                                                               \
		test_failed_at = check_cases(cases, sizeof(cases) / sizeof(cases[0]));     \
		if (test_failed_at)                                                        \
			return;                                                            \
	} while (0)

/* ---- the cases -------------------------------------------------------------------------------- */

#define TAKEN true
#define DECLINED false

TEST(fastpath_completes_as_the_general_path_does)
{
	static const struct fp_case cases[] = {
		{ "(a) CALL meets a waiting RECV", B_CALL, st_recv_waiting, NULL, TAKEN,
		  NO_CQE, RECV_LEN(PARAMS_LEN) },
		{ "(a) the server does not sleep on its CQ", B_CALL, st_recv_waiting_quiet, NULL,
		  TAKEN, NO_CQE, RECV_LEN(PARAMS_LEN) },
		{ "(a) params of 13 bytes (padding)", B_CALL, st_recv_waiting, e_params_odd, TAKEN,
		  NO_CQE, RECV_LEN(13) },
		{ "(a) no params", B_CALL, st_recv_waiting, e_params_none, TAKEN, NO_CQE,
		  RECV_LEN(0) },
		{ "(a) no result buffer", B_CALL, st_recv_waiting, e_no_result, TAKEN, NO_CQE,
		  RECV_LEN(PARAMS_LEN) },
		{ "(a) the server's CQ looks full (overflow)", B_CALL, st_recv_waiting,
		  e_peer_cq_rewound, TAKEN, NO_CQE, NO_CQE },
		{ "(b) RECV | REPLY answers and waits", B_REPLY_RECV, st_call_received, NULL, TAKEN,
		  ANSWER_LEN, NO_CQE },
		{ "(b) the client does not sleep on its CQ", B_REPLY_RECV, st_call_received_quiet,
		  NULL, TAKEN, ANSWER_LEN, NO_CQE },
		{ "(b) an answer of 13 bytes (padding)", B_REPLY_RECV, st_call_received,
		  e_params_odd, TAKEN, 13, NO_CQE },
		{ "(b) an empty answer", B_REPLY_RECV, st_call_received, e_params_none, TAKEN, 0,
		  NO_CQE },
		{ "(b) the client's CQ looks full (overflow)", B_REPLY_RECV, st_call_received,
		  e_peer_cq_rewound, TAKEN, NO_CQE, NO_CQE },
		{ "(c) RETURN, RECV answers and waits", B_RETURN_RECV, st_call_received, NULL,
		  TAKEN, ANSWER_LEN, NO_CQE },
		{ "(c) the client does not sleep on its CQ", B_RETURN_RECV, st_call_received_quiet,
		  NULL, TAKEN, ANSWER_LEN, NO_CQE },
		{ "(c) an answer of 13 bytes (padding)", B_RETURN_RECV, st_call_received,
		  e_params_odd, TAKEN, 13, NO_CQE },
		{ "(c) an empty answer", B_RETURN_RECV, st_call_received, e_params_none, TAKEN, 0,
		  NO_CQE },
		{ "(c) the client's CQ looks full (overflow)", B_RETURN_RECV, st_call_received,
		  e_peer_cq_rewound, TAKEN, NO_CQE, NO_CQE },
	};

	CHECK_FP_CASES(cases);
}

TEST(fastpath_odd_calls_end_as_on_the_general_path)
{
	static const struct fp_case cases[] = {
		{ "no RECV waiting", B_CALL, st_none, NULL, TAKEN, NO_CQE, NO_CQE },
		{ "the receive buffer too small", B_CALL, st_recv_small, NULL, TAKEN, NO_CQE,
		  CAPOS_ERR_RESULT_TOO_SMALL },
		{ "the message crosses a page of the receive buffer", B_CALL, st_recv_page_end, NULL,
		  TAKEN, NO_CQE, RECV_LEN(PARAMS_LEN) },
		{ "unreadable params", B_CALL, st_recv_waiting, e_params_unmapped, TAKEN,
		  CAPOS_ERR_BAD_ADDRESS, NO_CQE },
		{ "read-only result buffer", B_CALL, st_recv_waiting, e_result_ronly, TAKEN,
		  CAPOS_ERR_BAD_ADDRESS, NO_CQE },
		{ "unmapped result buffer", B_CALL, st_recv_waiting, e_result_unmapped, TAKEN,
		  CAPOS_ERR_BAD_ADDRESS, NO_CQE },
		{ "stale cap", B_CALL, st_recv_waiting, e_facet_stale, DECLINED,
		  CAPOS_ERR_STALE_CAP, NO_CQE },
		{ "a facet without the CALL right", B_CALL, st_recv_waiting, e_facet_no_call,
		  DECLINED, CAPOS_ERR_NOT_PERMITTED, NO_CQE },
		{ "CALL on the endpoint's owner side", B_CALL, st_recv_waiting, e_call_owner,
		  DECLINED, CAPOS_ERR_UNKNOWN_METHOD, NO_CQE },
		{ "CALL on a kernel object", B_CALL, st_recv_waiting, e_call_object, DECLINED,
		  PARAMS_LEN, NO_CQE },
		{ "CALL on a revocable copy of the facet (a forwarder)", B_CALL, st_recv_waiting,
		  e_call_fwd, DECLINED, NO_CQE, RECV_LEN(PARAMS_LEN) },
		{ "CALL on a revoked copy of the facet", B_CALL, st_recv_waiting, e_call_revoked,
		  DECLINED, CAPOS_ERR_DISCONNECTED, NO_CQE },
		{ "CALL | SKIP_SUCCESS", B_CALL, st_recv_waiting, e_flags_skip, DECLINED,
		  CAPOS_ERR_INVALID_FLAGS, NO_CQE },
		{ "CALL | EXCEPTION", B_CALL, st_recv_waiting, e_flags_exception, DECLINED,
		  CAPOS_ERR_INVALID_FLAGS, NO_CQE },
		{ "a reserved field (call_id)", B_CALL, st_recv_waiting, e_call_id, DECLINED,
		  CAPOS_ERR_RESERVED_NONZERO, NO_CQE },
		{ "xfer_count 1", B_CALL, st_recv_waiting, e_call_xfer, DECLINED, NO_CQE,
		  RECV_LEN(PARAMS_LEN) },
		{ "the receiver's process is exiting", B_CALL, st_recv_waiting, e_srv_dead,
		  TAKEN, NO_CQE, NO_CQE },
		{ "the endpoint's owner is gone", B_CALL, st_owner_gone, NULL, TAKEN,
		  CAPOS_ERR_APPLICATION_EXCEPTION, NO_CQE },
		{ "the consumer flag is busy", B_CALL, st_recv_waiting, e_busy, DECLINED, NO_CQE,
		  RECV_LEN(PARAMS_LEN) },
		{ "CQ credits short", B_CALL, st_recv_waiting, e_credits_short, DECLINED, NO_CQE,
		  NO_CQE },
		{ "CQ credits short counting a call in flight", B_CALL, st_recv_waiting,
		  e_credits_short_in_flight, DECLINED, NO_CQE, NO_CQE },
		{ "the SQ holds a NOP after the CALL", B_CALL, st_recv_waiting, e_extra_nop,
		  DECLINED, 0, RECV_LEN(PARAMS_LEN) },
	};

	CHECK_FP_CASES(cases);
}

TEST(fastpath_odd_recv_replies_end_as_on_the_general_path)
{
	static const struct fp_case cases[] = {
		{ "unknown call id", B_REPLY_RECV, st_call_received, e_unknown_id, TAKEN, NO_CQE,
		  CAPOS_ERR_NO_SUCH_CALL },
		{ "RECV | REPLY | EXCEPTION", B_REPLY_RECV, st_call_received, e_flags_exception,
		  DECLINED, CAPOS_ERR_APPLICATION_EXCEPTION, NO_CQE },
		{ "RECV | REPLY | SKIP_SUCCESS", B_REPLY_RECV, st_call_received, e_flags_skip,
		  DECLINED, NO_CQE, CAPOS_ERR_INVALID_FLAGS },
		{ "a reserved field (method_id)", B_REPLY_RECV, st_call_received, e_method,
		  DECLINED, NO_CQE, CAPOS_ERR_RESERVED_NONZERO },
		{ "xfer_count 1", B_REPLY_RECV, st_call_received, e_answer_xfer, DECLINED,
		  ANSWER_LEN, NO_CQE },
		{ "on a client facet", B_REPLY_RECV, st_call_received, e_on_client_facet, DECLINED,
		  NO_CQE, CAPOS_ERR_NOT_PERMITTED },
		{ "stale cap", B_REPLY_RECV, st_call_received, e_owner_stale, DECLINED, NO_CQE,
		  CAPOS_ERR_STALE_CAP },
		{ "unreadable answer", B_REPLY_RECV, st_call_received, e_params_unmapped, TAKEN,
		  NO_CQE, CAPOS_ERR_BAD_ADDRESS },
		{ "read-only receive buffer", B_REPLY_RECV, st_call_received, e_recv_ronly,
		  TAKEN, NO_CQE, CAPOS_ERR_BAD_ADDRESS },
		{ "the caller's result buffer too small", B_REPLY_RECV, st_call_small_result, NULL,
		  TAKEN, CAPOS_ERR_RESULT_TOO_SMALL, CAPOS_ERR_RESULT_TOO_SMALL },
		{ "the answer crosses a page of the caller's buffer", B_REPLY_RECV,
		  st_call_result_page_end, NULL, TAKEN, ANSWER_LEN, NO_CQE },
		{ "an empty answer to a call without a result buffer", B_REPLY_RECV,
		  st_call_no_result, e_params_none, TAKEN, 0, NO_CQE },
		{ "a call is queued (the RECV would not wait)", B_REPLY_RECV, st_call_received,
		  e_pending_call, TAKEN, ANSWER_LEN, RECV_LEN(PARAMS_LEN) },
		{ "another RECV already waits", B_REPLY_RECV, st_call_received, e_recv_slot_taken,
		  TAKEN, ANSWER_LEN, NO_CQE },
		{ "the caller's process is exiting", B_REPLY_RECV, st_call_received, e_cli_dead,
		  TAKEN, NO_CQE, CAPOS_ERR_DISCONNECTED },
		{ "the call was cancelled", B_REPLY_RECV, st_call_received, e_cancelled, TAKEN,
		  NO_CQE, CAPOS_ERR_DISCONNECTED },
		{ "the consumer flag is busy", B_REPLY_RECV, st_call_received, e_busy, DECLINED,
		  ANSWER_LEN, NO_CQE },
		{ "CQ credits short", B_REPLY_RECV, st_call_received, e_credits_short, DECLINED,
		  NO_CQE, NO_CQE },
		{ "the SQ holds a NOP after it", B_REPLY_RECV, st_call_received, e_extra_nop,
		  DECLINED, ANSWER_LEN, 0 },
	};

	CHECK_FP_CASES(cases);
}

TEST(fastpath_odd_return_recv_batches_end_as_on_the_general_path)
{
	static const struct fp_case cases[] = {
		{ "unknown call id", B_RETURN_RECV, st_call_received, e_unknown_id, TAKEN,
		  NO_CQE, CAPOS_ERR_NO_SUCH_CALL },
		{ "RETURN and RECV on different endpoints", B_RETURN_RECV, st_call_received,
		  e_recv_other_ep, DECLINED, ANSWER_LEN, NO_CQE },
		{ "on a client facet", B_RETURN_RECV, st_call_received, e_on_client_facet, DECLINED,
		  NO_CQE, CAPOS_ERR_NOT_PERMITTED },
		{ "stale cap", B_RETURN_RECV, st_call_received, e_owner_stale, DECLINED, NO_CQE,
		  CAPOS_ERR_STALE_CAP },
		{ "RETURN without SKIP_SUCCESS", B_RETURN_RECV, st_call_received, e_return_no_skip,
		  DECLINED, ANSWER_LEN, 0 },
		{ "RETURN | SKIP_SUCCESS | EXCEPTION", B_RETURN_RECV, st_call_received,
		  e_flags_exception, DECLINED, CAPOS_ERR_APPLICATION_EXCEPTION, NO_CQE },
		{ "RECV | REPLY second", B_RETURN_RECV, st_call_received, e_recv_reply, DECLINED,
		  ANSWER_LEN, CAPOS_ERR_NO_SUCH_CALL },
		{ "RECV | SKIP_SUCCESS second", B_RETURN_RECV, st_call_received, e_recv_skip,
		  DECLINED, ANSWER_LEN, CAPOS_ERR_INVALID_FLAGS },
		{ "a NOP second", B_RETURN_RECV, st_call_received, e_nop_second, DECLINED,
		  ANSWER_LEN, 0 },
		{ "xfer_count 1", B_RETURN_RECV, st_call_received, e_answer_xfer, DECLINED,
		  ANSWER_LEN, NO_CQE },
		{ "a call is queued (the RECV would not wait)", B_RETURN_RECV, st_call_received,
		  e_pending_call, TAKEN, ANSWER_LEN, RECV_LEN(PARAMS_LEN) },
		{ "another RECV already waits", B_RETURN_RECV, st_call_received, e_recv_slot_taken,
		  TAKEN, ANSWER_LEN, NO_CQE },
		{ "unreadable answer", B_RETURN_RECV, st_call_received, e_params_unmapped, TAKEN,
		  NO_CQE, CAPOS_ERR_BAD_ADDRESS },
		{ "read-only receive buffer", B_RETURN_RECV, st_call_received, e_recv_ronly,
		  TAKEN, ANSWER_LEN, CAPOS_ERR_BAD_ADDRESS },
		{ "the caller's result buffer too small", B_RETURN_RECV, st_call_small_result, NULL,
		  TAKEN, CAPOS_ERR_RESULT_TOO_SMALL, CAPOS_ERR_RESULT_TOO_SMALL },
		{ "the answer crosses a page of the caller's buffer", B_RETURN_RECV,
		  st_call_result_page_end, NULL, TAKEN, ANSWER_LEN, NO_CQE },
		{ "the caller's process is exiting", B_RETURN_RECV, st_call_received, e_cli_dead,
		  TAKEN, NO_CQE, CAPOS_ERR_DISCONNECTED },
		{ "the call was cancelled", B_RETURN_RECV, st_call_received, e_cancelled, TAKEN,
		  NO_CQE, CAPOS_ERR_DISCONNECTED },
		{ "the consumer flag is busy", B_RETURN_RECV, st_call_received, e_busy, DECLINED,
		  ANSWER_LEN, NO_CQE },
		{ "one CQ credit short (the general path takes the RETURN only)", B_RETURN_RECV,
		  st_call_received, e_credits_short, DECLINED, ANSWER_LEN, NO_CQE },
		{ "the SQ holds a NOP after them", B_RETURN_RECV, st_call_received, e_extra_nop,
		  DECLINED, ANSWER_LEN, 0 },
	};

	CHECK_FP_CASES(cases);
}

int main(void)
{
	kstub_quiet = 1;
	RUN(fastpath_completes_as_the_general_path_does);
	RUN(fastpath_odd_calls_end_as_on_the_general_path);
	RUN(fastpath_odd_recv_replies_end_as_on_the_general_path);
	RUN(fastpath_odd_return_recv_batches_end_as_on_the_general_path);
	TEST_EXIT();
}
