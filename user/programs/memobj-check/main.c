// SPDX-License-Identifier: MIT
/*
 * memobj-check: MemoryObject (shared memory) as its users see it, run as
 * init (the kernel's leak check at exit judges what the kernel kept). In
 * one process: create charged once to the creator, maps that cost nothing,
 * two maps of one object, partial unmap and protect, the read-only facet,
 * every bad argument refused with nothing changed, the region limit and
 * quota exhaustion with the system healthy. With memobj-peer (share.c):
 * two and three processes sharing pages, 1,000 create/transfer/map/unmap/
 * release cycles, unmap on one side while the other uses the pages, a
 * creator that exits while another maps its object, a child killed while it
 * maps one.
 */
#include "memobj_check.h"

capos_cap_t factory, spawner;

uint64_t used_pages(void)
{
	uint64_t quota = 0, used = 0;

	return vm_usage(rt.vm, &quota, &used) == 0 ? used : ~0ull;
}

/*
 * A mapper pays for its own page tables, made at map time and kept until
 * exit: made here once for the range the checks map into, the quota then
 * moves by exactly the object pages the checks expect.
 */
static void warm_tables(void)
{
	uint64_t before = used_pages(), a = 0;

	if (check_err(vm_map(rt.vm, 0, 64u << 20, VM_PROT_READ, &a), 0, "warm_map"))
		vm_unmap(rt.vm, a, 64u << 20);
	check(used_pages() > before, "the_mapper_pays_for_its_page_tables",
	      (long long)(used_pages() - before));
}

static void create_map_unmap(void)
{
	uint64_t before = used_pages(), size = 0, a = 0, b = 0;
	capos_cap_t o;

	if (!check_err(memobj_create(factory, 4 * PG, &o), 0, "create_4_pages"))
		return;
	check(used_pages() == before + 4, "create_charges_the_creator_once",
	      (long long)used_pages());
	check(memobj_size(o, &size) == 0 && size == 4 * PG, "size_is_4_pages", (long long)size);
	check_err(memobj_map(o, rt.vm, 0, VM_PROT_READ | VM_PROT_WRITE, &a), 0, "map_rw");
	check_err(memobj_map(o, rt.vm, 0, VM_PROT_READ, &b), 0, "map_again_ro");
	check(used_pages() == before + 4, "maps_cost_nothing", (long long)used_pages());
	volatile uint64_t *wa = (volatile uint64_t *)(uintptr_t)a;
	volatile uint64_t *wb = (volatile uint64_t *)(uintptr_t)b;

	check(wa[0] == 0 && wa[2047] == 0, "pages_start_zeroed", (long long)wa[0]);
	wa[0] = 0x5151;
	wa[1536] = 77;
	check(wb[0] == 0x5151 && wb[1536] == 77, "one_object_two_maps_same_pages", (long long)wb[0]);
	check_err(vm_unmap(rt.vm, a + PG, PG), 0, "unmap_a_page_inside");
	check(wa[1536] == 77 && wb[512] == 0, "the_rest_still_mapped", (long long)wa[1536]);
	wa[1024] = 5;			/* page 2, after the hole: the object's page 2 */
	check(wb[1024] == 5, "the_cut_keeps_its_offset", (long long)wb[1024]);
	check_err(vm_protect(rt.vm, a + 2 * PG, PG, VM_PROT_READ), 0, "protect_read_only");
	check_err(vm_protect(rt.vm, a + 2 * PG, PG, VM_PROT_READ | VM_PROT_WRITE), 0,
		  "protect_back_to_rw");
	check_err(vm_protect(rt.vm, a, PG, VM_PROT_READ | VM_PROT_EXEC), CAPOS_ERR_INVALID_ARGUMENT,
		  "shared_pages_never_executable");
	check_err(vm_unmap(rt.vm, a, PG), 0, "unmap_first_page");
	check_err(vm_unmap(rt.vm, a + 2 * PG, 2 * PG), 0, "unmap_the_rest");
	check(used_pages() == before + 4, "unmap_gives_nothing_back", (long long)used_pages());
	check_err(cap_release(o), 0, "release_while_mapped");
	check(wb[0] == 0x5151, "map_outlives_the_capability", (long long)wb[0]);
	check(used_pages() == before + 4, "still_charged_while_mapped", (long long)used_pages());
	check_err(vm_unmap(rt.vm, b, 4 * PG), 0, "unmap_the_last_map");
	check(used_pages() == before, "quota_back_when_the_object_dies", (long long)used_pages());
}

