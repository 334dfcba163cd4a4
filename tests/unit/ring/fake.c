// SPDX-License-Identifier: MIT
/*
 * Fakes for the ring seam (fake.h): user memory, ring_wake, a test object and
 * a process with a ring. The user memory fake applies the same rules the
 * kernel's as_copy_in/out must: a range must lie inside one mapped region
 * with the needed permission, and a wrapping range fails.
 */
#include <stdlib.h>
#include <string.h>

#include <capos/errors.h>

#include "fake.h"
#include "ring/seam.h"

#define FAKE_REGIONS 8

struct fake_region {
	uint64_t base;
	uint64_t len;
	uint32_t prot;
	uint8_t *mem;
};

static struct fake_region fake_regions[FAKE_REGIONS];
static int fake_nregions;
int fake_wake_count;
struct ring *fake_woken_last;
long fake_copy_out_calls;
capos_cap_t fake_self_id;
void (*fake_hook)(void);
uint32_t fake_give;
int fake_copy_out_fail;

void fake_mem_reset(void)
{
	int i;

	for (i = 0; i < fake_nregions; i++)
		free(fake_regions[i].mem);
	fake_nregions = 0;
	fake_wake_count = 0;
	fake_woken_last = NULL;
	fake_copy_out_calls = 0;
	fake_copy_out_fail = 0;
	fake_give = 0;
}

uint8_t *fake_mem_map(uint64_t base, uint64_t len, uint32_t prot)
{
	struct fake_region *r;

	if (fake_nregions >= FAKE_REGIONS)
		abort();
	r = &fake_regions[fake_nregions++];
	r->base = base;
	r->len = len;
	r->prot = prot;
	r->mem = calloc(1, len);
	return r->mem;
}

static struct fake_region *fake_find(uint64_t uaddr, uint64_t len, uint32_t prot)
{
	int i;

	if (uaddr + len < uaddr)
		return NULL;
	for (i = 0; i < fake_nregions; i++) {
		struct fake_region *r = &fake_regions[i];

		if (uaddr >= r->base && uaddr + len <= r->base + r->len &&
		    (r->prot & prot) == prot)
			return r;
	}
	return NULL;
}

uint8_t *fake_mem_ptr(uint64_t uaddr, uint64_t len)
{
	struct fake_region *r = fake_find(uaddr, len, 0);

	return r ? r->mem + (uaddr - r->base) : NULL;
}

int as_copy_in(struct addrspace *as, void *dst, uint64_t uaddr, size_t n)
{
	struct fake_region *r;

	(void)as;
	if (n == 0)
		return 0;
	r = fake_find(uaddr, n, AS_PROT_READ);
	if (!r)
		return CAPOS_ERR_BAD_ADDRESS;
	memcpy(dst, r->mem + (uaddr - r->base), n);
	return 0;
}

int as_copy_out(struct addrspace *as, uint64_t uaddr, const void *src, size_t n)
{
	struct fake_region *r;

	(void)as;
	fake_copy_out_calls++;
	if (n == 0)
		return 0;
	if (fake_copy_out_fail)
		return CAPOS_ERR_BAD_ADDRESS;
	r = fake_find(uaddr, n, AS_PROT_WRITE);
	if (!r)
		return CAPOS_ERR_BAD_ADDRESS;
	memcpy(r->mem + (uaddr - r->base), src, n);
	return 0;
}

void *as_window(struct addrspace *as, uint64_t uaddr, size_t n)
{
	(void)as;
	if (n == 0 || fake_copy_out_fail || !fake_find(uaddr, n, AS_PROT_WRITE))
		return NULL;
	return fake_mem_ptr(uaddr, n);
}

/* The kernel's rules: the whole destination writable (else AS_BAD_DST), every user piece readable. */
int as_copy_gather(struct addrspace *as, uint64_t uaddr, const struct as_piece *p, unsigned n)
{
	uint64_t total = 0;
	uint8_t *dst;
	unsigned i;

	(void)as;
	for (i = 0; i < n; i++)
		total += p[i].len;
	if (total == 0)
		return 0;
	if (fake_copy_out_fail || !fake_find(uaddr, total, AS_PROT_WRITE))
		return AS_BAD_DST;
	dst = fake_mem_ptr(uaddr, total);
	for (i = 0; i < n; i++) {
		const struct fake_region *r = NULL;

		if (!p[i].kptr && p[i].len && !(r = fake_find(p[i].uaddr, p[i].len, AS_PROT_READ)))
			return AS_BAD_SRC;
		if (p[i].len)
			memmove(dst, p[i].kptr ? p[i].kptr : r->mem + (p[i].uaddr - r->base), p[i].len);
		dst += p[i].len;
	}
	return 0;
}

int as_check_access(struct addrspace *as, uint64_t uaddr, size_t n, uint32_t prot)
{
	(void)as;
	if (n == 0)
		return 0;
	return fake_find(uaddr, n, prot) ? 0 : CAPOS_ERR_BAD_ADDRESS;
}

int fake_park_calls, fake_unpark_calls;

/* PARK and UNPARK past their SQE checks (kernel: proc/park.c): counted, parked / none woken. */
int ring_park(const struct ring_caller *c, const struct capos_sqe *s)
{
	(void)c, (void)s;
	fake_park_calls++;
	return KOBJ_CALL_PENDING;
}

int ring_unpark(const struct ring_caller *c, const struct capos_sqe *s)
{
	(void)c, (void)s;
	fake_unpark_calls++;
	return 0;
}

void ring_wake(struct ring *r)
{
	__atomic_store_n(&fake_woken_last, r, __ATOMIC_RELAXED);
	__atomic_add_fetch(&fake_wake_count, 1, __ATOMIC_RELEASE);	/* may run on another thread */
}

