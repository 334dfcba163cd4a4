// SPDX-License-Identifier: MIT
/*
 * Boot-time tests. They check from inside the kernel what only a booted
 * machine can show (all frames allocatable, faults diagnosed, the tick
 * advancing at the calibrated rate) and end the run with a status; the
 * scenario runner also checks the console output. Names match tests/qemu/.
 */
#include "arch/arch.h"
#include "lib/cmdline.h"
#include "lib/kprintf.h"
#include "lib/spinlock.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "test/ktest.h"

#define UNMAPPED_KERNEL_ADDRESS 0xffffc00000000000ull	/* kernel stack area, never mapped yet */

static bool streq(const char *a, const char *b)
{
	return strncmp(a, b, 64) == 0;
}

static _Noreturn void ktest_finish(bool ok, const char *name)
{
	kprintf("ktest: %s %s\n", name, ok ? "passed" : "FAILED");
	arch_exit_emulator(ok ? KEXIT_PASS : KEXIT_FAIL);
}

/*
 * Allocates every frame, chaining them through their own first word so the
 * test needs no memory of its own, then frees them all: the free count must
 * come back exactly, and a second round must get the same number.
 */
static uint64_t alloc_all_then_free(void)
{
	paddr_t head = 0, pa;
	uint64_t n = 0;

	while (frame_alloc(0, FRAME_OWNER_TEST, &pa) == 0) {
		*(paddr_t *)arch_phys_to_virt(pa) = head;
		head = pa;
		n++;
	}
	while (head) {
		paddr_t next = *(paddr_t *)arch_phys_to_virt(head);
		if (frame_free(head, 0) != 0)
			return 0;
		head = next;
	}
	return n;
}

static void test_frames(void)
{
	uint64_t before = frame_free_count();
	uint64_t first = alloc_all_then_free();
	uint64_t after = frame_free_count();
	uint64_t second = alloc_all_then_free();
	paddr_t pa;
	bool double_free_caught;

	if (frame_alloc(0, FRAME_OWNER_TEST, &pa) != 0 || frame_free(pa, 0) != 0)
		ktest_finish(false, "frames");
	double_free_caught = frame_free(pa, 0) != 0;
	kprintf("frames: free before %llu, allocated %llu, free after %llu, second round %llu, "
		"double free %s\n",
		(unsigned long long)before, (unsigned long long)first, (unsigned long long)after,
		(unsigned long long)second, double_free_caught ? "detected" : "MISSED");
	ktest_finish(first == before && after == before && second == before && double_free_caught,
		     "frames");
}

static void test_heap(void)
{
	static void *ptrs[512];
	uint64_t frames_before = frame_free_count();
	bool ok = true;

	for (unsigned round = 0; round < 4; round++) {
		for (unsigned i = 0; i < 512; i++) {
			ptrs[i] = kmalloc(8 + (i * 37) % 6000);
			ok &= ptrs[i] != NULL && ((uintptr_t)ptrs[i] & 7) == 0;
		}
		for (unsigned i = 0; i < 512; i++)
			kfree(ptrs[i]);
	}
	ok &= heap_live_objects() == 0;
	heap_trim();
	kprintf("heap: live objects %llu, frames before %llu after %llu\n",
		(unsigned long long)heap_live_objects(), (unsigned long long)frames_before,
		(unsigned long long)frame_free_count());
	ktest_finish(ok && frame_free_count() == frames_before, "heap");
}

__attribute__((noinline)) static _Noreturn void test_page_fault(void)
{
	kprintf("ktest: touching unmapped kernel address 0x%llx\n",
		(unsigned long long)UNMAPPED_KERNEL_ADDRESS);
	*(volatile uint64_t *)UNMAPPED_KERNEL_ADDRESS = 1;
	ktest_finish(false, "page-fault");	/* not reached: the fault handler stops the run */
}

/* Far deeper than any stack: the guard page must stop the recursion first. */
static volatile uint64_t recursion_limit = UINT64_MAX;

