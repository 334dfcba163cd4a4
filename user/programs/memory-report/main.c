// SPDX-License-Identifier: MIT
/*
 * memory-report (QEMU scenario manifest-memory): prints the page quota of
 * the VirtualMemory it was given as "vm", then maps and touches all that is
 * left of it (less room for the range's page tables, which are charged
 * too), is refused what is then left plus one page, and unmaps it: the
 * quota is real, not only reported. Exits 0 if all of it worked.
 */
#include "check.h"
#include "rt.h"

int main(void)
{
	uint64_t quota = 0, used = 0, addr = 0, more = 0;

	check_init("memory-report");
	if (!check_err(vm_usage(rt.vm, &quota, &used), 0, "has_its_vm"))
		return check_done();
	check_note("quota pages", (long long)quota);
	(void)vm_usage(rt.vm, &quota, &used);	/* after the heap's growth for printing */
	uint64_t pages = quota - used - ((quota - used) / 512 + 4);	/* room for the tables */

	if (check_err(vm_map(rt.vm, 0, pages * VM_PAGE, VM_PROT_READ | VM_PROT_WRITE, &addr), 0,
		      "maps_all_it_has_left")) {
		for (uint64_t p = 0; p < pages; p++)
			((volatile uint8_t *)(uintptr_t)addr)[p * VM_PAGE] = 1;
		(void)vm_usage(rt.vm, &quota, &used);
		check_err(vm_map(rt.vm, 0, (quota - used + 1) * VM_PAGE, VM_PROT_READ, &more),
			  CAPOS_ERR_QUOTA_EXCEEDED, "one_page_more_is_refused");
		check_err(vm_unmap(rt.vm, addr, pages * VM_PAGE), 0, "unmaps_it");
	}
	return check_done();
}
