/* SPDX-License-Identifier: MIT */
/*
 * The FPU state of user threads: x87, MMX, SSE and, where the CPU has it, AVX.
 * Every user thread owns a save area; the context switch saves the outgoing
 * thread's registers into its area and loads the incoming one's, every time
 * (eager: CR0.TS stays clear and #NM never happens). The kernel itself is
 * built with -mgeneral-regs-only and never touches these registers, so a
 * thread's user state stays live in them while it runs in the kernel, and a
 * thread without an area (idle, or one whose process has exited) leaves them
 * as they are: the next user thread loads its whole state over them.
 *
 * XSAVE/XRSTOR (standard format) when CPUID reports XSAVE, FXSAVE/FXRSTOR
 * otherwise; chosen once at boot. docs/fpu.md has the reasons.
 */
#ifndef CAPOS_ARCH_X86_64_FPU_H
#define CAPOS_ARCH_X86_64_FPU_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Boot CPU, once, before any thread runs and before other CPUs start: picks
 * XSAVE or FXSAVE, sets up this CPU (fpu_cpu_init) and sizes the save area.
 * Needs no heap: the area cache takes pages only on the first allocation.
 */
void fpu_init(void);

/* Every CPU (the boot CPU through fpu_init; APs from their start-up path). */
void fpu_cpu_init(void);

/* A save area holding the reset state (docs/fpu.md), or NULL when out of memory. */
void *fpu_area_alloc(void);
void fpu_area_free(void *area);

/* Saves this CPU's FPU registers into area / loads them from it. Interrupts off. */
void fpu_save(void *area);
void fpu_restore(const void *area);

void fpu_print(void);

#endif