static void fake_obj_destroy(struct kobj *k)
{
	((struct fake_obj *)k)->destroyed++;
}

static int fake_echo(struct call_ctx *ctx)
{
	if (ctx->params_len > ctx->result_cap)
		return CAPOS_ERR_RESULT_TOO_SMALL;
	if (ctx->params_len)
		memcpy(ctx->result, ctx->params, ctx->params_len);
	ctx->result_written = ctx->params_len;
	return 0;
}

static int fake_build(struct call_ctx *ctx)
{
	struct capnp_msg in, out;
	struct capnp_builder b;
	uint64_t v;
	int err;

	err = call_params_open(ctx, &in);
	if (err)
		return err;
	v = capnp_get_u64(capnp_msg_root_struct(&in), 0, 0);
	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	err = call_result_begin(ctx, &out);
	if (err)
		return err;
	b = capnp_msg_init_root(&out, 1, 0);
	capnp_set_u64(b, 0, v + 1, 0);
	return call_result_end(ctx, &out);
}

static int fake_obj_call(struct kobj *k, struct call_ctx *ctx)
{
	struct fake_obj *o = (struct fake_obj *)k;
	uint32_t n = ctx->params_len < sizeof(o->last_params) ? ctx->params_len :
								 sizeof(o->last_params);

	o->calls++;
	o->last_method = ctx->method_id;
	o->last_params_len = ctx->params_len;
	o->last_result_cap = ctx->result_cap;
	o->last_xfer_in = ctx->xfer_in_count;
	o->last_xfer_rights = ctx->xfer_in_count ? ctx->xfer_in_rights[0] : 0;
	if (n)
		memcpy(o->last_params, ctx->params, n);
	switch (ctx->method_id) {
	case FAKE_M_ECHO:
		return fake_echo(ctx);
	case FAKE_M_RAISE:
		return call_raise(ctx, 0, "fake refuses");
	case FAKE_M_BUILD:
		return fake_build(ctx);
	case FAKE_M_RELEASE_SELF: {
		int err = cap_table_remove(ctx->caller->caps, fake_self_id);

		return err ? err : fake_echo(ctx);
	}
	case FAKE_M_GIVE:
		for (uint32_t i = 0; i < fake_give; i++) {
			kobj_get(k);
			if (call_result_cap(ctx, k) < 0)
				return CAPOS_ERR_INVALID_ARGUMENT;
		}
		return fake_echo(ctx);
	case FAKE_M_HOOK:
		if (fake_hook)
			fake_hook();
		return fake_echo(ctx);
	default:
		return CAPOS_ERR_UNKNOWN_METHOD;
	}
}

static const struct kobj_ops fake_obj_ops = {
	.iface_id = 0x1234,
	.name = "Fake",
	.flags = KOBJ_F_TRANSFERABLE,
	.call = fake_obj_call,
	.destroy = fake_obj_destroy,
};

static const struct kobj_ops fake_pinned_ops = {
	.iface_id = 0x1235,
	.name = "FakePinned",
	.call = fake_obj_call,
	.destroy = fake_obj_destroy,
};

void fake_obj_init(struct fake_obj *o)
{
	memset(o, 0, sizeof(*o));
	kobj_init(&o->k, &fake_obj_ops);
}

void fake_obj_init_pinned(struct fake_obj *o)
{
	memset(o, 0, sizeof(*o));
	kobj_init(&o->k, &fake_pinned_ops);
}

void fake_proc_init(struct fake_proc *p)
{
	memset(p, 0, sizeof(*p));
	if (cap_table_init(&p->caps, 0))
		abort();
	p->region = aligned_alloc(CAPOS_PAGE_SIZE, CAPOS_RING_SIZE);
	ring_init(&p->ring, p->region, 0, 0);
	/* A zeroed address space: the fake user memory ignores it, IPC reads its unmap epoch. */
	p->peer = ipc_peer_create(&p->ring, &p->proc.as, &p->caps);
	if (!p->peer)
		abort();
	p->caller.caps = &p->caps;
	p->caller.as = &p->proc.as;
	p->caller.proc = &p->proc;
	p->caller.peer = p->peer;
	mem_account_init_root(&p->kmem, FAKE_KMEM_PAGES);
	p->caller.kmem = &p->kmem;
}

/* Tears down in the kernel's order (proc_release): stop IPC, drop caps, free. */
void fake_proc_fini(struct fake_proc *p)
{
	ipc_peer_kill(p->peer);
	cap_table_destroy(&p->caps);
	ipc_peer_put(p->peer);
	free(p->region);
}

void fake_submit(struct fake_proc *p, const struct capos_sqe *sqe)
{
	struct capos_ring_header *h = p->region;
	struct capos_sqe *sq = (struct capos_sqe *)((uint8_t *)p->region + CAPOS_RING_SQ_OFFSET);
	uint32_t tail = h->sq_tail;

	sq[tail & (CAPOS_RING_SQ_ENTRIES - 1)] = *sqe;
	capos_store_release_u32(&h->sq_tail, tail + 1);
}

int fake_reap(struct fake_proc *p, struct capos_cqe *cqe)
{
	struct capos_ring_header *h = p->region;
	struct capos_cqe *cq = (struct capos_cqe *)((uint8_t *)p->region + CAPOS_RING_CQ_OFFSET);
	uint32_t head = h->cq_head;

	if (head == capos_load_acquire_u32(&h->cq_tail))
		return -1;
	*cqe = cq[head & (CAPOS_RING_CQ_ENTRIES - 1)];
	capos_store_release_u32(&h->cq_head, head + 1);
	return 0;
}
