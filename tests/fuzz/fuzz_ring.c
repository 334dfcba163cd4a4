// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the ring engine and dispatch (kernel/ring, kernel/cap):
 * the input is a script of user actions on one process's ring, played with
 * the host fakes of tests/unit/ring/fake.c. Each action is one byte and its
 * operands:
 *   0 SQE(64)        submit 64 raw bytes as an SQE; a cap_id 0xc0..0xc7 is
 *                    replaced by one of the process's real capability ids:
 *                    0-3 a test object (various rights), 4 an endpoint's
 *                    owner side, 5-6 its client facet (all rights, CALL only)
 *   1 budget(1)      cap_enter's consume step (an IPC batch tries the fast path first)
 *   2                reap one CQE
 *   3 word(1) v(4)   scribble a 32-bit word of the ring header
 *   4 off(2) v(8)    write 8 bytes into the params buffer
 *   5 i(1) v(8)      scribble 8 bytes of an SQ slot (after submission)
 *   0xc0+ k(1) a(1) b(1) c(1)  submit a batch of one of the fast path's shapes
 *                    (k: a CALL on the facet, RECV | REPLY answering the last
 *                    call received, RETURN | SKIP_SUCCESS then RECV), with
 *                    params, buffers and a flaw picked from a few choices
 *                    (a, b, c), so the fast path is offered well-formed and
 *                    hostile batches alike instead of almost never
 * The process can call its own endpoint, receive the call and return it, so
 * the IPC paths (pending CQ credits, transfers both ways, cancellation at
 * exit) run too. After every consume: credits in flight within the CQ size,
 * the kernel-owned header fields equal the kernel's copies (unless user code
 * wrote them), the test object has at least one reference per slot naming
 * it. At the end, after the kernel's teardown order: destroy() ran exactly
 * once and no kernel allocation leaked. Violations abort.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capos/errors.h>

#include "fake.h"
#include "ipc/endpoint.h"
#include "ipc/fastpath.h"
#include "kstub.h"

#define FZ_PARAMS	0x10000000ull
#define FZ_RESULT	0x20000000ull
#define FZ_BUF		0x10000ull

struct fz {
	const uint8_t *p, *end;
	struct fake_proc proc;
	struct fake_obj obj;
	capos_cap_t ids[8];
	uint8_t *params;
	long live0;
	int scribbled;		/* user code wrote the header: kernel fields may differ */
	uint32_t last_call;	/* call_id of the last RECV completion */
};

/* Which path consumed what, over the whole run: printed at exit. */
static uint64_t fz_fast_offered, fz_fast_taken, fz_general;

static void fz_report(void)
{
	fprintf(stderr, "fuzz_ring: fast path took %llu of %llu IPC batches offered; "
		"general path consumed %llu times\n", (unsigned long long)fz_fast_taken,
		(unsigned long long)fz_fast_offered, (unsigned long long)fz_general);
}

static int fz_take(struct fz *z, void *out, size_t n)
{
	if ((size_t)(z->end - z->p) < n)
		return -1;
	memcpy(out, z->p, n);
	z->p += n;
	return 0;
}

/* Slots of the table that name the test object. */
static uint32_t fz_obj_slots(struct fz *z)
{
	struct cap_table *t = &z->proc.caps;
	uint32_t i, n = 0;

	for (i = 0; i < t->quota; i++)
		n += t->slots[i].state == CAP_SLOT_LIVE && t->slots[i].obj == &z->obj.k;
	return n;
}

static void fz_check(struct fz *z)
{
	struct capos_ring_header *h = z->proc.region;
	struct ring *r = &z->proc.ring;

	if (r->in_flight > CAPOS_RING_CQ_ENTRIES)
		abort();
	/*
	 * The kernel rewrites a header field when the field changes, not on
	 * every call, so after a scribble only its private copies count.
	 */
	if (!z->scribbled && (h->sq_head != r->sq_head || h->cq_tail != r->cq_tail ||
			      h->cq_overflow != r->cq_overflow || h->flags != r->flags))
		abort();
	if (r->flags & ~CAPOS_RING_F_VALID_MASK)
		abort();
	if (kobj_refs(&z->obj.k) < fz_obj_slots(z))
		abort();
}

