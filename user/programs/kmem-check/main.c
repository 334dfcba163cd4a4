// SPDX-License-Identifier: MIT
/*
 * kmem-check (QEMU scenario kmem): kernel memory a process makes the kernel
 * hold is charged to its own page quota (docs/virtual-memory.md, "Kernel
 * memory"). Run as init, it spawns itself as children that test from
 * inside, with small quotas:
 *   "kmem-quota" (80 pages): CALLs with 64 KiB params queue on its own
 *   endpoint, each charged the record's 32 pages, until the next one is
 *   refused with QUOTA_EXCEEDED; at the quota a kernel-object CALL with
 *   large buffers is refused too, and so are a new endpoint and a new
 *   Revoker (their memory is the creator's), while a small call and unmap
 *   still work, and an endpoint fits again after;
 *   releasing the endpoint cancels the queued calls and every page comes
 *   back.
 *   "kmem-zero" (a VirtualMemory with quota 0, so no heap and no output):
 *   a large CALL to the parent's endpoint is QUOTA_EXCEEDED at once; its
 *   exit code is the verdict.
 * The parent pays for each child's image, stacks and tables, and gets it
 * all back when the child exits. Then the kernel's leak check.
 */
#include <capos/layout.h>

#include "check.h"
#include "echo.capnp.h"
#include "rt.h"

/*
 * The largest params an endpoint CALL may carry: what a RECV of
 * CAPOS_RESULT_MAX holds after its 64-byte header (kernel/ipc, rounded down
 * to 8); larger ones are refused TOO_LARGE before any record is made.
 */
#define BIG_PARAMS (CAPOS_RESULT_MAX - 64u - 8u)
#define RECORD_PAGES 32u		/* a 64 KiB record: an order-5 heap block */
#define MAX_CALLS 8u
#define UD_CALL 100u

static uint64_t big[BIG_PARAMS / 8];	/* .bss: paid by the spawner, not the quota */
static uint64_t results[MAX_CALLS][8];

static uint64_t used_pages(void)
{
	uint64_t quota = 0, used = 0;

	return vm_usage(rt.vm, &quota, &used) == 0 ? used : ~0ull;
}

static uint64_t free_pages(void)
{
	uint64_t quota = 0, used = 0;

	return vm_usage(rt.vm, &quota, &used) == 0 ? quota - used : 0;
}

/* Submits a CALL with the largest params (~64 KiB) on facet and enters without waiting. */
static void big_call(capos_cap_t facet, uint32_t i)
{
	struct capos_sqe *sqe = uring_get_sqe(&rt.ring);

	if (!sqe)
		return;
	*sqe = (struct capos_sqe){
		.opcode = CAPOS_OP_CALL,
		.cap_id = facet,
		.method_id = echo_Echo_echo,
		.user_data = UD_CALL + i,
		.params_addr = (uint64_t)(uintptr_t)big,
		.params_len = BIG_PARAMS,
		.result_addr = (uint64_t)(uintptr_t)results[i],
		.result_len = sizeof(results[i]),
	};
	uring_enter(&rt.ring, 1, 0);
}

/*
 * Queues big calls until one completes at once (refused); returns how many
 * wait, and the refusal in *refusal.
 */
static uint32_t queue_until_refused(capos_cap_t facet, int *refusal)
{
	struct capos_cqe c;

	*refusal = 0;
	for (uint32_t i = 0; i < MAX_CALLS; i++) {
		big_call(facet, i);
		if (uring_reap(&rt.ring, &c)) {
			*refusal = c.result;
			return i;
		}
	}
	return MAX_CALLS;
}

/* Reaps n completions, blocking; returns how many were DISCONNECTED-like failures. */
static uint32_t reap_cancelled(uint32_t n)
{
	struct capos_cqe c;
	uint32_t failed = 0;

	for (uint32_t got = 0; got < n;) {
		if (!uring_reap(&rt.ring, &c)) {
			if (uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE) < 0)
				break;
			continue;
		}
		got++;
		failed += c.result != 0;
	}
	return failed;
}

