/* SPDX-License-Identifier: MIT */
/*
 * The interrupts-off instrument of debug builds (docs/preemption.md). Every
 * place where interrupts go off tells it where (irqoff_opened), every place
 * where they come back on tells it too (irqoff_closed), and each CPU keeps
 * its longest window (lib/irqoff_stat.h); arch_irqoff_report prints them.
 * The places: arch_irq_save, arch_irq_restore, arch_irq_enable, arch_idle,
 * interrupt and exception entry and exit (trap.c) and a thread's first
 * switch-in (thread_arch.c). Release builds compile the hooks away.
 *
 * Call with interrupts off (an open right after cli, a close right before
 * sti): the CPU's record is touched by that CPU only, so it needs no lock.
 */
#ifndef CAPOS_ARCH_X86_64_IRQOFF_H
#define CAPOS_ARCH_X86_64_IRQOFF_H

#include <stdint.h>

/* The site of a window an exception opens: small numbers, never a kernel address. */
#define IRQOFF_SITE_EXCEPTION(vector) (0x100u + (vector))

/*
 * The hooked functions report __builtin_return_address(0) as the place:
 * in debug builds they are never inlined (the kernel is built with LTO),
 * so that is their caller's.
 */
#ifdef CAPOS_DEBUG
#define IRQOFF_HOOKED __attribute__((noinline))
void irqoff_opened(uint64_t site);
void irqoff_closed(uint64_t end);
#else
#define IRQOFF_HOOKED
static inline void irqoff_opened(uint64_t site)
{
	(void)site;
}

static inline void irqoff_closed(uint64_t end)
{
	(void)end;
}
#endif

#endif
