// SPDX-License-Identifier: MIT
/*
 * vm-check: VirtualMemory as its user sees it, run as init (the kernel's
 * leak check at exit judges what the kernel kept): map, touch, protect and
 * unmap with the quota following; W^X and every bad argument refused with
 * nothing changed; code run from a page made read-and-execute; the rules
 * enforced by faults (a child killed for each: vm-fault); the quota, handed
 * down to a child and back, and exhausted with the system still healthy;
 * IPC into memory never touched, and an unmap between a RECV and its call
 * that leaves the kernel no frame to write into; 10,000 map/touch/unmap
 * cycles.
 */
#include <capos/layout.h>

#include "check.h"
#include "ipc_call.h"
#include "rt.h"

#define MAP_AREA 0x0000200000000000ull
#define CYCLES 10000u

static uint64_t used_pages(void)
{
	uint64_t quota = 0, used = 0;

	return vm_usage(rt.vm, &quota, &used) == 0 ? used : ~0ull;
}

/*
 * Maps and unmaps the ranges the checks below use, so that the page tables
 * they need exist (charged, and kept until exit): the quota then moves by
 * exactly the pages each check maps.
 */
static void warm_tables(void)
{
	uint64_t a = 0, b = 0;

	if (vm_map(rt.vm, 0, 16u << 20, VM_PROT_READ, &a) == 0)
		vm_unmap(rt.vm, a, 16u << 20);
	if (vm_map(rt.vm, MAP_AREA + 0x40000000ull, 16u << 20, VM_PROT_READ, &b) == 0)
		vm_unmap(rt.vm, b, 16u << 20);
	check(a == MAP_AREA && b == MAP_AREA + 0x40000000ull, "tables_made_where_the_checks_map",
	      (long long)a);
}

static void map_touch_unmap(void)
{
	uint64_t before = used_pages(), addr = 0;
	int err = vm_map(rt.vm, 0, 4 * VM_PAGE, VM_PROT_READ | VM_PROT_WRITE, &addr);

	if (!check_err(err, 0, "map_4_pages"))
		return;
	check(addr >= MAP_AREA && addr % VM_PAGE == 0, "map_in_the_mapping_area", (long long)addr);
	check(used_pages() == before + 4, "map_charges_the_quota", (long long)used_pages());
	volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)addr;
	check(w[0] == 0 && w[1023] == 0 && w[1536] == 0, "pages_start_zeroed", (long long)w[0]);
	w[0] = 0x1122334455667788ull;
	w[2047] = 42;
	check(w[0] == 0x1122334455667788ull && w[2047] == 42, "pages_hold_writes", 0);
	check_err(vm_protect(rt.vm, addr, 2 * VM_PAGE, VM_PROT_READ), 0, "protect_read_only");
	check(w[0] == 0x1122334455667788ull, "read_only_still_reads", 0);
	check_err(vm_unmap(rt.vm, addr + VM_PAGE, VM_PAGE), 0, "unmap_one_page_inside");
	check_err(vm_unmap(rt.vm, addr, 4 * VM_PAGE), CAPOS_ERR_INVALID_ARGUMENT,
		  "unmap_over_a_hole_refused");
	check(used_pages() == before + 3, "unmap_gives_pages_back", (long long)used_pages());
	check_err(vm_unmap(rt.vm, addr, VM_PAGE), 0, "unmap_first_page");
	check_err(vm_unmap(rt.vm, addr + 2 * VM_PAGE, 2 * VM_PAGE), 0, "unmap_rest");
	check(used_pages() == before, "quota_back_where_it_was", (long long)used_pages());
}