/* A refusal raised as overloaded. */
static bool overloaded(int err)
{
	return err == CAPOS_ERR_APPLICATION_EXCEPTION &&
	       client_exception()->type == capos_CapException_Type_overloaded;
}

/*
 * Kernel objects a process creates are its memory too. At the quota only
 * the slack of the last page its kernel bytes round up to is left: a
 * Revoker (over 4 KiB with room for its copies) never fits, an endpoint
 * (about 1.5 KiB) at most twice.
 */
static void objects_at_quota(capos_cap_t ef)
{
	enum { TRIES = 4 };
	capos_cap_t owner[TRIES], facet[TRIES], rv = CAPOS_CAP_INVALID;
	uint32_t used = 0, quota = 0, after = 0, n = 0;
	capos_cap_t mgr = rt_cap("caps", CAPOS_IFACE_CAPABILITY_MANAGER);
	int err = 0;

	(void)cap_usage(mgr, &used, &quota);
	check(overloaded(cap_new_revoker(mgr, &rv)), "revoker_at_quota_overloaded", 0);
	while (n < TRIES && (err = endpoint_create(ef, echo_Echo_TYPE_ID, &owner[n], &facet[n])) == 0)
		n++;
	check(n <= 2 && overloaded(err), "endpoint_at_quota_overloaded", n);
	for (uint32_t i = 0; i < n; i++) {
		cap_release(owner[i]);
		cap_release(facet[i]);
	}
	(void)cap_usage(mgr, &after, &quota);
	check(after == used, "refusals_left_no_capability", (long long)after - used);
}

static void queued_calls_charged(void)
{
	capos_cap_t ef = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY), owner, facet;
	uint64_t base, full, spare = 0;
	int refusal;

	if (!check_err(endpoint_create(ef, echo_Echo_TYPE_ID, &owner, &facet), 0, "endpoint_created"))
		return;
	check_err(vm_map(rt.vm, 0, VM_PAGE, VM_PROT_READ | VM_PROT_WRITE, &spare), 0, "spare_page_mapped");
	base = used_pages();
	uint32_t n = queue_until_refused(facet, &refusal);

	full = used_pages();
	check(n >= 1 && n < MAX_CALLS, "big_calls_wait_until_the_quota_is_spent", n);
	check_err(refusal, CAPOS_ERR_QUOTA_EXCEEDED, "next_big_call_quota_exceeded");
	check(full == base + n * RECORD_PAGES, "each_waiting_call_charged_its_record",
	      (long long)(full - base));
	check(free_pages() < RECORD_PAGES, "refused_only_when_the_record_did_not_fit",
	      (long long)free_pages());

	/* At the quota: large kernel buffers are refused, small ones and unmap are not. */
	uint64_t rest = free_pages(), addr = 0;
	bool mapped = rest && vm_map(rt.vm, 0, rest * VM_PAGE, VM_PROT_READ | VM_PROT_WRITE, &addr) == 0;
	static const char line[] = "kmem-quota: a small write at the quota\n";

	check(free_pages() == 0, "quota_filled", (long long)free_pages());
	check_err(console_write(rt.console, big, 20000), CAPOS_ERR_QUOTA_EXCEEDED,
		  "large_kernel_call_at_quota_refused");
	check_err(console_write(rt.console, line, sizeof(line) - 1), 0,
		  "small_kernel_call_at_quota_works");
	objects_at_quota(ef);
	check_err(vm_unmap(rt.vm, spare, VM_PAGE), 0, "unmap_at_quota_works");
	capos_cap_t o2 = CAPOS_CAP_INVALID, f2 = CAPOS_CAP_INVALID;

	check_err(endpoint_create(ef, echo_Echo_TYPE_ID, &o2, &f2), 0, "endpoint_fits_again");
	cap_release(o2);
	cap_release(f2);
	if (mapped)
		vm_unmap(rt.vm, addr, rest * VM_PAGE);
	base -= 1;	/* the spare page */

	/* Releasing the endpoint cancels the waiting calls and frees their records. */
	check_err(cap_release(owner), 0, "owner_released");
	check(reap_cancelled(n) == n, "waiting_calls_cancelled", n);
	check(used_pages() == base, "records_uncharged", (long long)(used_pages() - base));
	cap_release(facet);
}

