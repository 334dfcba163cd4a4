// SPDX-License-Identifier: MIT
/*
 * vm-bench: VirtualMemory map + one write per page + unmap, as one user
 * program does it through its own VirtualMemory (contracts.md:
 * vm_map_touch_unmap_1p and _16p; Linux's mmap + touch + munmap in the same
 * QEMU: 22,033 and 85,106 instructions). Each figure is the median of
 * BENCH_SAMPLES single operations after BENCH_WARMUP; prints the BENCH
 * lines and exits 0, or a FAIL line and exits 1.
 */
#include "bench.h"
#include "rt.h"

#define BENCH_WARMUP 32u
#define BENCH_SAMPLES 63u

static uint64_t samples[BENCH_SAMPLES];

/* One map, a write to each page, one unmap; 0 or the error. */
static int one(uint32_t pages)
{
	uint64_t addr = 0;
	int err = vm_map(rt.vm, 0, (uint64_t)pages * VM_PAGE, VM_PROT_READ | VM_PROT_WRITE, &addr);

	if (err)
		return err;
	for (uint32_t i = 0; i < pages; i++)
		((volatile uint8_t *)(uintptr_t)addr)[(uint64_t)i * VM_PAGE] = 1;
	return vm_unmap(rt.vm, addr, (uint64_t)pages * VM_PAGE);
}

static int run(const char *name, uint32_t pages)
{
	uint64_t t0;
	int err = 0;

	for (uint32_t i = 0; i < BENCH_WARMUP && !err; i++)
		err = one(pages);
	for (uint32_t i = 0; i < BENCH_SAMPLES && !err; i++) {
		t0 = rt_rdtsc();
		err = one(pages);
		samples[i] = rt_rdtsc() - t0;
	}
	if (err) {
		printf("vm-bench: FAIL %s: %s\n", name, capos_strerror(err));
		return 1;
	}
	printf("BENCH %s %llu insns/op\n", name,
	       (unsigned long long)bench_median(samples, BENCH_SAMPLES));
	return 0;
}

int main(void)
{
	if (rt.vm == CAPOS_CAP_INVALID) {
		printf("vm-bench: FAIL no VirtualMemory\n");
		return 1;
	}
	return run("vm_map_touch_unmap_1p", 1) | run("vm_map_touch_unmap_16p", 16);
}