__attribute__((noinline)) static uint64_t recurse_forever(volatile uint64_t depth)
{
	volatile uint64_t pad[32];

	pad[depth % 32] = depth;
	if (depth >= recursion_limit)
		return 0;
	return recurse_forever(depth + 1) + pad[depth % 32];
}

__attribute__((noinline)) static _Noreturn void test_double_fault(void)
{
	kprintf("ktest: overflowing the kernel stack\n");
	recurse_forever(0);
	ktest_finish(false, "double-fault");
}

static void test_timer(void)
{
	const uint64_t wait_ticks = 10;
	uint64_t start = arch_ticks(), t0 = arch_cycles(), ns0 = arch_now_ns();

	while (arch_ticks() < start + wait_ticks)
		arch_idle();
	uint64_t cycles = arch_cycles() - t0, ns = arch_now_ns() - ns0;
	uint64_t expect_ms = wait_ticks * 1000 / arch_tick_hz();
	/* Under -icount shift=0 the TSC is 1 GHz of virtual time: 1 ms = 1e6 cycles. */
	uint64_t ms = cycles / 1000000, clock_ms = ns / 1000000;

	kprintf("timer: %llu ticks took %llu ms of TSC time (expected about %llu), "
		"%llu ms by the monotonic clock\n",
		(unsigned long long)wait_ticks, (unsigned long long)ms,
		(unsigned long long)expect_ms, (unsigned long long)clock_ms);
	ktest_finish(ms >= expect_ms / 2 && ms <= expect_ms * 2 && clock_ms >= expect_ms / 2 &&
			     clock_ms <= expect_ms * 2,
		     "timer");
}

/*
 * Takes two locks against the order (docs/locking.md): the debug kernel's
 * check must panic naming both, before it waits for the second. A release
 * kernel has no check and fails the test.
 */
static __attribute__((noinline)) void test_lockdep(void)
{
	static struct spinlock inner = SPINLOCK_INIT_RANK(LOCK_RANK_RUNQ);
	static struct spinlock outer = SPINLOCK_INIT_RANK(LOCK_RANK_ENDPOINT);
	uint64_t flags = arch_irq_save();

	spin_lock(&inner);
	spin_lock(&outer);
	spin_unlock(&outer);
	spin_unlock(&inner);
	arch_irq_restore(flags);
	ktest_finish(false, "lockdep");
}

static void test_memory_size(const struct boot_info *bi)
{
	uint64_t min = cmdline_get_u64(bi->cmdline, "mem_min_mib", 0);
	uint64_t max = cmdline_get_u64(bi->cmdline, "mem_max_mib", UINT64_MAX);
	uint64_t free_mib = frame_free_count() * PAGE_SIZE >> 20;

	kprintf("memory-size: %llu MiB free (expected %llu..%llu)\n", (unsigned long long)free_mib,
		(unsigned long long)min, (unsigned long long)max);
	ktest_finish(free_mib >= min && free_mib <= max, "memory-size");
}

void ktest_run(const struct boot_info *bi, uint64_t boot_to_banner)
{
	char name[32];

	if (cmdline_get(bi->cmdline, "bench", name, sizeof(name))) {
		kprintf("BENCH boot_to_banner %llu insns\n", (unsigned long long)boot_to_banner);
		arch_exit_emulator(KEXIT_PASS);
	}
	if (!cmdline_get(bi->cmdline, "test", name, sizeof(name)) || streq(name, "init"))
		return;		/* test=init is judged when init exits (proc/init.c) */
	if (streq(name, "boot"))
		ktest_finish(true, "boot");
	else if (streq(name, "frames"))
		test_frames();
	else if (streq(name, "heap"))
		test_heap();
	else if (streq(name, "page-fault"))
		test_page_fault();
	else if (streq(name, "double-fault"))
		test_double_fault();
	else if (streq(name, "timer"))
		test_timer();
	else if (streq(name, "memory-size"))
		test_memory_size(bi);
	else if (streq(name, "lockdep"))
		test_lockdep();
	else if (streq(name, "smp"))
		ktest_finish(arch_smp_selftest(), "smp");
	kprintf("ktest: unknown test '%s'\n", name);
	arch_exit_emulator(KEXIT_FAIL);
}
