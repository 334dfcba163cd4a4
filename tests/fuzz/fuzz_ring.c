// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the ring engine and dispatch (kernel/ring, kernel/cap):
 * the input is a script of user actions on one process's ring, played with
 * the host fakes of tests/unit/ring/fake.c. Each action is one byte and its
 * operands:
 *   0 SQE(64)        submit 64 raw bytes as an SQE; cap_id low byte 0xc0..0xc3
 *                    is replaced by one of the process's real capability ids
 *   1 budget(1)      cap_enter's consume step
 *   2                reap one CQE
 *   3 word(1) v(4)   scribble a 32-bit word of the ring header
 *   4 off(2) v(8)    write 8 bytes into the params buffer
 *   5 i(1) v(8)      scribble 8 bytes of an SQ slot (after submission)
 * After every consume the invariants hold: no credit stays taken (M3 has no
 * pending operations), the kernel-owned header fields equal the kernel's
 * copies, no kernel allocation leaks, the object's references equal the slots
 * naming it; at the end destroy() ran exactly once. Violations abort.
 */
#include <stdlib.h>
#include <string.h>

#include <capos/errors.h>

#include "fake.h"
#include "kstub.h"

#define FZ_PARAMS	0x10000000ull
#define FZ_RESULT	0x20000000ull
#define FZ_BUF		0x10000ull

struct fz {
	const uint8_t *p, *end;
	struct fake_proc proc;
	struct fake_obj obj;
	capos_cap_t ids[4];
	uint8_t *params;
	long live0;
	int scribbled;		/* user code wrote the header: kernel fields may differ */
};

static int fz_take(struct fz *z, void *out, size_t n)
{
	if ((size_t)(z->end - z->p) < n)
		return -1;
	memcpy(out, z->p, n);
	z->p += n;
	return 0;
}

static void fz_check(struct fz *z)
{
	struct capos_ring_header *h = z->proc.region;
	struct ring *r = &z->proc.ring;

	if (r->in_flight != 0)
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
	/* One slot array plus nothing in flight. */
	if (kstub_kmalloc_live != z->live0 + 1)
		abort();
	if (kobj_refs(&z->obj.k) != cap_table_count(&z->proc.caps))
		abort();
}

static void fz_setup(struct fz *z)
{
	uint32_t rights[4] = { CAP_RIGHT_CALL, 0, CAP_RIGHT_RECV, CAP_RIGHTS_ALL };
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
		if (cap_table_insert(&z->proc.caps, &z->obj.k, rights[i], &z->ids[i]))
			abort();
	}
	fake_self_id = z->ids[3];
}

static void fz_submit(struct fz *z)
{
	struct capos_sqe sqe;

	if (fz_take(z, &sqe, sizeof(sqe)))
		return;
	if ((sqe.cap_id & 0xfc) == 0xc0)
		sqe.cap_id = z->ids[sqe.cap_id & 3];
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
	n = ring_consume(r, &z->proc.caller, budget);
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
	if (cqe.written > CAPOS_RESULT_MAX || (cqe.result >= 0 && cqe.opcode != CAPOS_OP_CALL &&
					       cqe.result != 0))
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

	z.p = data;
	z.end = data + size;
	z.scribbled = 0;
	fz_setup(&z);
	while (!fz_take(&z, &op, 1)) {
		switch (op % 6) {
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
