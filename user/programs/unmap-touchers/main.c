// SPDX-License-Identifier: MIT
/*
 * unmap-touchers: a child of unmap-check. It maps a 16-page region, starts
 * N toucher threads (argument, default 6) that read and write it in a loop,
 * and unmaps it under them. A fault in any thread ends the process
 * (docs/threads.md "Exit"), so the expected end is the kernel's: exit code
 * ProcessHandle.exitFault after a #PF, which unmap-check waits for.
 *
 * Each toucher checks every page's tag (written once, before the threads
 * start) and its own slot in each page (what it wrote there last): another
 * frame, or another thread's write, is exit 8 or 9. The main thread stores
 * `unmap_done` only after vm_unmap has returned, that is after every CPU's
 * TLB entry for the region is gone; a toucher loads it (acquire) before each
 * read, so a read that succeeds after it saw the store came through a stale
 * translation: exit 7. If no toucher faults within two seconds of the
 * unmap, exit 3.
 */
#include "rt.h"
#include "vm.h"

#define PAGES 16u
#define WORDS_PER_PAGE (VM_PAGE / 8u)
#define TOUCHERS_MAX 14u	/* 16 threads per process, the first and one spare */
#define EXIT_NO_FAULT 3
#define EXIT_STALE 7
#define EXIT_BAD_TAG 8
#define EXIT_BAD_SLOT 9

static volatile uint64_t *region;
static uint32_t unmap_done;
static uint64_t laps[TOUCHERS_MAX];

static uint64_t page_tag(uint32_t p)
{
	return 0x5eed000000000000ull | ((uint64_t)p << 16) | 0xa5a5u;
}

/* Word 0 of a page is its tag; word 1 + i is toucher i's slot. */
static int64_t toucher(void *arg)
{
	uint32_t i = (uint32_t)(uintptr_t)arg;
	uint64_t last[PAGES] = { 0 };

	for (uint64_t lap = 1;; lap++) {
		for (uint32_t p = 0; p < PAGES; p++) {
			volatile uint64_t *page = region + p * WORDS_PER_PAGE;
			uint32_t done = __atomic_load_n(&unmap_done, __ATOMIC_ACQUIRE);
			uint64_t tag = page[0];	/* faults once the unmap is through */

			if (done)
				exit(EXIT_STALE);
			if (tag != page_tag(p))
				exit(EXIT_BAD_TAG);
			if (page[1 + i] != last[p])
				exit(EXIT_BAD_SLOT);
			page[1 + i] = last[p] = (lap << 8) | i;
		}
		__atomic_store_n(&laps[i], lap, __ATOMIC_RELEASE);
	}
	return 0;
}

/* Until every toucher has gone round the region twice: they all run now. */
static void wait_for_laps(uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		while (__atomic_load_n(&laps[i], __ATOMIC_ACQUIRE) < 2)
			(void)uring_enter(&rt.ring, 1, 1000000ull);
}

int main(void)
{
	uint32_t n = (uint32_t)rt_argv_u64(0, 6);
	uint64_t addr;
	struct thread *t;

	if (n == 0 || n > TOUCHERS_MAX)
		return 10;
	if (vm_map(rt.vm, 0, PAGES * VM_PAGE, VM_PROT_READ | VM_PROT_WRITE, &addr))
		return 11;
	region = (volatile uint64_t *)(uintptr_t)addr;
	for (uint32_t p = 0; p < PAGES; p++)
		region[p * WORDS_PER_PAGE] = page_tag(p);
	for (uint32_t i = 0; i < n; i++)
		if (thread_create(&t, toucher, (void *)(uintptr_t)i, 16384))
			return 12;
	wait_for_laps(n);
	if (vm_unmap(rt.vm, addr, PAGES * VM_PAGE))
		return 13;
	__atomic_store_n(&unmap_done, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 2000; i++)	/* the touchers fault: this process ends */
		(void)uring_enter(&rt.ring, 1, 1000000ull);
	return EXIT_NO_FAULT;
}
