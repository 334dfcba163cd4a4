// SPDX-License-Identifier: MIT
/*
 * memobj-check with memobj-peer: objects passed by IPC and mapped in two
 * and three processes at once (check.h). Each peer is a child with its own
 * endpoint, answering the raw commands of peer.h.
 */
#include "ipc_call.h"
#include "memobj_check.h"

#define PEER_IFACE 0x6d656d6f626a7065ull	/* the peer's endpoint: raw commands */

struct peer {
	capos_cap_t handle, ep;
	uint64_t r[2];		/* the last answer: error code, value */
	capos_cap_t got;	/* a capability the last answer carried, or invalid */
};

/* Starts a peer with a quota of `pages`, and the factory if `with_factory`. */
static bool peer_start(struct peer *p, const char *name, uint64_t pages, bool with_factory)
{
	struct spawn_grant g[] = {
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "ep", PEER_IFACE, 0, SPAWN_NEW_ENDPOINT },
		{ "vm", CAPOS_IFACE_VIRTUAL_MEMORY, (capos_cap_t)pages, SPAWN_VIRTUAL_MEMORY },
		{ "memory", CAPOS_IFACE_MEMORY_OBJECT_FACTORY, factory, CAPOS_XFER_COPY },
	};
	capos_cap_t facets[4];

	if (spawner_spawn_ep(spawner, name, "memobj-peer", g, with_factory ? 4 : 3, &p->handle,
			     facets) != 0)
		return false;
	p->ep = facets[1];
	return true;
}

/* Command cmd with words a[0..3) and obj (if valid) sent with mode; 0 or an error. */
static int peer_cmd_obj(struct peer *p, uint16_t cmd, uint64_t a0, uint64_t a1, uint64_t a2,
			capos_cap_t obj, uint8_t mode)
{
	uint64_t params[3] = { a0, a1, a2 }, result[8];
	struct capos_xfer x = { .cap_id = obj, .mode = mode };
	struct capos_cqe cqe;
	bool send = obj != CAPOS_CAP_INVALID;
	int ret = uring_call(&rt.ring, p->ep, cmd, params, sizeof(params), result, sizeof(result),
			     send ? &x : NULL, send ? 1 : 0, &cqe);

	p->got = CAPOS_CAP_INVALID;
	if (ret < 0)
		return ret;
	if (cqe.written < 16)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	p->r[0] = result[0];
	p->r[1] = result[1];
	if ((cqe.flags & CAPOS_CQE_F_XFER) && cqe.xfer_count == 1) {
		const struct capos_xfer_result *rec = (const void *)&result[2];

		p->got = rec->cap_id;
	}
	return (int)(int64_t)p->r[0];
}

static int peer_cmd(struct peer *p, uint16_t cmd, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return peer_cmd_obj(p, cmd, a0, a1, a2, CAPOS_CAP_INVALID, 0);
}

/* The peer's word `word` of slot `slot`, or ~0 if it could not be read. */
static uint64_t peer_read(struct peer *p, uint64_t slot, uint64_t word)
{
	return peer_cmd(p, PEER_READ, slot, word, 0) == 0 ? p->r[1] : ~0ull;
}

/* Ends a peer with PEER_EXIT and checks its exit code. */
static void peer_end(struct peer *p, const char *name)
{
	int64_t code = -100;

	(void)peer_cmd(p, PEER_EXIT, 0, 0, 0);
	check(process_wait(p->handle, &code) == 0 && code == 0, name, code);
	cap_release(p->ep);
	cap_release(p->handle);
}

static volatile uint64_t *map_own(capos_cap_t o, uint32_t prot, uint64_t *addr)
{
	*addr = 0;
	if (memobj_map(o, rt.vm, 0, prot, addr) != 0)
		return NULL;
	return (volatile uint64_t *)(uintptr_t)*addr;
}

/* Two processes share pages; either side may unmap while the other goes on. */
void share_two(void)
{
	struct peer p;
	capos_cap_t o;
	uint64_t a;
	volatile uint64_t *w;

	if (!check(peer_start(&p, "peer", 64, false), "peer_started", 0))
		return;
	if (!check_err(memobj_create(factory, 2 * PG, &o), 0, "create_to_share") ||
	    !(w = map_own(o, VM_PROT_READ | VM_PROT_WRITE, &a)))
		return;
	w[0] = 0x1234;
	check_err(peer_cmd_obj(&p, PEER_MAP, VM_PROT_READ | VM_PROT_WRITE, 0, 0, o,
			       CAPOS_XFER_COPY), 0, "peer_maps_it");
	check(peer_read(&p, 0, 0) == 0x1234, "peer_sees_our_write", (long long)peer_read(&p, 0, 0));
	check_err(peer_cmd(&p, PEER_WRITE, 0, 600, 0xabcd), 0, "peer_writes");
	check(w[600] == 0xabcd, "we_see_the_peers_write", (long long)w[600]);
	check_err(vm_unmap(rt.vm, a, 2 * PG), 0, "we_unmap");
	check_err(peer_cmd(&p, PEER_WRITE, 0, 700, 0x77), 0, "peer_writes_after_our_unmap");
	check(peer_read(&p, 0, 0) == 0x1234, "peer_keeps_its_mapping", 0);
	w = map_own(o, VM_PROT_READ, &a);
	check(w && w[700] == 0x77, "we_map_again_and_see_it", w ? (long long)w[700] : -1);
	check_err(peer_cmd(&p, PEER_UNMAP, 0, 0, 0), 0, "peer_unmaps_and_releases");
	check(w && w[600] == 0xabcd, "we_keep_ours", 0);
	peer_end(&p, "peer_exits_0");
	if (w)
		check_err(vm_unmap(rt.vm, a, 2 * PG), 0, "unmap_ours");
	cap_release(o);
}