static void hint_and_bad_arguments(void)
{
	uint64_t before = used_pages(), a = 0, b = 0, hint = MAP_AREA + 0x40000000ull;

	check_err(vm_map(rt.vm, hint, VM_PAGE, VM_PROT_READ, &a), 0, "map_at_hint");
	check(a == hint, "hint_taken", (long long)a);
	check_err(vm_map(rt.vm, hint, VM_PAGE, VM_PROT_READ, &b), 0, "map_at_taken_hint");
	check(b != hint, "taken_hint_moves", (long long)b);
	check_err(vm_map(rt.vm, 0, VM_PAGE, VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXEC, &b),
		  CAPOS_ERR_INVALID_ARGUMENT, "write_and_execute_refused");
	check_err(vm_map(rt.vm, 0, VM_PAGE, 0, &b), CAPOS_ERR_INVALID_ARGUMENT, "no_read_refused");
	check_err(vm_map(rt.vm, 0, VM_PAGE, 8 | VM_PROT_READ, &b), CAPOS_ERR_INVALID_ARGUMENT,
		  "unknown_prot_bit_refused");
	check_err(vm_map(rt.vm, 0, 0, VM_PROT_READ, &b), CAPOS_ERR_INVALID_ARGUMENT,
		  "size_0_refused");
	check_err(vm_map(rt.vm, 0, 100, VM_PROT_READ, &b), CAPOS_ERR_INVALID_ARGUMENT,
		  "size_not_pages_refused");
	check_err(vm_map(rt.vm, 0, 1ull << 62, VM_PROT_READ, &b), CAPOS_ERR_INVALID_ARGUMENT,
		  "huge_size_refused");
	check_err(vm_protect(rt.vm, a, VM_PAGE, VM_PROT_WRITE | VM_PROT_EXEC | VM_PROT_READ),
		  CAPOS_ERR_INVALID_ARGUMENT, "protect_write_and_execute_refused");
	check_err(vm_unmap(rt.vm, a + 1, VM_PAGE), CAPOS_ERR_INVALID_ARGUMENT,
		  "unaligned_unmap_refused");
	check_err(vm_unmap(rt.vm, CAPOS_RING_VADDR, VM_PAGE), CAPOS_ERR_INVALID_ARGUMENT,
		  "ring_not_unmappable");
	check_err(vm_unmap(rt.vm, CAPOS_USER_STACK_TOP - VM_PAGE, VM_PAGE),
		  CAPOS_ERR_INVALID_ARGUMENT, "stack_not_unmappable");
	check_err(vm_protect(rt.vm, 0x400000, VM_PAGE, VM_PROT_READ | VM_PROT_WRITE),
		  CAPOS_ERR_INVALID_ARGUMENT, "image_not_protectable");
	check_err(vm_unmap(rt.vm, ~0ull & ~(uint64_t)(VM_PAGE - 1), VM_PAGE),
		  CAPOS_ERR_INVALID_ARGUMENT, "wrapping_unmap_refused");
	check(used_pages() == before + 2, "refusals_charged_nothing", (long long)used_pages());
	check_err(vm_unmap(rt.vm, a, VM_PAGE), 0, "unmap_hint_page");
	check_err(vm_unmap(rt.vm, b, VM_PAGE), 0, "unmap_moved_page");
}

/* Code written into a page, made read-and-execute (W^X by protect), runs. */
static void execute(void)
{
	static const uint8_t code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };	/* mov $42,%eax; ret */
	uint64_t addr = 0;

	if (!check_err(vm_map(rt.vm, 0, VM_PAGE, VM_PROT_READ | VM_PROT_WRITE, &addr), 0,
		       "map_code_page"))
		return;
	memcpy((void *)(uintptr_t)addr, code, sizeof(code));
	check_err(vm_protect(rt.vm, addr, VM_PAGE, VM_PROT_READ | VM_PROT_EXEC), 0,
		  "protect_read_execute");
	int (*fn)(void) = (int (*)(void))(uintptr_t)addr;
	check(fn() == 42, "code_runs_from_it", 0);
	check_err(vm_unmap(rt.vm, addr, VM_PAGE), 0, "unmap_code_page");
}

static void fault_child(capos_cap_t sp, const char *rule)
{
	struct spawn_grant g = { rule, CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY };
	char name[48];
	capos_cap_t h;
	int64_t code = 0;

	snprintf(name, sizeof(name), "%s_is_killed", rule);
	if (!check_err(spawner_spawn(sp, "vm-fault", "vm-fault", &g, 1, &h), 0, name))
		return;
	int werr = process_wait(h, &code);	/* before `code` is read */

	check(werr == 0 && code == -1, name, werr ? werr : code);
	cap_release(h);
}

