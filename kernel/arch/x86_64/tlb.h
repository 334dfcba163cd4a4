/* SPDX-License-Identifier: MIT */
/*
 * TLB shootdown (docs/smp.md). Without PCID (absent under TCG, and not
 * relied on) a CR3 load drops every non-global TLB entry, so the only CPUs
 * that can hold a stale user entry of an address space are those running
 * it now: the resident set, the CPUs whose struct cpu.user_root is its root
 * (arch_thread_activate stores it before loading CR3). Kernel mappings are
 * global and may be cached by every CPU.
 */
#ifndef CAPOS_ARCH_X86_64_TLB_H
#define CAPOS_ARCH_X86_64_TLB_H

#include <stdint.h>

#define TLB_FLUSH_ALL_PAGES 32	/* beyond this, a full flush is cheaper than invlpg */

struct cpu;

/*
 * The PTEs of [va, va + pages * 4 KiB) have changed: their TLB entries go on
 * this CPU and on every other CPU where they may be cached: the address
 * space with root `root` (a user range), or every CPU (root 0: a kernel
 * range). One IPI per CPU for the whole range, a full flush above
 * TLB_FLUSH_ALL_PAGES; returns when every CPU reached has acknowledged
 * (bounded: a CPU silent for IPI_WAIT_NS is a hardware failure and panics).
 * Call after the PTE change and before the frames or tables it unmapped are
 * reused. Any context but an interrupt handler; locks may be held (tlb_lock
 * is a leaf). Returns how many other CPUs were asked.
 */
uint32_t tlb_shootdown(uint64_t root, uint64_t va, uint64_t pages);

/* The IPI_SHOOTDOWN request's work on the CPU c that received it (ipi.c). */
void tlb_shootdown_answer(struct cpu *c);

#endif
