// SPDX-License-Identifier: MIT
/*
 * pci-check's DMA memory: zeroed, physically contiguous, charged to our
 * quota and given back by freeDma; bad sizes refused; the device's 16 MiB
 * bound; VirtualMemory.unmap of DMA memory only takes the mapping away
 * (freeDma still frees it, and the quota comes back).
 */
#include "pci_check.h"
#include "vm.h"

#define PG 4096u

static uint64_t used_pages(void)
{
	uint64_t quota = 0, used = 0;

	return vm_usage(rt.vm, &quota, &used) == 0 ? used : ~0ull;
}

static void bad_sizes(capos_cap_t dev)
{
	uint64_t d;
	void *a;

	check(raised(pci_alloc_dma(dev, 0, &a, &d), capos_CapException_Type_invalidArgument),
	      "dma_size_0_refused", 0);
	check(raised(pci_alloc_dma(dev, 100, &a, &d), capos_CapException_Type_invalidArgument),
	      "dma_unaligned_size_refused", 0);
	check(raised(pci_alloc_dma(dev, 262144 + PG, &a, &d),
		     capos_CapException_Type_invalidArgument), "dma_over_256k_refused", 0);
	check(raised(pci_alloc_dma(dev, 0xfffff000u, &a, &d),
		     capos_CapException_Type_invalidArgument), "dma_huge_refused", 0);
	check(raised(pci_free_dma(dev, (void *)0x1000), capos_CapException_Type_invalidArgument),
	      "free_dma_of_nothing_refused", 0);
}

static void one_allocation(capos_cap_t dev)
{
	uint64_t before = used_pages(), d = 0, d2 = 0;
	volatile uint64_t *w;
	uint32_t zero = 1;
	void *a = NULL, *b = NULL;

	if (!check_err(pci_alloc_dma(dev, 3 * PG, &a, &d), 0, "alloc_dma_3_pages"))
		return;
	w = a;
	for (uint32_t i = 0; i < 3 * PG / 8; i++)
		zero &= w[i] == 0;
	check(zero, "dma_memory_zeroed", 0);
	w[0] = 0x1234;
	w[3 * PG / 8 - 1] = 0x5678;
	check(d && !(d & (4 * PG - 1)), "device_address_is_the_blocks", (long long)d);
	check(used_pages() == before + 4, "charged_a_4_page_block", (long long)(used_pages() - before));
	check_err(pci_alloc_dma(dev, PG, &b, &d2), 0, "alloc_dma_1_page");
	check(b != a && d2 != d, "two_allocations_apart", 0);
	check_err(pci_free_dma(dev, a), 0, "free_dma");
	check_err(pci_free_dma(dev, b), 0, "free_dma_second");
	check(used_pages() == before, "quota_back_after_free", (long long)(used_pages() - before));
	check(raised(pci_free_dma(dev, a), capos_CapException_Type_invalidArgument),
	      "free_dma_twice_refused", 0);
}

/* Unmapped by VirtualMemory first: still the device's until freeDma. */
static void unmap_then_free(capos_cap_t dev)
{
	uint64_t before = used_pages(), d;
	void *a = NULL;

	if (!check_err(pci_alloc_dma(dev, 2 * PG, &a, &d), 0, "alloc_dma_to_unmap"))
		return;
	check_err(vm_unmap(rt.vm, (uint64_t)(uintptr_t)a, 2 * PG), 0, "vm_unmap_of_dma");
	check(used_pages() == before + 2, "dma_still_charged_after_unmap",
	      (long long)(used_pages() - before));
	check_err(pci_free_dma(dev, a), 0, "free_dma_after_unmap");
	check(used_pages() == before, "quota_back_after_unmap_and_free",
	      (long long)(used_pages() - before));
}

/* 64 x 256 KiB is the device's 16 MiB: one more is overloaded. */
static void device_bound(capos_cap_t dev)
{
	static void *blocks[64];
	uint32_t n = 0;
	uint64_t d;
	void *extra;

	while (n < 64 && pci_alloc_dma(dev, 262144, &blocks[n], &d) == 0)
		n++;
	check(n == 64, "sixty_four_256k_blocks", n);
	check(raised(pci_alloc_dma(dev, PG, &extra, &d), capos_CapException_Type_overloaded),
	      "past_16_mib_overloaded", 0);
	for (uint32_t i = 0; i < n; i++)
		(void)pci_free_dma(dev, blocks[i]);
	check_err(pci_alloc_dma(dev, PG, &extra, &d), 0, "room_again_after_free");
	check_err(pci_free_dma(dev, extra), 0, "free_it");
}

void mem_checks(capos_cap_t dev)
{
	bad_sizes(dev);
	one_allocation(dev);
	unmap_then_free(dev);
	device_bound(dev);
}
