// SPDX-License-Identifier: MIT
/*
 * The periodic tick. The boot CPU's LAPIC timer interrupt advances the global
 * tick count; every CPU counts its own ticks and runs its scheduler's tick.
 * APs run their timers at the rate the boot CPU measured against the PIT.
 */
#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/trap.h"
#include "sched/sched.h"

#define TICK_HZ 100

static uint64_t ticks;		/* written by the boot CPU's tick only; read anywhere */
static uint32_t lapic_per_ms;

static void timer_interrupt(struct trap_frame *tf)
{
	(void)tf;
	struct cpu *c = this_cpu();

	__atomic_store_n(&c->ticks, c->ticks + 1, __ATOMIC_RELAXED);	/* read by smp tests */
	if (c->id == 0)
		__atomic_store_n(&ticks, ticks + 1, __ATOMIC_RELEASE);
	lapic_eoi();
	sched_tick();
}

uint32_t timer_init(void)
{
	trap_set_handler(VEC_TIMER, timer_interrupt);
	lapic_per_ms = lapic_timer_start(TICK_HZ);
	return lapic_per_ms;
}

void timer_start_ap(void)
{
	lapic_timer_run(lapic_per_ms, TICK_HZ);
}

uint64_t arch_ticks(void)
{
	return __atomic_load_n(&ticks, __ATOMIC_ACQUIRE);
}

unsigned arch_tick_hz(void)
{
	return TICK_HZ;
}