static void fz_insert(struct fz *z, struct kobj *obj, uint32_t rights, int i)
{
	if (cap_table_insert(&z->proc.caps, obj, rights, &z->ids[i]))
		abort();
}

static void fz_setup(struct fz *z)
{
	uint32_t rights[4] = { CAP_RIGHT_CALL, 0, CAP_RIGHT_RECV, CAP_RIGHTS_ALL };
	struct kobj *owner, *client;
	int i;

	z->live0 = kstub_kmalloc_live;
	fake_mem_reset();
	fake_give = 2;		/* FAKE_M_GIVE answers two result capabilities */
	z->params = fake_mem_map(FZ_PARAMS, FZ_BUF, AS_PROT_READ);
	fake_mem_map(FZ_RESULT, FZ_BUF, AS_PROT_READ | AS_PROT_WRITE);
	fake_proc_init(&z->proc);
	fake_obj_init(&z->obj);
	for (i = 0; i < 4; i++) {
		if (i)
			kobj_get(&z->obj.k);
		fz_insert(z, &z->obj.k, rights[i], i);
	}
	fake_self_id = z->ids[3];
	if (ipc_endpoint_create(0x1234, NULL, &owner, &client))
		abort();
	fz_insert(z, owner, CAP_RIGHTS_ALL, 4);
	kobj_get(client);
	fz_insert(z, client, CAP_RIGHTS_ALL, 5);
	fz_insert(z, client, CAP_RIGHT_CALL, 6);
	z->ids[7] = z->ids[0];
}

static void fz_submit(struct fz *z)
{
	struct capos_sqe sqe;

	if (fz_take(z, &sqe, sizeof(sqe)))
		return;
	if ((sqe.cap_id & 0xfffffff8u) == 0xc0)
		sqe.cap_id = z->ids[sqe.cap_id & 7];
	fake_submit(&z->proc, &sqe);
}

static void fz_consume(struct fz *z)
{
	struct ring *r = &z->proc.ring;
	uint32_t head = r->sq_head;
	uint8_t budget;
	int n;

	if (fz_take(z, &budget, 1))
		return;
	/* As cap_enter does: an IPC batch goes to the fast path first. */
	uint32_t fast = ipc_fastpath_candidate(r);
	n = fast && fast <= budget ? ipc_fastpath(r, &z->proc.caller, fast) : 0;
	fz_fast_offered += fast && fast <= budget;
	fz_fast_taken += n > 0;
	if (n == 0) {
		n = ring_consume(r, &z->proc.caller, budget);
		fz_general++;
	}
	if (n == CAPOS_ERR_RING_CORRUPT) {
		if (r->sq_head != head || !(r->flags & CAPOS_RING_F_SQ_CORRUPT))
			abort();
	} else if (n < 0 || (uint32_t)n > budget || r->sq_head - head != (uint32_t)n) {
		abort();
	}
	fz_check(z);
}

static void fz_reap(struct fz *z)
{
	struct capos_cqe cqe;

	if (fake_reap(&z->proc, &cqe))
		return;
	if (cqe.result < 0 && capos_errname(cqe.result) == NULL)
		abort();
	if (cqe.opcode == CAPOS_OP_RECV && cqe.result >= 0)
		z->last_call = cqe.call_id;
	if (cqe.written > CAPOS_RESULT_MAX || cqe.xfer_count > CAPOS_XFER_MAX)
		abort();
	/* Success is 0, except CALL and RECV: the bytes written. */
	if (cqe.result >= 0 && (cqe.opcode == CAPOS_OP_CALL || cqe.opcode == CAPOS_OP_RECV ?
				(uint32_t)cqe.result != cqe.written : cqe.result != 0))
		abort();
}

static void fz_scribble(struct fz *z, uint8_t *base, uint32_t nwords, size_t vsize)
{
	uint8_t i;
	uint64_t v = 0;

	if (fz_take(z, &i, 1) || fz_take(z, &v, vsize))
		return;
	memcpy(base + (i % nwords) * vsize, &v, vsize);
}

