// SPDX-License-Identifier: MIT
/*
 * The exception table of usercopy.S: pairs of (instruction, fixup) that the
 * linker collects in __ex_table (kernel.ld). A page fault in kernel mode is
 * resumed at the fixup only if it hit one of those instructions on a user
 * address; any other kernel fault is still a kernel bug and reported as one.
 */
#include <capos/layout.h>

#include "arch/x86_64/trap.h"
#include "arch/x86_64/uaccess.h"

struct ex_entry {
	uint64_t insn;
	uint64_t fixup;
};

extern const struct ex_entry __ex_table_start[], __ex_table_end[];

uint8_t uaccess_smap;

static const struct ex_entry *ex_find(uint64_t rip)
{
	for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == rip)
			return e;
	return NULL;
}

bool uaccess_is_user_access(uint64_t rip)
{
	return ex_find(rip) != NULL;
}

bool uaccess_fixup(struct trap_frame *tf, uint64_t fault_addr)
{
	const struct ex_entry *e = ex_find(tf->rip);

	if (fault_addr >= CAPOS_USER_HALF_END || !e)
		return false;
	tf->rip = e->fixup;
	return true;
}