static void read_only_facet(void)
{
	capos_cap_t o, ro, ro2;
	uint64_t a = 0, b = 0;

	if (!check_err(memobj_create(factory, PG, &o), 0, "create_for_facet"))
		return;
	check_err(memobj_read_only(o, &ro), 0, "read_only_facet");
	check_err(memobj_map(ro, rt.vm, 0, VM_PROT_READ | VM_PROT_WRITE, &b),
		  CAPOS_ERR_INVALID_ARGUMENT, "read_only_facet_refuses_rw_map");
	check_err(memobj_map(ro, rt.vm, 0, VM_PROT_READ, &b), 0, "read_only_facet_maps_ro");
	check_err(vm_protect(rt.vm, b, PG, VM_PROT_READ | VM_PROT_WRITE),
		  CAPOS_ERR_INVALID_ARGUMENT, "protect_cannot_make_it_writable");
	check_err(memobj_read_only(ro, &ro2), 0, "facet_of_a_facet");
	check_err(memobj_map(ro2, rt.vm, 0, VM_PROT_READ | VM_PROT_WRITE, &a),
		  CAPOS_ERR_INVALID_ARGUMENT, "facet_of_a_facet_is_read_only");
	check_err(memobj_map(o, rt.vm, 0, VM_PROT_READ | VM_PROT_WRITE, &a), 0, "full_maps_rw");
	*(volatile uint64_t *)(uintptr_t)a = 99;
	check(*(volatile uint64_t *)(uintptr_t)b == 99, "facet_sees_the_same_pages", 0);
	check_err(vm_unmap(rt.vm, a, PG), 0, "unmap_full");
	check_err(vm_unmap(rt.vm, b, PG), 0, "unmap_facet");
	cap_release(ro2);
	cap_release(ro);
	cap_release(o);
}

static void bad_arguments(void)
{
	uint64_t before = used_pages(), a = 0;
	capos_cap_t o, x, owner, fake;

	check_err(memobj_create(factory, 0, &x), CAPOS_ERR_INVALID_ARGUMENT, "size_0_refused");
	check_err(memobj_create(factory, 100, &x), CAPOS_ERR_INVALID_ARGUMENT,
		  "size_not_pages_refused");
	check_err(memobj_create(factory, 1ull << 62, &x), CAPOS_ERR_INVALID_ARGUMENT,
		  "huge_size_refused");
	check_err(memobj_create(factory, (64ull << 20) + PG, &x), CAPOS_ERR_INVALID_ARGUMENT,
		  "above_64_mib_refused");
	check(used_pages() == before, "refused_creates_charged_nothing", (long long)used_pages());
	if (!check_err(memobj_create(factory, PG, &o), 0, "create_one_page"))
		return;
	const uint32_t bad_prot[] = { 0, VM_PROT_WRITE, VM_PROT_READ | VM_PROT_EXEC,
				      VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXEC, 8 | VM_PROT_READ };
	for (unsigned i = 0; i < sizeof(bad_prot) / sizeof(bad_prot[0]); i++)
		check_err(memobj_map(o, rt.vm, 0, bad_prot[i], &a), CAPOS_ERR_INVALID_ARGUMENT,
			  "bad_prot_refused");
	check_err(memobj_map(o, rt.vm, 0x200000000123ull, VM_PROT_READ, &a),
		  CAPOS_ERR_INVALID_ARGUMENT, "misaligned_hint_refused");
	check_err(memobj_map_raw(o, 0, NULL, 0, 0, VM_PROT_READ, &a), CAPOS_ERR_INVALID_ARGUMENT,
		  "no_vm_sent_refused");
	check_err(memobj_map_raw(o, 1, &rt.vm, 1, 0, VM_PROT_READ, &a),
		  CAPOS_ERR_INVALID_ARGUMENT, "vm_index_out_of_range_refused");
	capos_cap_t two[2] = { rt.vm, rt.vm };

	check_err(memobj_map_raw(o, 0, two, 2, 0, VM_PROT_READ, &a), CAPOS_ERR_INVALID_ARGUMENT,
		  "two_descriptors_refused");
	check_err(memobj_map(o, rt.console, 0, VM_PROT_READ, &a), CAPOS_ERR_INVALID_ARGUMENT,
		  "console_as_vm_refused");
	check_err(memobj_map(o, o, 0, VM_PROT_READ, &a), CAPOS_ERR_INVALID_ARGUMENT,
		  "itself_as_vm_refused");
	/* An endpoint's client facet may claim VirtualMemory's interface id: still refused. */
	capos_cap_t ef = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY);

	if (check_err(endpoint_create(ef, CAPOS_IFACE_VIRTUAL_MEMORY, &owner, &fake), 0,
		      "fake_vm_endpoint")) {
		check_err(memobj_map(o, fake, 0, VM_PROT_READ, &a), CAPOS_ERR_INVALID_ARGUMENT,
			  "fake_vm_facet_refused");
		cap_release(fake);
		cap_release(owner);
	}
	check_err(memobj_map(o, 0x0fff0001u, 0, VM_PROT_READ, &a), CAPOS_ERR_INVALID_CAP,
		  "forged_vm_refused");
	check_err(cap_release(o), 0, "release_object");
	check_err(memobj_map(o, rt.vm, 0, VM_PROT_READ, &a), CAPOS_ERR_STALE_CAP,
		  "released_object_refused");
	check_err(memobj_size(o, &a), CAPOS_ERR_STALE_CAP, "released_object_size_refused");
	check(used_pages() == before, "nothing_left_charged", (long long)used_pages());
}

