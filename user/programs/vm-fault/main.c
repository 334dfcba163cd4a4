// SPDX-License-Identifier: MIT
/*
 * vm-fault: a child of vm-check that breaks one rule of its own memory and
 * must be killed for it (exit code -1, a fault). Its CapSet says which rule,
 * by the name of its Console grant: "ro" writes to a page it protected
 * read-only, "unmapped" touches a page after unmapping it, "nx" jumps into
 * a page it mapped without execute. Surviving, it exits 0: the parent
 * counts that as a failure.
 */
#include "rt.h"

static volatile uint8_t *page(uint32_t prot)
{
	uint64_t addr = 0;

	if (vm_map(rt.vm, 0, VM_PAGE, prot, &addr))
		exit(2);
	return (volatile uint8_t *)(uintptr_t)addr;
}

int main(void)
{
	const char *rule = rt.capset && rt.capset->count ? (const char *)rt.capset->entries[0].name
							  : "";
	volatile uint8_t *p = page(VM_PROT_READ | VM_PROT_WRITE);

	p[0] = 1;
	if (strcmp(rule, "ro") == 0) {
		if (vm_protect(rt.vm, (uint64_t)(uintptr_t)p, VM_PAGE, VM_PROT_READ))
			exit(3);
		p[1] = 2;	/* must fault */
	} else if (strcmp(rule, "unmapped") == 0) {
		if (vm_unmap(rt.vm, (uint64_t)(uintptr_t)p, VM_PAGE))
			exit(3);
		(void)p[0];	/* must fault */
	} else if (strcmp(rule, "nx") == 0) {
		p[0] = 0xc3;	/* ret */
		((void (*)(void))(uintptr_t)p)();	/* must fault: no execute */
	}
	return 0;
}
