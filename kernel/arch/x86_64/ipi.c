// SPDX-License-Identifier: MIT
/*
 * The IPI mailbox (ipi.h, docs/smp.md).
 */
#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/ipi.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "lib/kprintf.h"
#include "lib/spinlock.h"
#include "sched/sched.h"

static struct spinlock ipi_call_lock = SPINLOCK_INIT_RANK(LOCK_RANK_LEAF);
static struct {				/* written under ipi_call_lock before IPI_CALL is posted */
	void (*fn)(void *arg);
	void *arg;
	uint32_t done;			/* set (release) by the target when fn returned */
} call;

/* The requests posted to this CPU so far; interrupts are off (handler or waiter). */
static void mailbox_run(struct cpu *c)
{
	uint32_t req = __atomic_exchange_n(&c->ipi_pending, 0, __ATOMIC_ACQ_REL);

	if (req & IPI_SHOOTDOWN)
		tlb_shootdown_answer(c);
	if (req & IPI_CALL) {
		call.fn(call.arg);
		__atomic_store_n(&call.done, 1, __ATOMIC_RELEASE);
	}
	if (req & IPI_RESCHEDULE)
		sched_resched_ipi();
	if (req & IPI_PING)
		__atomic_store_n(&c->pings, c->pings + 1, __ATOMIC_RELEASE);
}

void ipi_run_mailbox(void)
{
	uint64_t flags = arch_irq_save();

	mailbox_run(this_cpu());
	arch_irq_restore(flags);
}

static void ipi_interrupt(struct trap_frame *tf)
{
	struct cpu *c = this_cpu();

	(void)tf;
	__atomic_store_n(&c->ipis, c->ipis + 1, __ATOMIC_RELAXED);
	mailbox_run(c);
	lapic_eoi();
}

void ipi_init(void)
{
	trap_set_handler(VEC_IPI, ipi_interrupt);
}

bool ipi_post(uint32_t cpu, uint32_t bits)
{
	__atomic_fetch_or(&cpus[cpu].ipi_pending, bits, __ATOMIC_RELEASE);
	return lapic_send_ipi(cpus[cpu].apic_id, VEC_IPI);
}

bool ipi_post_others(uint32_t bits)
{
	uint32_t n = smp_cpu_count(), self = this_cpu()->id;

	for (uint32_t i = 0; i < n; i++)
		if (i != self)
			__atomic_fetch_or(&cpus[i].ipi_pending, bits, __ATOMIC_RELEASE);
	return lapic_send_ipi_others(VEC_IPI);
}

bool ipi_ping(uint32_t cpu)
{
	uint64_t before = __atomic_load_n(&cpus[cpu].pings, __ATOMIC_ACQUIRE);
	uint64_t end = arch_now_ns() + IPI_WAIT_NS;

	if (!ipi_post(cpu, IPI_PING))
		return false;
	while (__atomic_load_n(&cpus[cpu].pings, __ATOMIC_ACQUIRE) == before) {
		if (arch_now_ns() >= end)
			return false;
		ipi_run_mailbox();
		pause();
	}
	return true;
}

/* Waits, running this CPU's mailbox, until *flag is non-zero or IPI_WAIT_NS passed. */
static bool wait_flag(const uint32_t *flag)
{
	uint64_t end = arch_now_ns() + IPI_WAIT_NS;

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (arch_now_ns() >= end)
			return false;
		ipi_run_mailbox();
		pause();
	}
	return true;
}

bool ipi_call(uint32_t cpu, void (*fn)(void *arg), void *arg)
{
	bool ok;

	while (!spin_trylock(&ipi_call_lock)) {
		ipi_run_mailbox();
		pause();
	}
	call.fn = fn;
	call.arg = arg;
	__atomic_store_n(&call.done, 0, __ATOMIC_RELAXED);
	ok = ipi_post(cpu, IPI_CALL) && wait_flag(&call.done);
	/* A target that never answered may still run the call later, on the next caller's data. */
	if (!ok)
		panic("ipi: CPU %u did not run a call within %llu ms", cpu,
		      (unsigned long long)(IPI_WAIT_NS / 1000000));
	spin_unlock(&ipi_call_lock);
	return ok;
}