/* No heap, so no output: 0 if the first large call was refused for quota. */
static int zero_quota(void)
{
	int refusal;

	if (queue_until_refused(rt_cap("target", echo_Echo_TYPE_ID), &refusal) != 0)
		return 2;	/* it waits: exiting cancels it */
	return refusal == CAPOS_ERR_QUOTA_EXCEEDED ? 0 : 3;
}

static void run_child(capos_cap_t sp, const char *name, uint64_t quota, capos_cap_t target)
{
	struct spawn_grant g[] = {
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "endpoints", CAPOS_IFACE_ENDPOINT_FACTORY,
		  rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY), CAPOS_XFER_COPY },
		{ "vm", CAPOS_IFACE_VIRTUAL_MEMORY, (capos_cap_t)quota, SPAWN_VIRTUAL_MEMORY },
		{ "caps", CAPOS_IFACE_CAPABILITY_MANAGER,
		  rt_cap("caps", CAPOS_IFACE_CAPABILITY_MANAGER), CAPOS_XFER_COPY },
		{ "target", echo_Echo_TYPE_ID, target, CAPOS_XFER_COPY },
	};
	uint64_t before = used_pages();
	capos_cap_t h;
	int64_t code = -1;

	if (!check_err(spawner_spawn(sp, name, "kmem-check", g, 4 + (target != CAPOS_CAP_INVALID), &h),
		       0, name))
		return;
	int err = process_wait(h, &code);	/* before `code` is read for the check */

	check(err == 0 && code == 0, "child_checks_passed", err ? err : code);
	cap_release(h);
	check(used_pages() == before, "child_cost_back_after_exit", (long long)(used_pages() - before));
}

/*
 * Its quota, plus what its image, stacks and tables cost, are paid by the
 * spawner: measured with a child that blocks until killed, so it surely
 * lives when measured, and all of it comes back when it is gone.
 */
static void spawner_pays(capos_cap_t sp)
{
	struct spawn_grant g[] = {
		{ "block", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "vm", CAPOS_IFACE_VIRTUAL_MEMORY, (capos_cap_t)80, SPAWN_VIRTUAL_MEMORY },
	};
	uint64_t before = used_pages();
	capos_cap_t h;
	int64_t code = 0;

	if (!check_err(spawner_spawn(sp, "blocker", "proc-victim", g, 2, &h), 0, "blocker_spawned"))
		return;
	uint64_t during = used_pages() - before;

	check(during > 80 + 8 && during <= 80 + 96, "spawner_pays_for_the_child_itself",
	      (long long)during);
	int err = process_kill(h);

	err = err ? err : process_wait(h, &code);
	check(err == 0 && code == -2, "blocker_killed", err ? err : code);
	cap_release(h);
	check(used_pages() == before, "blocker_cost_back_after_exit",
	      (long long)(used_pages() - before));
}

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);

	capos_cap_t owner, facet;

	if (sp == CAPOS_CAP_INVALID) {
		if (rt_cap("target", echo_Echo_TYPE_ID) != CAPOS_CAP_INVALID)
			return zero_quota();
		check_init("kmem-quota");
		queued_calls_charged();
		return check_done();
	}
	check_init("kmem-check");
	free(malloc(1));	/* the heap's first growth, before anything is measured */
	spawner_pays(sp);
	run_child(sp, "kmem-quota", 80, CAPOS_CAP_INVALID);
	if (check_err(endpoint_create(rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY),
				      echo_Echo_TYPE_ID, &owner, &facet), 0, "endpoint_created")) {
		run_child(sp, "kmem-zero", 0, facet);
		cap_release(owner);
		cap_release(facet);
	}
	return check_done();
}
