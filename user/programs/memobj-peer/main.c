// SPDX-License-Identifier: MIT
/*
 * memobj-peer: the other side of memobj-check's shares. It serves raw calls
 * on its endpoint "ep" (peer.h): maps the MemoryObjects it is sent into its
 * own VirtualMemory, reads and writes their words, unmaps them, and creates
 * objects of its own with "memory" when granted it.
 */
#include "ipc_call.h"
#include "memobj.h"
#include "peer.h"
#include "rt.h"

struct slot {
	capos_cap_t obj;
	uint64_t addr, size;
};

static struct slot slots[PEER_SLOTS];
static uint32_t nslots;
static uint64_t buf[128];

/* The capability the call carries (its first transfer record). */
static capos_cap_t sent_cap(const struct capos_recv_header *h)
{
	uint32_t off = (sizeof(*h) + h->params_len + 7u) & ~7u;
	const struct capos_xfer_result *rec = (const void *)((const uint8_t *)buf + off);

	if (!h->xfer_count || off + sizeof(*rec) > sizeof(buf) ||
	    rec->interface_id != CAPOS_IFACE_MEMORY_OBJECT)
		return CAPOS_CAP_INVALID;
	return rec->cap_id;
}

static volatile uint64_t *word_at(uint64_t slot, uint64_t word)
{
	if (slot >= nslots || word >= slots[slot].size / 8)
		return NULL;
	return (volatile uint64_t *)(uintptr_t)(slots[slot].addr + word * 8);
}

static int64_t do_map(capos_cap_t obj, uint32_t prot, uint64_t *addr)
{
	uint64_t size = 0;
	int err;

	if (obj == CAPOS_CAP_INVALID || nslots == PEER_SLOTS)
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = memobj_size(obj, &size);
	if (!err)
		err = memobj_map(obj, rt.vm, 0, prot, addr);
	if (err)
		return err;
	slots[nslots++] = (struct slot){ obj, *addr, size };
	return 0;
}

static int64_t do_cycle(capos_cap_t obj, uint64_t *out)
{
	uint64_t addr = 0, size = 0;
	int err = memobj_size(obj, &size);

	if (!err)
		err = memobj_map(obj, rt.vm, 0, VM_PROT_READ | VM_PROT_WRITE, &addr);
	if (err)
		return err;
	volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)addr;

	*out = w[0];
	w[1] = 2 * w[0] + 1;
	err = vm_unmap(rt.vm, addr, size);
	int rel = cap_release(obj);

	return err ? err : rel;
}

static int64_t do_create(const uint64_t *p, capos_cap_t *made)
{
	capos_cap_t f = rt_cap("memory", CAPOS_IFACE_MEMORY_OBJECT_FACTORY);
	uint64_t addr = 0;
	int64_t err = memobj_create(f, p[0], made);

	if (err)
		return err;
	err = do_map(*made, VM_PROT_READ | VM_PROT_WRITE, &addr);
	if (!err)
		*(volatile uint64_t *)(uintptr_t)addr = p[1];
	return err;
}

/* Counts in a word of a slot until the caller sets the stop word (bounded). */
static int64_t do_spin(const uint64_t *p, uint64_t *n)
{
	volatile uint64_t *w = word_at(p[0], p[1]), *stop = word_at(p[0], p[2]);

	if (!w || !stop)
		return CAPOS_ERR_INVALID_ARGUMENT;
	for (*n = 0; !*stop && *n < (1ull << 40);)
		*w = ++*n;
	return 0;
}

/* Serves one call; false once it was PEER_EXIT. */
static bool serve(capos_cap_t ep, int *code)
{
	const struct capos_recv_header *h = (const void *)buf;
	const uint64_t *p = buf + sizeof(*h) / 8;
	struct capos_xfer x = { .mode = CAPOS_XFER_MOVE };
	uint64_t r[2] = { 0, 0 };
	volatile uint64_t *w;
	struct capos_cqe cqe;
	uint64_t rid;
	uint8_t nx = 0;

	if (ipc_recv_submit(&rt.ring, ep, buf, sizeof(buf), &rid) ||
	    ipc_wait_id(&rt.ring, rid, CAPOS_TIMEOUT_INFINITE, &cqe) < 0)
		return false;
	switch (h->method_id) {
	case PEER_MAP:
		r[0] = (uint64_t)do_map(sent_cap(h), (uint32_t)p[0], &r[1]);
		break;
	case PEER_READ:
		w = word_at(p[0], p[1]);
		r[0] = w ? 0 : (uint64_t)CAPOS_ERR_INVALID_ARGUMENT;
		r[1] = w ? *w : 0;
		break;
	case PEER_WRITE:
		w = word_at(p[0], p[1]);
		if (w)
			*w = p[2];	/* a read-only slot: this process is killed here */
		r[0] = w ? 0 : (uint64_t)CAPOS_ERR_INVALID_ARGUMENT;
		break;
	case PEER_UNMAP:
		r[0] = (uint64_t)(p[0] < nslots ? vm_unmap(rt.vm, slots[p[0]].addr, slots[p[0]].size)
						: CAPOS_ERR_INVALID_ARGUMENT);
		if (!r[0])
			r[0] = (uint64_t)cap_release(slots[p[0]].obj);
		break;
	case PEER_CYCLE:
		r[0] = (uint64_t)do_cycle(sent_cap(h), &r[1]);
		break;
	case PEER_CREATE:
		r[0] = (uint64_t)do_create(p, &x.cap_id);
		nx = r[0] ? 0 : 1;
		break;
	case PEER_SPIN:
		/* Answers first, so the caller runs on while this process counts. */
		(void)ipc_return(&rt.ring, ep, h->call_id, 0, r, sizeof(r), NULL, 0);
		(void)do_spin(p, &r[1]);
		return true;
	case PEER_EXIT:
		*code = (int)p[0];
		(void)ipc_return(&rt.ring, ep, h->call_id, 0, r, sizeof(r), NULL, 0);
		return false;
	default:
		r[0] = (uint64_t)CAPOS_ERR_UNKNOWN_METHOD;
	}
	(void)ipc_return(&rt.ring, ep, h->call_id, 0, r, sizeof(r), nx ? &x : NULL, nx);
	return true;
}

int main(void)
{
	capos_cap_t ep = rt_cap("ep", CAPOS_IFACE_ENDPOINT);
	int code = 3;

	if (ep == CAPOS_CAP_INVALID)
		return 2;
	while (serve(ep, &code))
		;
	return code;
}
