// SPDX-License-Identifier: MIT
/*
 * Per-CPU areas. See percpu.h for the model.
 */
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/x86.h"
#include "lib/lockdep.h"

struct cpu cpus[MAX_CPUS];

void percpu_init(uint32_t id)
{
	struct cpu *c = &cpus[id];

	c->self = c;
	c->id = id;
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	/* User GS starts at zero; swapgs exchanges it with GS_BASE on kernel entry. */
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

#ifdef CAPOS_DEBUG
uint32_t *lockdep_ipc_count(void)
{
	return &this_cpu()->ipc_locks;
}
#endif