/* A child's quota is the parent's while it lives; asking for more than is left is refused. */
static void quota_handed_down(capos_cap_t sp)
{
	uint64_t quota = 0, used = 0;
	capos_cap_t h;
	int64_t code;

	(void)vm_usage(rt.vm, &quota, &used);
	struct spawn_grant big[] = {
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "vm", CAPOS_IFACE_VIRTUAL_MEMORY, (capos_cap_t)(quota - used + 1), SPAWN_VIRTUAL_MEMORY },
	};
	check_err(spawner_spawn(sp, "too-big", "exit0", big, 2, &h),
		  CAPOS_ERR_APPLICATION_EXCEPTION, "child_quota_beyond_what_is_left_refused");
	check(used_pages() == used, "refused_child_charged_nothing", (long long)used_pages());
	/* A child that blocks until killed: measured while it surely lives. */
	big[0].name = "block";
	big[1].cap = 300;
	if (!check_err(spawner_spawn(sp, "child", "proc-victim", big, 2, &h), 0,
		       "child_with_300_pages"))
		return;
	uint64_t during = used_pages();

	/*
	 * The parent pays the child's quota and, as its spawner, the child's
	 * image, tables, stacks and ring (docs/virtual-memory.md): a few pages.
	 */
	check(during >= used + 300 + 8 && during <= used + 300 + 96,
	      "child_quota_and_kernel_memory_charged_to_parent", (long long)(during - used - 300));
	int err = process_kill(h);

	err = err ? err : process_wait(h, &code);
	check(err == 0 && code == -2, "child_killed", err ? err : code);
	cap_release(h);
	check(used_pages() == used, "child_quota_back_after_exit", (long long)used_pages());
}

static void quota_exhausted(void)
{
	uint64_t quota = 0, used = 0, addr = 0, small = 0;

	(void)vm_usage(rt.vm, &quota, &used);
	check_err(vm_map(rt.vm, 0, (quota - used + 1) * VM_PAGE, VM_PROT_READ, &addr),
		  CAPOS_ERR_QUOTA_EXCEEDED, "over_quota_map_overloaded");
	/*
	 * All that is left, untouched (demand-zero costs nothing until touched),
	 * less room for the page tables the range needs, which are charged too:
	 * a leaf table per 2 MiB and at most three more.
	 */
	uint64_t rest = quota - used, slack = rest / 512 + 4, used2 = 0, left = 0;

	if (!check_err(vm_map(rt.vm, 0, (rest - slack) * VM_PAGE, VM_PROT_READ, &addr), 0,
		       "map_the_rest_but_its_tables"))
		return;
	(void)vm_usage(rt.vm, &quota, &used2);
	left = quota - used2;
	check(used2 > used + rest - slack && left < slack, "its_page_tables_charged",
	      (long long)(used2 - used - (rest - slack)));
	check_err(vm_map(rt.vm, 0, (left + 1) * VM_PAGE, VM_PROT_READ, &small),
		  CAPOS_ERR_QUOTA_EXCEEDED, "nothing_left_overloaded");
	check(malloc(64u << 20) == NULL, "malloc_fails_cleanly_at_quota", 0);	/* beyond the heap */
	check_err(vm_unmap(rt.vm, addr, (rest - slack) * VM_PAGE), 0, "unmap_the_rest");
	check_err(vm_map(rt.vm, 0, VM_PAGE, VM_PROT_READ, &small), 0, "healthy_after");
	check_err(vm_unmap(rt.vm, small, VM_PAGE), 0, "unmap_small");
}

/* Queues a CALL of cap with params, its answer into result; returns its user_data. */
static uint64_t call_submit(capos_cap_t cap, const void *params, uint32_t len, void *result,
			    uint32_t rlen)
{
	struct capos_sqe *s = uring_get_sqe(&rt.ring);
	uint64_t ud = uring_next_id(&rt.ring);

	if (!s)
		return 0;
	s->opcode = CAPOS_OP_CALL;
	s->cap_id = cap;
	s->user_data = ud;
	s->params_addr = (uint64_t)(uintptr_t)params;
	s->params_len = len;
	s->result_addr = (uint64_t)(uintptr_t)result;
	s->result_len = rlen;
	uring_submit(&rt.ring);
	return ud;
}

/*
 * A RECV posted into a page never touched gets its message (the kernel fills
 * the page in); a RECV whose page is unmapped before the call comes fails
 * with BAD_ADDRESS instead of the kernel writing into a freed frame, and the
 * call waits for another receiver (here: none, so it fails when the
 * endpoint goes).
 */
