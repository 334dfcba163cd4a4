/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_ARCH_X86_64_GDT_H
#define CAPOS_ARCH_X86_64_GDT_H

/*
 * Selector order is fixed by syscall/sysret: STAR[47:32] = KERNEL_CS gives
 * CS/SS = 0x08/0x10 on syscall; STAR[63:48] = 0x10 gives SS = 0x18|3 and
 * CS = 0x20|3 on sysret.
 */
#define GDT_KERNEL_CS	0x08
#define GDT_KERNEL_DS	0x10
#define GDT_USER_DS	0x18
#define GDT_USER_CS	0x20
#define GDT_TSS		0x28

#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3
#define GDT_IST_COUNT		3

#ifndef __ASSEMBLY__
#include <stdint.h>
/* Loads the boot CPU's GDT and TSS (with its IST stacks). Runs after percpu_init. */
void gdt_init(void);
/* The same for any CPU, with the tops of its own IST stacks. */
void gdt_init_cpu(const uint64_t ist_tops[GDT_IST_COUNT]);
#endif

#endif