/* Three processes: one writes, the others (one through a read-only facet) read. */
void share_three(void)
{
	struct peer a, b;
	capos_cap_t o, ro;
	uint64_t addr;
	int64_t code = 0;
	volatile uint64_t *w;

	if (!check(peer_start(&a, "writer", 64, false) && peer_start(&b, "reader", 64, false),
		   "two_peers_started", 0))
		return;
	if (!check_err(memobj_create(factory, PG, &o), 0, "create_for_three") ||
	    !check_err(memobj_read_only(o, &ro), 0, "facet_for_three"))
		return;
	check_err(peer_cmd_obj(&a, PEER_MAP, VM_PROT_READ | VM_PROT_WRITE, 0, 0, o,
			       CAPOS_XFER_COPY), 0, "writer_maps_rw");
	check_err(peer_cmd_obj(&b, PEER_MAP, VM_PROT_READ | VM_PROT_WRITE, 0, 0, ro,
			       CAPOS_XFER_COPY), CAPOS_ERR_INVALID_ARGUMENT,
		  "reader_cannot_map_rw");
	check_err(peer_cmd_obj(&b, PEER_MAP, VM_PROT_READ, 0, 0, ro, CAPOS_XFER_MOVE), 0,
		  "reader_maps_ro");
	w = map_own(o, VM_PROT_READ, &addr);
	check_err(peer_cmd(&a, PEER_WRITE, 0, 9, 0x333), 0, "writer_writes");
	check(peer_read(&b, 0, 9) == 0x333, "reader_sees_it", (long long)peer_read(&b, 0, 9));
	check(w && w[9] == 0x333, "third_process_sees_it", 0);
	/* The reader's map is read-only in the page tables too: a write kills it. */
	(void)peer_cmd(&b, PEER_WRITE, 0, 9, 1);
	check(process_wait(b.handle, &code) == 0 && code == capos_ProcessHandle_exitFault,
	      "write_through_read_only_map_faults", code);
	cap_release(b.ep);
	cap_release(b.handle);
	check(w && w[9] == 0x333, "nothing_written_by_the_reader", 0);
	check(peer_read(&a, 0, 9) == 0x333, "writer_still_maps_it", 0);
	peer_end(&a, "writer_exits_0");
	if (w)
		vm_unmap(rt.vm, addr, PG);
	cap_release(o);
}

/* 1,000 create / transfer / map / unmap / release cycles between two processes. */
void share_thousand(void)
{
	uint64_t before = used_pages(), addr;
	uint32_t i, ok = 0;
	struct peer p;
	capos_cap_t o;

	if (!check(peer_start(&p, "cycler", 64, false), "cycler_started", 0))
		return;
	for (i = 0; i < 1000; i++) {
		volatile uint64_t *w;

		if (memobj_create(factory, PG, &o) != 0)
			break;
		w = map_own(o, VM_PROT_READ | VM_PROT_WRITE, &addr);
		if (w) {
			w[0] = i;
			ok += peer_cmd_obj(&p, PEER_CYCLE, 0, 0, 0, o, CAPOS_XFER_COPY) == 0 &&
			      p.r[1] == i && w[1] == 2ull * i + 1;
			vm_unmap(rt.vm, addr, PG);
		}
		cap_release(o);
	}
	check(ok == 1000, "thousand_shares_between_two_processes", ok);
	/* The peer's quota, and its image, stacks and tables, which its spawner pays. */
	uint64_t during = used_pages() - before;

	check(during >= 64 && during <= 64 + 96, "thousand_shares_leave_the_quota", (long long)during);
	peer_end(&p, "cycler_exits_0");
	check(used_pages() == before, "thousand_shares_all_back_after_the_peer",
	      (long long)(used_pages() - before));
}

/*
 * The creator exits while we map its object: the pages stay, and its quota
 * (charged to us, its parent) comes back only when the object dies.
 */