/* A buffer address and length from a few choices: fine, unmapped, kernel, page end, none. */
static void fz_buffer(uint8_t pick, uint64_t base, uint64_t *addr, uint32_t *len)
{
	static const uint32_t lens[4] = { 64, 200, 512, 4096 };

	*len = lens[(pick >> 3) & 3];
	switch (pick & 7) {
	case 0:
		*addr = 0x40000000ull;					/* unmapped */
		break;
	case 1:
		*addr = 0xffff800000001000ull;				/* kernel half */
		break;
	case 2:
		*addr = base + CAPOS_PAGE_SIZE - 40;			/* crosses a page */
		break;
	case 3:
		*addr = 0, *len = 0;					/* none */
		break;
	default:
		*addr = base + (uint64_t)(pick >> 5) * 512;		/* fine */
		break;
	}
}

/* Action 6: one batch of a fast-path shape, with an optional flaw. */
static void fz_ipc_batch(struct fz *z)
{
	uint8_t k, a, b, c;
	struct capos_sqe s = { 0 }, rcv = { 0 };

	if (fz_take(z, &k, 1) || fz_take(z, &a, 1) || fz_take(z, &b, 1) || fz_take(z, &c, 1))
		return;
	fz_buffer(a, FZ_PARAMS, &s.params_addr, &s.params_len);
	fz_buffer(b, FZ_RESULT, &s.result_addr, &s.result_len);
	s.user_data = 0x600 + k;
	switch (k % 3) {
	case 0:
		s.opcode = CAPOS_OP_CALL;
		s.cap_id = z->ids[5 + (c & 1)];
		s.method_id = c >> 4;
		break;
	case 1:
		s.opcode = CAPOS_OP_RECV;
		s.flags = CAPOS_SQE_F_REPLY;
		s.cap_id = z->ids[4];
		s.call_id = c & 1 ? z->last_call : z->last_call + (c >> 4);
		break;
	default:
		s.opcode = CAPOS_OP_RETURN;
		s.flags = CAPOS_SQE_F_SKIP_SUCCESS;
		s.cap_id = z->ids[4];
		s.call_id = c & 1 ? z->last_call : z->last_call + (c >> 4);
		rcv = (struct capos_sqe){ .opcode = CAPOS_OP_RECV, .cap_id = z->ids[4],
					  .user_data = 0x700 + k };
		fz_buffer(b ^ 0x20, FZ_RESULT + 8192, &rcv.result_addr, &rcv.result_len);
		break;
	}
	if (c & 2)	/* a flaw the fast path must decline or the operation refuse */
		((uint8_t *)&s)[(c >> 2) % CAPOS_SQE_SIZE] ^= 1u << (k & 7);
	fake_submit(&z->proc, &s);
	if (rcv.opcode)
		fake_submit(&z->proc, &rcv);
}

static void fz_params(struct fz *z)
{
	uint16_t off;
	uint64_t v;

	if (fz_take(z, &off, 2) || fz_take(z, &v, 8))
		return;
	memcpy(z->params + (off & ~7u) % FZ_BUF, &v, 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz z;
	uint8_t op;

	static bool reported;

	if (!reported && (reported = true))
		atexit(fz_report);
	z.p = data;
	z.end = data + size;
	z.scribbled = 0;
	z.last_call = 0;
	fz_setup(&z);
	while (!fz_take(&z, &op, 1)) {
		/* 0xc0 and up: the IPC batch (older inputs keep their meaning). */
		switch (op >= 0xc0 ? 6 : op % 6) {
		case 0:
			fz_submit(&z);
			break;
		case 1:
			fz_consume(&z);
			break;
		case 2:
			fz_reap(&z);
			break;
		case 3:
			fz_scribble(&z, z.proc.region, sizeof(struct capos_ring_header) / 4, 4);
			z.scribbled = 1;
			break;
		case 4:
			fz_params(&z);
			break;
		case 6:
			fz_ipc_batch(&z);
			break;
		default:
			fz_scribble(&z, (uint8_t *)z.proc.region + CAPOS_RING_SQ_OFFSET,
				    CAPOS_RING_SQ_ENTRIES * CAPOS_SQE_SIZE / 8, 8);
			break;
		}
	}
	fake_proc_fini(&z.proc);
	if (z.obj.destroyed != 1 || kstub_kmalloc_live != z.live0)
		abort();
	fake_mem_reset();
	return 0;
}