/* Maps one object until the region limit answers overloaded, then unmaps them all. */
static void region_limit(void)
{
	static uint64_t addr[300];
	uint32_t n = 0;
	capos_cap_t o;
	int err = 0;

	if (!check_err(memobj_create(factory, PG, &o), 0, "create_for_limit"))
		return;
	while (n < 300 && (err = memobj_map(o, rt.vm, 0, VM_PROT_READ, &addr[n])) == 0)
		n++;
	check_err(err, CAPOS_ERR_QUOTA_EXCEEDED, "region_limit_overloaded");
	check(n > 200 && n <= 256, "maps_up_to_the_region_limit", n);
	err = 0;
	for (uint32_t i = 0; i < n; i++)
		err |= vm_unmap(rt.vm, addr[i], PG);
	check_err(err, 0, "every_map_unmapped");
	check_err(memobj_map(o, rt.vm, 0, VM_PROT_READ, &addr[0]), 0, "maps_again_after");
	check_err(vm_unmap(rt.vm, addr[0], PG), 0, "unmap_after");
	cap_release(o);
}

/* The largest object (64 MiB): its first and last pages are the object's. */
static void largest(void)
{
	uint64_t before = used_pages(), a = 0, b = 0, size = 64ull << 20;
	capos_cap_t o;

	if (!check_err(memobj_create(factory, size, &o), 0, "create_64_mib"))
		return;
	check(used_pages() == before + size / PG, "64_mib_charged", (long long)used_pages());
	if (check_err(memobj_map(o, rt.vm, 0, VM_PROT_READ | VM_PROT_WRITE, &a), 0, "map_64_mib") &&
	    check_err(memobj_map(o, rt.vm, 0, VM_PROT_READ, &b), 0, "map_64_mib_again")) {
		volatile uint64_t *wa = (volatile uint64_t *)(uintptr_t)a;
		volatile uint64_t *wb = (volatile uint64_t *)(uintptr_t)b;

		wa[0] = 1;
		wa[size / 8 - 1] = 2;
		check(wb[0] == 1 && wb[size / 8 - 1] == 2 && wb[size / 16] == 0,
		      "64_mib_first_and_last_pages_shared", (long long)wb[size / 8 - 1]);
		vm_unmap(rt.vm, a, size);
		vm_unmap(rt.vm, b, size);
	}
	cap_release(o);
	/* Back but for the page tables the second 64 MiB map made (one per 2 MiB, kept). */
	check(used_pages() - before <= size / PG / 512 + 4, "64_mib_given_back",
	      (long long)(used_pages() - before));
}

static void quota_exhausted(void)
{
	uint64_t quota = 0, used = 0, rest = 0;
	capos_cap_t o;

	(void)vm_usage(rt.vm, &quota, &used);
	if (!check_err(vm_map(rt.vm, 0, (quota - used) * PG, VM_PROT_READ, &rest), 0,
		       "map_the_whole_rest"))
		return;
	check_err(memobj_create(factory, PG, &o), CAPOS_ERR_QUOTA_EXCEEDED,
		  "create_beyond_the_quota_overloaded");
	check_err(vm_unmap(rt.vm, rest, (quota - used) * PG), 0, "unmap_the_rest");
	check_err(memobj_create(factory, PG, &o), 0, "healthy_after");
	cap_release(o);
	check(used_pages() == used, "quota_as_it_was", (long long)used_pages());
}

int main(void)
{
	check_init("memobj-check");
	factory = rt_cap("memory", CAPOS_IFACE_MEMORY_OBJECT_FACTORY);
	spawner = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	check(factory != CAPOS_CAP_INVALID, "init_holds_the_factory", 0);
	warm_tables();
	create_map_unmap();
	read_only_facet();
	bad_arguments();
	region_limit();
	largest();
	quota_exhausted();
	share_two();
	share_concurrent();
	share_three();
	share_thousand();
	share_creator_exits();
	share_killed();
	return check_done();
}