void share_creator_exits(void)
{
	uint64_t before = used_pages(), addr;
	int64_t code = -100;
	struct peer p;
	capos_cap_t o;

	if (!check(peer_start(&p, "creator", 32, true), "creator_started", 0))
		return;
	if (!check_err(peer_cmd(&p, PEER_CREATE, 8 * PG, 0xfeed, 0), 0, "peer_creates") ||
	    !check(p.got != CAPOS_CAP_INVALID, "object_moved_to_us", 0))
		return;
	o = p.got;
	check_err(peer_cmd(&p, PEER_CREATE, 32 * PG, 0, 0), CAPOS_ERR_QUOTA_EXCEEDED,
		  "peer_over_its_quota_overloaded");
	(void)peer_cmd(&p, PEER_EXIT, 0, 0, 0);
	check(process_wait(p.handle, &code) == 0 && code == 0, "creator_exits_0", code);
	cap_release(p.ep);
	cap_release(p.handle);
	check(used_pages() == before + 32, "creator_quota_held_while_object_lives",
	      (long long)used_pages());
	volatile uint64_t *w = map_own(o, VM_PROT_READ | VM_PROT_WRITE, &addr);

	check(w && w[0] == 0xfeed, "pages_outlive_their_creator", w ? (long long)w[0] : -1);
	check_err(cap_release(o), 0, "release_creators_object");
	if (w) {
		w[1] = 1;	/* still ours through the map */
		check_err(vm_unmap(rt.vm, addr, 8 * PG), 0, "unmap_creators_object");
	}
	check(used_pages() == before, "creator_quota_back_when_object_dies",
	      (long long)used_pages());
}

/* A child killed while it maps objects: one we share, one only it held. */
void share_killed(void)
{
	uint64_t addr;
	int64_t code = 0;
	struct peer p;
	capos_cap_t o, only;
	volatile uint64_t *w;

	if (!check(peer_start(&p, "victim", 64, false), "victim_started", 0))
		return;
	if (!check_err(memobj_create(factory, PG, &o), 0, "create_shared_with_victim") ||
	    !check_err(memobj_create(factory, 4 * PG, &only), 0, "create_for_victim_only"))
		return;
	w = map_own(o, VM_PROT_READ | VM_PROT_WRITE, &addr);
	check_err(peer_cmd_obj(&p, PEER_MAP, VM_PROT_READ | VM_PROT_WRITE, 0, 0, o,
			       CAPOS_XFER_COPY), 0, "victim_maps_shared");
	check_err(peer_cmd_obj(&p, PEER_MAP, VM_PROT_READ | VM_PROT_WRITE, 0, 0, only,
			       CAPOS_XFER_MOVE), 0, "victim_maps_its_own");
	check_err(peer_cmd(&p, PEER_WRITE, 0, 3, 0x42), 0, "victim_writes");
	check_err(process_kill(p.handle), 0, "kill_victim");
	check(process_wait(p.handle, &code) == 0 && code == capos_ProcessHandle_exitKilled,
	      "victim_killed", code);
	cap_release(p.ep);
	cap_release(p.handle);
	check(w && w[3] == 0x42, "pages_outlive_the_killed_mapper", 0);
	if (w) {
		w[4] = 1;
		vm_unmap(rt.vm, addr, PG);
	}
	cap_release(o);
}

/*
 * The peer writes a counter into the shared page, never stopping to call,
 * while we unmap our mapping and map it again and again (preemption, and a
 * 1 ms sleep each time, run both): the peer's mapping never notices, and we
 * see it count on.
 */
void share_concurrent(void)
{
	uint32_t cycles = 0, moved = 0;
	uint64_t addr, last = 0;
	volatile uint64_t *w;
	struct peer p;
	capos_cap_t o;

	if (!check(peer_start(&p, "spinner", 64, false), "spinner_started", 0))
		return;
	if (!check_err(memobj_create(factory, PG, &o), 0, "create_to_spin_on") ||
	    !(w = map_own(o, VM_PROT_READ | VM_PROT_WRITE, &addr)) ||
	    !check_err(peer_cmd_obj(&p, PEER_MAP, VM_PROT_READ | VM_PROT_WRITE, 0, 0, o,
				    CAPOS_XFER_COPY), 0, "spinner_maps_it") ||
	    !check_err(peer_cmd(&p, PEER_SPIN, 0, 10, 11), 0, "spinner_spins"))
		return;
	while (w && moved < 5 && cycles < 2000) {
		(void)uring_sys_enter(1, 1000000);	/* nothing pending: sleeps 1 ms */
		if (vm_unmap(rt.vm, addr, PG) != 0)
			break;
		w = map_own(o, VM_PROT_READ | VM_PROT_WRITE, &addr);
		cycles++;
		if (w && w[10] != last) {
			moved++;
			last = w[10];
		}
	}
	check(moved >= 5, "unmap_and_map_while_the_peer_writes", (long long)cycles);
	if (w)
		w[11] = 1;	/* stop: the peer serves again */
	uint64_t n = peer_read(&p, 0, 10);

	check(w && n == w[10] && n >= last && n > 0, "peer_counted_on_through_it", (long long)n);
	peer_end(&p, "spinner_exits_0");
	if (w)
		vm_unmap(rt.vm, addr, PG);
	cap_release(o);
}
