/* SPDX-License-Identifier: MIT */
/*
 * Inter-processor interrupts (docs/smp.md): one fixed vector, VEC_IPI, and a
 * per-CPU mailbox of request bits (struct cpu.ipi_pending). The sender sets
 * bits with an atomic OR and sends the IPI; the handler takes every bit at
 * once with an exchange and does the work. Nothing is allocated and no
 * lock is taken on either side. A CPU waiting for another (an
 * acknowledgement, a lock another waiter holds) runs its own mailbox while
 * it waits, so two CPUs waiting on each other with interrupts off still
 * make progress.
 */
#ifndef CAPOS_ARCH_X86_64_IPI_H
#define CAPOS_ARCH_X86_64_IPI_H

#include <stdbool.h>
#include <stdint.h>

#define IPI_PING	(1u << 0)	/* count it (the round-trip test) */
#define IPI_SHOOTDOWN	(1u << 1)	/* run the pending TLB shootdown (tlb.c) */
#define IPI_CALL	(1u << 2)	/* run the function ipi_call left in the mailbox */
#define IPI_RESCHEDULE	(1u << 3)	/* look at the run queue (sched_resched_ipi) */

#define IPI_WAIT_NS	1000000000ull	/* the bound on waiting for an acknowledgement (1 s) */

/* Installs the handler. Boot CPU, once, before any AP starts. */
void ipi_init(void);
/* Posts request bits to cpus[cpu]'s mailbox and interrupts it. False if the LAPIC refused. */
bool ipi_post(uint32_t cpu, uint32_t bits);
/* Posts bits to every other online CPU with one all-but-self IPI. */
bool ipi_post_others(uint32_t bits);
/* Runs the calling CPU's mailbox (interrupts off): the handler's work, for waiters. */
void ipi_run_mailbox(void);
/*
 * One round trip to cpus[cpu] (an IPI_PING and its acknowledgement), bounded
 * by IPI_WAIT_NS: true if it answered.
 */
bool ipi_ping(uint32_t cpu);
/*
 * Runs fn(arg) on cpus[cpu] in its IPI handler (interrupts off; fn must not
 * block, allocate or take a lock) and waits for it; a CPU silent for
 * IPI_WAIT_NS is a hardware failure and panics. Returns true. One call at a time machine-wide (ipi_call_lock, a leaf
 * whose waiters run their own mailbox). Not from an interrupt handler.
 */
bool ipi_call(uint32_t cpu, void (*fn)(void *arg), void *arg);

#endif