static void ipc_into_fresh_and_unmapped(void)
{
	capos_cap_t ef = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY), owner, client;
	static uint64_t params[2] = { 1ull << 32, 0 }, result[16];	/* one segment, one word */
	struct capos_cqe rcqe, ccqe;
	uint64_t buf = 0, rud, cud;

	if (!check_err(endpoint_create(ef, 0x1234, &owner, &client), 0, "endpoint"))
		return;
	/*
	 * Round 1: fresh pages on both sides. The receive buffer is filled in
	 * by the kernel's claim (a page walk); the params page is first touched
	 * by the kernel's own user copy, a fault it resolves (trap.c).
	 */
	uint64_t fresh_params = 0;

	if (!check_err(vm_map(rt.vm, 0, VM_PAGE, VM_PROT_READ | VM_PROT_WRITE, &fresh_params), 0,
		       "map_params_page") ||
	    !check_err(vm_map(rt.vm, 0, VM_PAGE, VM_PROT_READ | VM_PROT_WRITE, &buf), 0,
		       "map_receive_page") ||
	    !check_err(ipc_recv_submit(&rt.ring, owner, (void *)(uintptr_t)buf, VM_PAGE, &rud), 0,
		       "recv_submitted"))
		return;
	cud = call_submit(client, (const void *)(uintptr_t)fresh_params, sizeof(params), result,
			  sizeof(result));
	check(ipc_wait_id(&rt.ring, rud, CAPOS_TIMEOUT_INFINITE, &rcqe) == 0 && rcqe.result > 0 &&
	      ((const struct capos_recv_header *)(uintptr_t)buf)->params_len == sizeof(params),
	      "recv_into_fresh_page_from_fresh_params", rcqe.result);
	check_err(ipc_return(&rt.ring, owner, rcqe.call_id, 0, NULL, 0, NULL, 0), 0, "returned");
	check(ipc_wait_id(&rt.ring, cud, CAPOS_TIMEOUT_INFINITE, &ccqe) == 0 && ccqe.result == 0,
	      "call_answered", ccqe.result);
	check_err(vm_unmap(rt.vm, buf, VM_PAGE), 0, "unmap_receive_page");
	check_err(vm_unmap(rt.vm, fresh_params, VM_PAGE), 0, "unmap_params_page");
	/* Round 2: the page goes between the RECV and the CALL. */
	if (vm_map(rt.vm, 0, VM_PAGE, VM_PROT_READ | VM_PROT_WRITE, &buf) ||
	    ipc_recv_submit(&rt.ring, owner, (void *)(uintptr_t)buf, VM_PAGE, &rud)) {
		check(false, "second_recv", 0);
		return;
	}
	*(volatile uint8_t *)(uintptr_t)buf = 1;	/* a frame the kernel's window points at */
	check_err(vm_unmap(rt.vm, buf, VM_PAGE), 0, "unmap_under_a_waiting_recv");
	cud = call_submit(client, params, sizeof(params), result, sizeof(result));
	check(ipc_wait_id(&rt.ring, rud, CAPOS_TIMEOUT_INFINITE, &rcqe) == 0 &&
	      rcqe.result == CAPOS_ERR_BAD_ADDRESS, "recv_into_unmapped_fails", rcqe.result);
	cap_release(owner);	/* the queued call now fails: nobody serves it */
	check(ipc_wait_id(&rt.ring, cud, CAPOS_TIMEOUT_INFINITE, &ccqe) == 0 && ccqe.result < 0,
	      "call_to_unmapped_receiver_fails", ccqe.result);
	cap_release(client);
}

static void cycles(void)
{
	uint64_t before = used_pages(), addr = 0;
	uint32_t i;

	for (i = 0; i < CYCLES; i++) {
		if (vm_map(rt.vm, 0, VM_PAGE, VM_PROT_READ | VM_PROT_WRITE, &addr))
			break;
		*(volatile uint32_t *)(uintptr_t)addr = i;
		if (vm_unmap(rt.vm, addr, VM_PAGE))
			break;
	}
	check(i == CYCLES, "ten_thousand_map_touch_unmap_cycles", i);
	check(used_pages() == before, "cycles_leave_the_quota_as_it_was", (long long)used_pages());
}

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	void *big;

	check_init("vm-check");
	check(rt.vm != CAPOS_CAP_INVALID, "init_has_its_vm", 0);
	warm_tables();
	big = malloc(3 << 20);	/* more than one growth step: the heap grows through vm */
	check(big != NULL, "heap_grows_through_vm", 0);
	if (big)
		memset(big, 0xab, 3 << 20);
	free(big);
	map_touch_unmap();
	hint_and_bad_arguments();
	execute();
	fault_child(sp, "ro");
	fault_child(sp, "unmapped");
	fault_child(sp, "nx");
	quota_handed_down(sp);
	quota_exhausted();
	ipc_into_fresh_and_unmapped();
	cycles();
	return check_done();
}
