// SPDX-License-Identifier: MIT
/*
 * Per-CPU areas. See percpu.h for the model.
 */
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/x86.h"
#include "lib/lockdep.h"

struct cpu cpus[MAX_CPUS];
#ifdef CAPOS_DEBUG
static bool lockdep_live;	/* set once the boot CPU's GS points at its struct cpu */
#endif

void percpu_init(uint32_t id)
{
	struct cpu *c = &cpus[id];

	c->self = c;
	c->id = id;
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	/* User GS starts at zero; swapgs exchanges it with GS_BASE on kernel entry. */
	wrmsr(MSR_KERNEL_GS_BASE, 0);
#ifdef CAPOS_DEBUG
	__atomic_store_n(&lockdep_live, true, __ATOMIC_RELEASE);
#endif
}

#ifdef CAPOS_DEBUG
uint32_t *lockdep_ipc_count(void)
{
	return &this_cpu()->ipc_locks;
}

struct lock_held_stack *lockdep_held_locks(void)
{
	if (!__atomic_load_n(&lockdep_live, __ATOMIC_ACQUIRE))
		return NULL;
	return &this_cpu()->held_locks;
}
#endif
