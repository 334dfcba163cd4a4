/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data, reached through GS from the first line of kmain.
 *
 * Each CPU owns one struct cpu; IA32_GS_BASE points at it while in the kernel
 * (the syscall path in M3 will swapgs to it), and its first field points at
 * itself so this_cpu() is a single load from %gs:0. Nothing here is shared
 * between CPUs: fields are touched only by their own CPU, or with interrupts
 * off by that CPU, so they need no locks; the exceptions, written by other
 * CPUs, are atomics (online, ipi_pending, user_root's readers: docs/smp.md).
 * SMP (M8) adds entries to cpus[] without changing this layout. Offsets used by assembly are checked below.
 */
#ifndef CAPOS_ARCH_X86_64_PERCPU_H
#define CAPOS_ARCH_X86_64_PERCPU_H

#define MAX_CPUS 64

#define CPU_OFF_SELF		0
#define CPU_OFF_KERNEL_RSP	8
#define CPU_OFF_USER_RSP	16
#define CPU_OFF_CURRENT		24
#define CPU_OFF_SCHED		32
#define CPU_OFF_NEED_RESCHED	40

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

#include "lib/lockorder.h"

struct thread;
struct sched_cpu;

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];	/* stack for entering ring 0 from ring 3 is rsp[0] */
	uint64_t reserved1;
	uint64_t ist[7];	/* ist[0] is IST1 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS is 104 bytes");

#define GDT_ENTRIES 7	/* null, kcode, kdata, udata, ucode, tss (two slots) */

struct cpu {
	struct cpu *self;		/* CPU_OFF_SELF */
	uint64_t kernel_rsp;		/* CPU_OFF_KERNEL_RSP: top of the current kernel stack */
	uint64_t user_rsp;		/* CPU_OFF_USER_RSP: scratch for the syscall entry */
	/* The scheduler's, read with one %gs load on every system call (sched.h): */
	struct thread *current;		/* CPU_OFF_CURRENT: the thread running here */
	struct sched_cpu *sched;	/* CPU_OFF_SCHED: this CPU's run queue */
	uint32_t need_resched;		/* CPU_OFF_NEED_RESCHED: yield at the next chance */
	uint32_t id;			/* index in cpus[] */
	uint32_t apic_id;
	uint64_t ticks;			/* timer interrupts taken on this CPU */
	int in_fault;			/* nesting depth of fault diagnosis */
	uint32_t ipc_locks;		/* endpoint locks held (debug builds, lib/lockdep.h) */
	uint32_t as_locks;		/* address-space locks held (mm/addrspace.h) */
	uint64_t user_root;		/* the user address space this CPU is in (0: none) */
	uint32_t online;		/* set (release) by the CPU itself once it is set up */
	uint32_t ipi_pending;		/* IPI_* requests posted to this CPU (atomic) */
	uint64_t ipis;			/* IPI interrupts this CPU took */
	uint64_t pings;			/* IPI_PING requests it answered */
	uint64_t shootdowns;		/* TLB shootdown requests it acknowledged */
#ifdef CAPOS_DEBUG
	struct lock_held_stack held_locks;	/* spinlocks this CPU holds (lib/lockdep.c) */
#endif
	uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
	struct tss tss __attribute__((aligned(16)));
};
_Static_assert(offsetof(struct cpu, self) == CPU_OFF_SELF, "asm offset");
_Static_assert(offsetof(struct cpu, kernel_rsp) == CPU_OFF_KERNEL_RSP, "asm offset");
_Static_assert(offsetof(struct cpu, user_rsp) == CPU_OFF_USER_RSP, "asm offset");
_Static_assert(offsetof(struct cpu, current) == CPU_OFF_CURRENT, "asm offset");
_Static_assert(offsetof(struct cpu, sched) == CPU_OFF_SCHED, "asm offset");
_Static_assert(offsetof(struct cpu, need_resched) == CPU_OFF_NEED_RESCHED, "asm offset");

extern struct cpu cpus[MAX_CPUS];

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("movq %%gs:0, %0" : "=r"(c));
	return c;
}

/* Points GS at cpus[id] and fills in its identity. Interrupts must be off. */
void percpu_init(uint32_t id);

#endif /* !__ASSEMBLY__ */
#endif
